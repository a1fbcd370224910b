"""What the readers share to fill a :class:`~syspatterns.model.ci.workflows.Job`: its
purposes, the jobs it needs, its environment and its script lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from syspatterns.model.ci.commands import classify_name
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.workflows import Step
from syspatterns.model.ci.yaml_lines import items_with_lines, text_of


def job_purposes(steps: Iterable[Step], name: str = "") -> tuple[str, ...]:
    """Its steps' purposes in table order, else those its ``name`` implies."""
    found = load_step_rules().order(p for s in steps for p in s.purposes)
    return found or (classify_name(name) if name else ())


def name_purposes(*names: str) -> frozenset[str]:
    """The purposes the names of a job and its workflow imply (``deploy`` for ``Deploy``)."""
    return frozenset(p for name in names if name for p in classify_name(name))


def names_of(value: Any) -> tuple[str, ...]:
    """Job names of a ``needs:`` value: a name, a list of names or of ``{job: name}``."""
    if isinstance(value, list):
        return tuple(text_of(v.get("job") if isinstance(v, dict) else v) for v in value)
    return (text_of(value),) if value else ()


def inputs_of(value: Any) -> tuple[tuple[str, str], ...]:
    """An action's inputs (GitHub ``with:``, Azure ``inputs:``, Bitbucket ``variables:``) as
    text, in file order."""
    return tuple((str(k), text_of(v)) for k, v in value.items()) \
        if isinstance(value, dict) else ()


def image_of(value: Any) -> str:
    """The image of an ``image:`` value (a name or ``{name: ...}``)."""
    return text_of(value.get("name") if isinstance(value, dict) else value)


def environment_of(value: Any) -> str:
    """The name of an ``environment:`` value (a name or ``{name: ...}``)."""
    return text_of(value.get("name")) if isinstance(value, dict) else text_of(value)


MAX_SCRIPT_LINES = 500  # per script; aliases can nest a small file into a huge list


def flatten_lines(value: Any, default: int) -> list[tuple[str, int]]:
    """Script lines with their lines; nested lists (from YAML anchors) are flattened, up to
    :data:`MAX_SCRIPT_LINES`."""
    lines: list[tuple[str, int]] = []

    def walk(current: Any, line: int) -> None:
        for item, item_line in items_with_lines(current, line):
            if len(lines) >= MAX_SCRIPT_LINES:
                return
            if isinstance(item, list):
                walk(item, item_line)
            elif item is not None:
                lines.append((text_of(item), item_line))

    walk(value, default)
    return lines
