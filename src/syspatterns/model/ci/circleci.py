"""CircleCI (``.circleci/config.yml``): each entry of ``workflows:`` with the jobs it runs,
their order (``requires``), filters and matrix; each job's ``run:`` steps, the reusable
``commands:`` it calls (expanded) and its executor. Orbs are named, not read: an orb's job or
command is classified by its name."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_name
from syspatterns.model.ci.jobs import job_purposes, name_purposes, names_of
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import (
    YamlMap,
    items_with_lines,
    line_of,
    mapping_of,
    text_of,
)

MAX_COMMAND_DEPTH = 5  # reusable commands that call reusable commands
_WORKFLOW_JOB_KEYS = frozenset({"requires", "filters", "name", "context", "matrix", "type"})


class _Config:
    """The parts of a configuration that jobs and steps refer to."""

    def __init__(self, path: str, data: YamlMap, commands: Commands) -> None:
        self.path = path
        self.commands = commands
        self.jobs = mapping_of(data.get("jobs"))
        self.reusable = mapping_of(data.get("commands"))
        self.orbs = mapping_of(data.get("orbs"))


def _orb_step(ref: str, params: Any, line: int, path: str, condition: str) -> Step:
    inputs = tuple((str(k), text_of(v)) for k, v in mapping_of(params).items()
                   if k not in _WORKFLOW_JOB_KEYS)
    return Step("", "", ref, inputs, classify_name(ref.rsplit("/", 1)[1]), condition,
                Evidence(path, line))


def _steps(config: _Config, items: Any, line: int, cwd: str, context: frozenset[str],
           condition: str = "", depth: int = 0) -> list[Step]:
    """The steps of a job or reusable command: ``run:`` commands, reusable commands
    (expanded), orb commands (named), ``when``/``unless`` blocks (their steps, with the
    condition); built-in steps such as ``checkout`` have no command and are left out."""
    steps: list[Step] = []
    for item, item_line in items_with_lines(items, line):
        key, value = next(iter(item.items())) if isinstance(item, dict) and item \
            else (item, None)
        key = text_of(key)
        if key == "run":
            spec = mapping_of(value)
            command = text_of(spec.get("command") if spec else value)
            if command:
                steps.append(config.commands.step(
                    command, item_line, config.path, name=text_of(spec.get("name")),
                    condition=condition, cwd=text_of(spec.get("working_directory")) or cwd,
                    context=context))
        elif key in ("when", "unless"):
            spec = mapping_of(value)
            test = f"{key}: {text_of(spec.get('condition'))}"
            steps.extend(_steps(config, spec.get("steps"), line_of(spec, "steps", item_line),
                                cwd, context, test, depth))
        elif key in config.reusable and depth < MAX_COMMAND_DEPTH:
            spec = mapping_of(config.reusable[key])
            steps.extend(_steps(config, spec.get("steps"), line_of(spec, "steps", item_line),
                                cwd, context, condition, depth + 1))
        elif "/" in key and key.split("/", 1)[0] in config.orbs:
            steps.append(_orb_step(key, value, item_line, config.path, condition))
    return steps


def _executor(spec: Mapping[Any, Any]) -> tuple[str, tuple[str, ...]]:
    """The job's runner (the first ``docker`` image, ``machine``, ``macos`` or the named
    ``executor``) and its service containers (the other ``docker`` images)."""
    docker = spec.get("docker")
    images = [text_of(d.get("image")) for d in docker if isinstance(d, dict)] \
        if isinstance(docker, list) else []
    if images:
        return images[0], tuple(images[1:])
    for key in ("machine", "macos"):
        if spec.get(key):
            value = spec[key]
            detail = text_of(value.get("image") or value.get("xcode")) \
                if isinstance(value, dict) else ""
            return f"{key} {detail}".strip(), ()
    executor = spec.get("executor")
    name = text_of(executor.get("name") if isinstance(executor, dict) else executor)
    return (f"executor {name}" if name else ""), ()


def _filters(params: Mapping[Any, Any]) -> str:
    parts: list[str] = []
    for ref in ("branches", "tags"):
        spec = mapping_of(mapping_of(params.get("filters")).get(ref))
        parts.extend(f"{ref} {key}: {text_of(spec[key])}" for key in ("only", "ignore")
                     if spec.get(key))
    if params.get("type") == "approval":
        parts.insert(0, "type: approval")
    return "; ".join(parts)


def _matrix(params: Mapping[Any, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    axes = mapping_of(mapping_of(params.get("matrix")).get("parameters"))
    return tuple((str(k), tuple(text_of(x) for x in v) if isinstance(v, list)
                  else (text_of(v),)) for k, v in axes.items())


def _job(config: _Config, ref: str, params: Mapping[Any, Any], line: int) -> Job:
    """A job as a workflow runs it: its definition in ``jobs:`` with the workflow's
    parameters, or an orb's job."""
    name = text_of(params.get("name")) or ref
    condition = _filters(params)
    spec = mapping_of(config.jobs.get(ref))
    if spec:
        context = name_purposes(ref, name)
        steps = _steps(config, spec.get("steps"), line_of(spec, "steps", line),
                       text_of(spec.get("working_directory")), context)
        runner, services = _executor(spec)
        evidence = Evidence(config.path, line_of(config.jobs, ref, line))
    else:
        steps = [_orb_step(ref, params, line, config.path, "")] \
            if "/" in ref and ref.split("/", 1)[0] in config.orbs else []
        runner, services, evidence = "", (), Evidence(config.path, line)
    return Job(name, ref if name != ref else "", tuple(steps), job_purposes(steps),
               evidence, needs=names_of(params.get("requires")), condition=condition,
               runner=runner, matrix=_matrix(params), services=services)


