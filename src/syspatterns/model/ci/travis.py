"""Travis CI (``.travis.yml``): the job the root configuration describes (its phases, from
``before_install`` to ``after_script``, its ``deploy:`` providers and its language-version
matrix) and each ``jobs.include`` (or ``matrix.include``) entry that sets phases of its own,
inheriting the root's other phases, in its build stage."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_provider
from syspatterns.model.ci.jobs import flatten_lines, job_purposes, name_purposes
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import (
    YamlMap,
    items_with_lines,
    line_of,
    mapping_of,
    text_of,
)

# The phases of a job, in the order Travis runs them ("deploy" stands for the providers).
PHASES = ("before_install", "install", "before_script", "script", "after_success",
          "after_failure", "before_deploy", "deploy", "after_deploy", "after_script")
MATRIX_KEYS = ("os", "dist", "arch", "env")  # with the language's own key (`python`)
DEFAULT_STAGE = "test"
Matrix = tuple[tuple[str, tuple[str, ...]], ...]


def _setting(key: str, entry: Mapping[Any, Any], root: YamlMap) -> tuple[Any, Any]:
    """``(value, the mapping it is in)``: an include entry's own, else the root's."""
    return (entry[key], entry) if key in entry else (root.get(key), root)


def _deploy_steps(value: Any, line: int, path: str, commands: Commands,
                  context: frozenset[str]) -> list[Step]:
    steps = []
    for spec, spec_line in items_with_lines(value, line):
        if not isinstance(spec, dict):
            continue
        provider = text_of(spec.get("provider"))
        on = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare `on` as true
        condition = "; ".join(f"{k}: {text_of(v)}" for k, v in mapping_of(on).items())
        if provider == "script":
            step = commands.step(text_of(spec.get("script")), line_of(spec, "script", spec_line),
                                 path, condition=condition, context=context | {"deploy"})
            steps.append(step if step.purposes else step._replace(purposes=("deploy",)))
        elif provider:
            steps.append(Step("", "", f"deploy: {provider}", (), classify_provider(provider),
                              condition, Evidence(path, line_of(spec, "provider", spec_line))))
    return steps


def _steps(entry: Mapping[Any, Any], root: YamlMap, line: int, path: str, commands: Commands,
           context: frozenset[str]) -> list[Step]:
    steps: list[Step] = []
    for phase in PHASES:
        value, holder = _setting(phase, entry, root)
        phase_line = line_of(holder, phase, line)
        if phase == "deploy":
            steps.extend(_deploy_steps(value, phase_line, path, commands, context))
            continue
        steps.extend(commands.step(command, command_line, path, context=context)
                     for command, command_line in flatten_lines(value, phase_line)
                     if command != "skip")
    return steps


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):  # env: {global: ..., jobs: [...]}
        value = value.get("jobs", value.get("matrix"))
    return [text_of(v) for v in value] if isinstance(value, list) else \
        [text_of(value)] if value is not None else []


def _matrix(root: YamlMap, entries: list[Mapping[Any, Any]], include: str) -> Matrix:
    """Axes of the root job: the root's lists of versions, systems and environments (Travis
    runs each combination), then the include entries without phases of their own, each one
    more job (``python 3.13 env A=1``)."""
    axes: list[tuple[str, tuple[str, ...]]] = []
    for key in (text_of(root.get("language")), *MATRIX_KEYS):
        if key and isinstance(root.get(key), list | dict):
            values = _values(root.get(key))
            axes.extend([(key, tuple(values))] if values else [])
    listed = tuple(" ".join(f"{k} {text_of(v)}" for k, v in e.items()) for e in entries)
    return (*axes, (include, listed)) if listed else tuple(axes)


def _runner(entry: Mapping[Any, Any], root: YamlMap) -> str:
    parts = [_setting(key, entry, root)[0] for key in ("os", "dist")]
    return " ".join(text_of(p) for p in parts if isinstance(p, str))


def _services(entry: Mapping[Any, Any], root: YamlMap) -> tuple[str, ...]:
    return tuple(_values(_setting("services", entry, root)[0]))


def _stage_conditions(value: Any) -> dict[str, str]:
    return {text_of(s.get("name")).lower(): text_of(s["if"]) for s, _ in
            items_with_lines(value, 1) if isinstance(s, dict) and s.get("if")}


def _triggers(data: YamlMap, path: str) -> tuple[Trigger, ...]:
    triggers = []
    branches = data.get("branches")
    for key in ("only", "except"):
        if isinstance(branches, dict) and branches.get(key):
            triggers.append(Trigger("branches", f"{key}: {text_of(branches[key])}",
                                    Evidence(path, line_of(branches, key, 1))))
    if data.get("if"):
        triggers.append(Trigger("rule", f"if {text_of(data['if'])}",
                                Evidence(path, data.line_of("if"))))
    return tuple(triggers)


def _include_key(data: YamlMap) -> str:
    return "jobs" if "jobs" in data else "matrix"


def _include_jobs(data: YamlMap, path: str, commands: Commands
                  ) -> tuple[list[Job], list[Mapping[Any, Any]]]:
    """Jobs of include entries that set phases, and the entries that only vary the root
    job's settings."""
    key = _include_key(data)
    container = mapping_of(data.get(key))
    conditions = _stage_conditions(data.get("stages"))
    jobs: list[Job] = []
    plain: list[Mapping[Any, Any]] = []
    stage = DEFAULT_STAGE
    entries = items_with_lines(container.get("include"), line_of(container, "include", 1))
    for index, (entry, line) in enumerate(entries, 1):
        if not isinstance(entry, dict):
            continue
        stage = text_of(entry.get("stage")) or stage
        if not any(phase in entry for phase in PHASES):
            plain.append(entry)
            continue
        name = text_of(entry.get("name")) or f"{key}.include {index}"
        steps = _steps(entry, data, line, path, commands, name_purposes(name, stage))
        condition = "; ".join(filter(None, [
            f"if {text_of(entry['if'])}" if entry.get("if") else "",
            f"stage if {conditions[stage.lower()]}" if stage.lower() in conditions else ""]))
        jobs.append(Job(name, "", tuple(steps), job_purposes(steps), Evidence(path, line),
                        condition=condition, runner=_runner(entry, data),
                        services=_services(entry, data), stage=stage))
    return jobs, plain


def read_travis(path: str, data: YamlMap, commands: Commands,
                notes: list[FileNote]) -> list[Workflow]:
    included, plain = _include_jobs(data, path, commands)
    jobs = []
    if any(phase in data for phase in PHASES):
        steps = _steps({}, data, 1, path, commands, frozenset())
        first = min((data.line_of(p) for p in PHASES if p in data), default=1)
        jobs.append(Job("default", "", tuple(steps), job_purposes(steps), Evidence(path, first),
                        runner=_runner({}, data),
                        matrix=_matrix(data, plain, f"{_include_key(data)}.include"),
                        services=_services({}, data)))
    jobs.extend(included)
    return [Workflow(path, "travis-ci", PurePosixPath(path).name, _triggers(data, path),
                     tuple(jobs), Evidence(path, 1))]
