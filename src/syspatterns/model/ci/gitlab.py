"""GitLab CI (``.gitlab-ci.yml``): jobs with the templates they extend, scripts, rules,
images, services, environments and stages; local ``include:`` files are read and merged
(each key keeps the file and line it comes from), other includes are noted."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands
from syspatterns.model.ci.files import read_config, yaml_document
from syspatterns.model.ci.jobs import (
    environment_of,
    flatten_lines,
    image_of,
    job_purposes,
    name_purposes,
    names_of,
)
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import YamlMap, items_with_lines, line_of, text_of

_GITLAB_GLOBALS = frozenset({
    "default", "include", "stages", "variables", "workflow", "image", "services", "cache",
    "before_script", "after_script",
})
MAX_INCLUDE_DEPTH = 10  # nested local includes followed
_OTHER_INCLUDES = ("remote", "project", "template", "component")


class Placed(NamedTuple):
    """A value of the merged pipeline with the file and line it comes from."""

    value: Any
    path: str
    line: int


Layers = dict[Any, list[Placed]]  # top-level key -> its values, lowest priority first


def _local_pattern(pattern: str) -> re.Pattern[str]:
    """A GitLab ``include: local`` path as a regular expression: ``*`` stays within a
    folder, ``**`` crosses folders."""
    parts = re.split(r"(\*\*|\*)", pattern.lstrip("/"))
    return re.compile("".join(
        ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
        for part in parts))


def _include_items(data: YamlMap) -> list[tuple[str, str, int]]:
    """``(kind, value, line)`` for each entry of ``include:``; a bare string is a local file
    or, when it is a URL, a remote one."""
    found = []
    for item, line in items_with_lines(data.get("include"), data.line_of("include", 1)):
        if isinstance(item, str):
            found.append(("remote" if item.startswith(("http://", "https://")) else "local",
                          item, line))
        elif isinstance(item, dict):
            kind = next((k for k in ("local", *_OTHER_INCLUDES) if k in item), "")
            value = text_of(item.get(kind))
            if kind == "project" and item.get("file"):
                value += f" file {text_of(item['file'])}"
            found.append((kind, value, line_of(item, kind, line)))
    return found


def _pipeline_files(path: str, data: YamlMap, commands: Commands, notes: list[FileNote],
                    seen: set[str], depth: int = 0) -> list[tuple[str, YamlMap]]:
    """The pipeline's files in merge order: each local include (and what it includes) before
    the file that includes it."""
    files: list[tuple[str, YamlMap]] = []
    for kind, value, line in _include_items(data):
        if kind != "local":
            notes.append(FileNote(Evidence(path, line), f"the included file `{kind}: {value}` "
                                  "is not followed (only local includes are read)", False))
            continue
        pattern = _local_pattern(value)
        matches = sorted(p for p in commands.paths if pattern.fullmatch(p))
        if not matches:
            notes.append(FileNote(Evidence(path, line), f"the included file `{value}` was not "
                                  "found among the scanned files", False))
        for included in matches:
            if included in seen or depth >= MAX_INCLUDE_DEPTH:
                continue
            seen.add(included)
            text = read_config(commands.model, included, notes)
            document = yaml_document(included, text, notes) if text is not None else None
            if isinstance(document, YamlMap):
                files.extend(_pipeline_files(included, document, commands, notes, seen,
                                             depth + 1))
            elif document is not None:
                notes.append(FileNote(Evidence(included, 1), "not a mapping at the top level"))
    files.append((path, data))
    return files


def _layers(files: list[tuple[str, YamlMap]]) -> Layers:
    layers: Layers = {}
    for path, data in files:
        for key, value in data.items():
            layers.setdefault(key, []).append(Placed(value, path, data.line_of(key)))
    return layers


def _mapping(placed: list[Placed]) -> dict[Any, Placed]:
    """Mapping values of one key merged key by key, later files winning."""
    merged: dict[Any, Placed] = {}
    for value, path, line in placed:
        if isinstance(value, dict):
            for key, item in value.items():
                merged[key] = Placed(item, path, line_of(value, key, line))
    return merged


def _gitlab_resolved(name: Any, layers: Layers, depth: int = 0) -> dict[Any, Placed]:
    """A job with the templates it ``extends`` merged in (its own keys win)."""
    own = _mapping(layers.get(name, []))
    if not own or depth > 10:
        return {}
    merged: dict[Any, Placed] = {}
    extends = own.get("extends")
    for parent in names_of(extends.value if extends else None):
        merged.update(_gitlab_resolved(parent, layers, depth + 1))
    merged.update(own)
    return merged


def _gitlab_condition(spec: Mapping[Any, Any]) -> str:
    parts: list[str] = []
    rules = spec.get("rules")
    if isinstance(rules, list):
        parts.extend(f"if {text_of(r['if'])}" for r in rules
                     if isinstance(r, dict) and r.get("if"))
    for key in ("only", "except"):
        value = spec.get(key)
        if isinstance(value, dict):
            value = value.get("refs")
        if value:
            parts.append(f"{key}: {text_of(value)}")
    if spec.get("when") not in (None, "on_success"):
        parts.append(f"when: {text_of(spec['when'])}")
    return "; ".join(parts)


def _gitlab_job(name: Any, layers: Layers, default: dict[Any, Placed],
                commands: Commands) -> Job:
    placed = _gitlab_resolved(name, layers)
    job = {key: item.value for key, item in placed.items()}
    first = next(p for p in layers[name] if isinstance(p.value, dict))
    context = name_purposes(str(name)) or name_purposes(text_of(job.get("stage")))

    def setting(key: str) -> Placed | None:
        """The job's own value, else the ``default:`` one, else the top-level one."""
        if key in placed:
            return placed[key]
        if key in default:
            return default[key]
        return layers[key][-1] if key in layers else None

    steps: list[Step] = []
    for key in ("before_script", "script", "after_script"):
        found = setting(key)
        if found is not None:
            steps.extend(commands.step(command, line, found.path, context=context)
                         for command, line in flatten_lines(found.value, found.line))
    image = setting("image")
    services = setting("services")
    return Job(
        name=str(name), title="", steps=tuple(steps), purposes=job_purposes(steps),
        evidence=Evidence(first.path, first.line), needs=names_of(job.get("needs")),
        condition=_gitlab_condition(job), runner=image_of(image.value) if image else "",
        services=tuple(image_of(s) for s in services.value)
        if services and isinstance(services.value, list) else (),
        environment=environment_of(job.get("environment")),
        stage=text_of(job.get("stage")))


def _is_job(name: Any, placed: list[Placed]) -> bool:
    return name not in _GITLAB_GLOBALS and not str(name).startswith(".") \
        and any(isinstance(p.value, dict) for p in placed)


def read_gitlab(path: str, data: YamlMap, commands: Commands,
                notes: list[FileNote]) -> list[Workflow]:
    files = _pipeline_files(path, data, commands, notes, {path})
    layers = _layers(files)
    default = _mapping(layers.get("default", []))
    jobs = [_gitlab_job(name, layers, default, commands)
            for name, placed in layers.items() if _is_job(name, placed)]
    workflow = _mapping(layers.get("workflow", []))
    rules = workflow.get("rules")
    triggers = tuple(
        Trigger("rule", f"if {text_of(rule['if'])}", Evidence(rules.path, rule_line))
        for rule, rule_line in items_with_lines(rules.value, rules.line)
        if isinstance(rule, dict) and rule.get("if")) if rules else ()
    name = text_of(workflow["name"].value) if "name" in workflow else ""
    return [Workflow(path, "gitlab-ci", name or PurePosixPath(path).name, triggers,
                     tuple(jobs), Evidence(path, 1),
                     includes=tuple(p for p, _ in files if p != path))]
