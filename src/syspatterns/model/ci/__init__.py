"""The repository's CI and task automation: GitHub Actions workflows, GitLab CI, pre-commit
hooks, tox environments, nox sessions and Makefile targets, read statically into workflows,
jobs and steps. Each step is classified by purpose (test, lint, build, publish, deploy, ...)
through the table in ``knowledge/ci_steps.toml``; each keeps the line it stands on.

YAML is read with a safe loader that records lines (:func:`load_yaml`); the INI reader
(:func:`read_ini`) and the YAML reader are shared with :mod:`syspatterns.model.deployment`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from syspatterns.evidence import Evidence
from syspatterns.model.ci.commands import (
    Commands,
    classify_action,
    classify_command,
    simple_commands,
)
from syspatterns.model.ci.github import read_github, with_called_workflows
from syspatterns.model.ci.gitlab import read_gitlab
from syspatterns.model.ci.ini import read_ini
from syspatterns.model.ci.jobs import name_purposes
from syspatterns.model.ci.local_tools import read_make, read_nox, read_pre_commit, read_tox
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.tasks import with_tasks
from syspatterns.model.ci.workflows import CI, FileNote, Job, OtherSystem, Step, Workflow
from syspatterns.model.ci.yaml_lines import (
    YamlError,
    YamlMap,
    items_with_lines,
    line_of,
    load_yaml,
    text_of,
)

if TYPE_CHECKING:
    from syspatterns.model.system import SystemModel

__all__ = [
    "CI", "MAX_BYTES", "FileNote", "Job", "Step", "Workflow", "YamlError", "YamlMap",
    "classify_action", "classify_command", "items_with_lines", "line_of", "load_step_rules",
    "load_yaml", "name_purposes", "read_ci", "read_ini", "simple_commands", "text_of",
]

MAX_BYTES = 1_000_000  # configuration files larger than this are passed over (noted)


def _yaml_document(path: str, text: str, notes: list[FileNote]) -> Any:
    try:
        documents = load_yaml(text)
    except YamlError as error:
        notes.append(FileNote(Evidence(path, error.line), str(error)))
        return None
    return documents[0] if documents else None


def _ci_kind(path: str) -> str | None:
    name = PurePosixPath(path).name
    if path.startswith(".github/workflows/"):
        return "github-actions"
    if path == ".gitlab-ci.yml":
        return "gitlab-ci"
    return {".pre-commit-config.yaml": "pre-commit", "tox.ini": "tox", "noxfile.py": "nox",
            "Makefile": "make", "GNUmakefile": "make", "makefile": "make"}.get(name)


def _build_ci(model: SystemModel) -> CI:
    rules = load_step_rules()
    commands = Commands(model)
    workflows: list[Workflow] = []
    others: list[OtherSystem] = []
    notes: list[FileNote] = []
    candidates = [*model.files_of_kind("ci"),
                  *(p for p in model.files_of_kind("deployment") if _ci_kind(p) == "make")]
    for path in sorted(candidates):
        kind = _ci_kind(path)
        if kind is None:
            system = next(((name, pipeline) for pattern, name, pipeline in rules.systems
                           if fnmatchcase(path, pattern)), None)
            if system is not None:
                others.append(OtherSystem(path, *system))
            continue
        if kind == "nox":
            workflow = read_nox(path, model)
            workflows.extend([workflow] if workflow else [])
            continue
        if model.size_of(path) > MAX_BYTES:
            notes.append(FileNote(Evidence(path, 1), f"larger than {MAX_BYTES:,} bytes"))
            continue
        text = model.read_text(path)
        if text is None:
            notes.append(FileNote(Evidence(path, 1), "could not be read"))
            continue
        found: Workflow | None
        if kind == "tox":
            found = read_tox(path, text, commands)
        elif kind == "make":
            found = read_make(path, text, commands)
        else:
            data = _yaml_document(path, text, notes)
            if kind == "gitlab-ci":
                found, extra = read_gitlab(path, data, commands)
                notes.extend(extra)
            elif kind == "github-actions":
                found = read_github(path, data, commands)
            else:
                found = read_pre_commit(path, data, commands)
            if found is None and data is not None:
                notes.append(FileNote(Evidence(path, 1), "not a mapping at the top level"))
        if found is not None:
            workflows.append(found)
    workflows = with_tasks(workflows)
    return CI(tuple(with_called_workflows(workflows)), tuple(others), tuple(notes))


def read_ci(model: SystemModel) -> CI:
    """The repository's CI and task automation, computed once per model."""
    return model.memo("ci", _build_ci)
