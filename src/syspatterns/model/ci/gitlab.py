"""GitLab CI (``.gitlab-ci.yml``): jobs with the templates they extend, scripts, rules,
images, services, environments and stages."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from syspatterns.evidence import Evidence
from syspatterns.model.ci.commands import Commands
from syspatterns.model.ci.jobs import (
    environment_of,
    flatten_lines,
    job_purposes,
    name_purposes,
    names_of,
)
from syspatterns.model.ci.workflows import FileNote, Job, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import YamlMap, items_with_lines, line_of, text_of

_GITLAB_GLOBALS = frozenset({
    "default", "include", "stages", "variables", "workflow", "image", "services", "cache",
    "before_script", "after_script",
})


def _gitlab_resolved(name: str, jobs: Mapping[Any, Any], depth: int = 0) -> dict[Any, Any]:
    """A job with the templates it ``extends`` merged in (its own keys win)."""
    spec = jobs.get(name)
    if not isinstance(spec, dict) or depth > 10:
        return {}
    merged: dict[Any, Any] = {}
    for parent in names_of(spec.get("extends")):
        merged.update(_gitlab_resolved(parent, jobs, depth + 1))
    merged.update(spec)
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


def read_gitlab(path: str, data: Any, commands: Commands) -> tuple[Workflow | None,
                                                                     list[FileNote]]:
    if not isinstance(data, YamlMap):
        return None, []
    notes = []
    if "include" in data:
        notes.append(FileNote(Evidence(path, data.line_of("include")),
                              "included CI files (`include:`) are not followed"))
    default: Mapping[Any, Any] = data["default"] if isinstance(data.get("default"), dict) \
        else {}
    jobs = []
    for name, spec in data.items():
        if name in _GITLAB_GLOBALS or not isinstance(spec, dict) or str(name).startswith("."):
            continue
        line = data.line_of(name)
        job = _gitlab_resolved(name, data)
        context = name_purposes(str(name)) or name_purposes(text_of(job.get("stage")))
        steps = [
            commands.step(command, command_line, path, context=context)
            for key in ("before_script", "script", "after_script")
            for command, command_line in flatten_lines(
                job.get(key, default.get(key, data.get(key))), line_of(job, key, line))
        ]
        image = job.get("image", default.get("image", data.get("image")))
        services = job.get("services", default.get("services", data.get("services")))
        jobs.append(Job(
            name=str(name), title="", steps=tuple(steps), purposes=job_purposes(steps),
            evidence=Evidence(path, line), needs=names_of(job.get("needs")),
            condition=_gitlab_condition(job),
            runner=text_of(image.get("name") if isinstance(image, dict) else image),
            services=tuple(text_of(s.get("name") if isinstance(s, dict) else s)
                           for s in services) if isinstance(services, list) else (),
            environment=environment_of(job.get("environment")),
            stage=text_of(job.get("stage"))))
    workflow = data.get("workflow")
    triggers = tuple(
        Trigger("rule", f"if {text_of(rule['if'])}", Evidence(path, rule_line))
        for rule, rule_line in items_with_lines(
            workflow.get("rules") if isinstance(workflow, dict) else None, 1)
        if isinstance(rule, dict) and rule.get("if"))
    name = text_of(workflow.get("name")) if isinstance(workflow, dict) else ""
    return Workflow(path, "gitlab-ci", name or PurePosixPath(path).name, triggers,
                    tuple(jobs), Evidence(path, 1)), notes