def _workflow_jobs(config: _Config, items: Any, line: int) -> list[Job]:
    jobs = []
    for item, item_line in items_with_lines(items, line):
        if isinstance(item, dict) and item:
            ref, params = next(iter(item.items()))
            jobs.append(_job(config, text_of(ref), mapping_of(params), item_line))
        elif item:
            jobs.append(_job(config, text_of(item), {}, item_line))
    return jobs


def _triggers(spec: Mapping[Any, Any], path: str, line: int) -> tuple[Trigger, ...]:
    triggers = []
    for item, item_line in items_with_lines(spec.get("triggers"), line):
        schedule = mapping_of(mapping_of(item).get("schedule"))
        if schedule:
            detail = "; ".join(filter(None, [text_of(schedule.get("cron")), _filters(schedule)]))
            triggers.append(Trigger("schedule", detail, Evidence(path, item_line)))
    return tuple(triggers)


def _orb_note(path: str, data: YamlMap, orbs: Mapping[Any, Any]) -> FileNote:
    listed = ", ".join(f"`{name}` ({text_of(ref) if isinstance(ref, str) else 'inline'})"
                       for name, ref in orbs.items())
    return FileNote(Evidence(path, data.line_of("orbs")),
                    f"the orbs {listed} are not read; their jobs and commands are named, not "
                    "followed", False)


def read_circleci(path: str, data: YamlMap, commands: Commands,
                  notes: list[FileNote]) -> list[Workflow]:
    config = _Config(path, data, commands)
    if config.orbs:
        notes.append(_orb_note(path, data, config.orbs))
    workflows_value = data.get("workflows")
    entries = [(name, spec) for name, spec in mapping_of(workflows_value).items()
               if isinstance(spec, dict)]
    if not entries:  # no workflows: CircleCI runs the job named `build`
        jobs = [_job(config, "build", {}, data.line_of("jobs", 1))] \
            if "build" in config.jobs else []
        return [Workflow(path, "circleci", PurePosixPath(path).name, (), tuple(jobs),
                         Evidence(path, 1))]
    workflows = []
    for name, spec in entries:
        line = line_of(workflows_value, name, 1)
        jobs = _workflow_jobs(config, spec.get("jobs"), line_of(spec, "jobs", line))
        workflows.append(Workflow(path, "circleci", str(name), _triggers(spec, path, line),
                                  tuple(jobs), Evidence(path, line)))
    return workflows
