"""Reading CI and automation files: a file too large or unreadable, or YAML that is not
valid, becomes a :class:`~syspatterns.model.ci.workflows.FileNote` instead of an error."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.workflows import FileNote
from syspatterns.model.ci.yaml_lines import YamlError, load_yaml

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel

MAX_BYTES = 1_000_000  # configuration files larger than this are passed over (noted)


def read_config(model: SystemModel, path: str, notes: list[FileNote]) -> str | None:
    """The text of ``path``, or ``None`` (noted) when it is too large or cannot be read."""
    if model.size_of(path) > MAX_BYTES:
        notes.append(FileNote(Evidence(path, 1), f"larger than {MAX_BYTES:,} bytes"))
        return None
    text = model.read_text(path)
    if text is None:
        notes.append(FileNote(Evidence(path, 1), "could not be read"))
    return text


def yaml_document(path: str, text: str, notes: list[FileNote]) -> Any:
    """The first YAML document of ``text``; ``None`` when there is none or it is not valid
    YAML (noted)."""
    try:
        documents = load_yaml(text)
    except YamlError as error:
        notes.append(FileNote(Evidence(path, error.line), str(error)))
        return None
    return documents[0] if documents else None
