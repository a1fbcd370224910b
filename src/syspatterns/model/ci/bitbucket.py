"""Bitbucket Pipelines (``bitbucket-pipelines.yml``): one workflow per pipeline
(``default``, each ``branches``, ``pull-requests``, ``tags`` and ``custom`` entry), whose jobs
are its steps (inside ``parallel`` and ``stage`` blocks too) with their ``script`` lines and
pipes, image, services, deployment environment and manual trigger."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_action
from syspatterns.model.ci.jobs import (
    MAX_SCRIPT_LINES,
    flatten_lines,
    image_of,
    inputs_of,
    job_purposes,
    name_purposes,
)
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import (
    YamlMap,
    items_with_lines,
    line_of,
    mapping_of,
    text_of,
)

# section -> (event, how the pattern is described); "default" has no pattern.
SECTIONS = {
    "default": ("push", "branches without a pipeline of their own"),
    "branches": ("push", "branches: {}"),
    "tags": ("push", "tags: {}"),
    "bookmarks": ("push", "bookmarks: {}"),
    "pull-requests": ("pull request", "from branches: {}"),
    "custom": ("manual run", "custom pipeline {}"),
}


def _step_specs(items: Any, line: int, stage: str = ""
                ) -> Iterator[tuple[Mapping[Any, Any], int, str, str]]:
    """``(step, line, stage, deployment of its stage)`` for each step of a pipeline, in
    order, through ``parallel`` and ``stage`` blocks."""
    for item, item_line in items_with_lines(items, line):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("step"), dict):
            yield item["step"], line_of(item, "step", item_line), stage, ""
        parallel = item.get("parallel")
        if isinstance(parallel, dict):  # parallel: {fail-fast: ..., steps: [...]}
            parallel = parallel.get("steps")
        if parallel is not None:
            yield from _step_specs(parallel, line_of(item, "parallel", item_line), stage)
        block = item.get("stage")
        if isinstance(block, dict):
            name = text_of(block.get("name"))
            deployment = text_of(block.get("deployment"))
            for spec, spec_line, _, _ in _step_specs(block.get("steps"),
                                                     line_of(block, "steps", item_line), name):
                yield spec, spec_line, name, deployment


def _pipe(item: Mapping[Any, Any], line: int, path: str) -> Step:
    pipe = text_of(item.get("pipe"))
    inputs = inputs_of(item.get("variables"))
    purposes, _ = classify_action(pipe.partition(":")[0], dict(inputs))
    return Step("", "", pipe, inputs, purposes, "", Evidence(path, line))


def _script(value: Any, line: int, path: str, commands: Commands,
            context: frozenset[str]) -> list[Step]:
    """Commands and pipes of a ``script``/``after-script`` list."""
    steps: list[Step] = []
    for item, item_line in items_with_lines(value, line):
        if len(steps) >= MAX_SCRIPT_LINES:
            break
        if isinstance(item, dict) and item.get("pipe"):
            steps.append(_pipe(item, line_of(item, "pipe", item_line), path))
        else:
            steps.extend(commands.step(command, command_line, path, context=context)
                         for command, command_line in flatten_lines(item, item_line))
    return steps


def _condition(spec: Mapping[Any, Any]) -> str:
    parts = []
    if spec.get("trigger") == "manual":
        parts.append("trigger: manual")
    paths = mapping_of(mapping_of(spec.get("condition")).get("changesets")).get("includePaths")
    if paths:
        parts.append(f"changes: {text_of(paths)}")
    return "; ".join(parts)


class _Pipelines:
    """What the steps of every pipeline share: the default image and the services."""

    def __init__(self, path: str, data: YamlMap, commands: Commands) -> None:
        self.path = path
        self.commands = commands
        self.image = image_of(data.get("image"))
        definitions = mapping_of(data.get("definitions"))
        self.services = {str(k): image_of(mapping_of(v).get("image"))
                         for k, v in mapping_of(definitions.get("services")).items()}

    def job(self, spec: Mapping[Any, Any], line: int, stage: str, deployment: str,
            index: int) -> Job:
        name = text_of(spec.get("name")) or f"step {index}"
        environment = text_of(spec.get("deployment")) or deployment
        context = name_purposes(name, stage) | frozenset({"deploy"} if environment else ())
        steps = [step for key in ("script", "after-script")
                 for step in _script(spec.get(key), line_of(spec, key, line), self.path,
                                     self.commands, context)]
        services = tuple(f"{s} ({self.services[s]})" if self.services.get(s) else s
                         for s in (text_of(v) for v, _ in items_with_lines(
                             spec.get("services"), line)))
        return Job(name, "", tuple(steps), job_purposes(steps), Evidence(self.path, line),
                   condition=_condition(spec), runner=image_of(spec.get("image")) or self.image,
                   services=services, environment=environment, stage=stage)

    def workflow(self, name: str, trigger: Trigger, items: Any, line: int) -> Workflow:
        jobs = tuple(self.job(spec, spec_line, stage, deployment, index)
                     for index, (spec, spec_line, stage, deployment)
                     in enumerate(_step_specs(items, line), 1))
        return Workflow(self.path, "bitbucket-pipelines", name, (trigger,), jobs,
                        Evidence(self.path, line))


def read_bitbucket(path: str, data: YamlMap, commands: Commands,
                   notes: list[FileNote]) -> list[Workflow]:
    pipelines = mapping_of(data.get("pipelines"))
    reader = _Pipelines(path, data, commands)
    workflows = []
    for section, (event, detail) in SECTIONS.items():
        if section not in pipelines:
            continue
        line = line_of(pipelines, section, 1)
        if section == "default":
            entries = [(section, pipelines[section], line)]
        else:
            value = mapping_of(pipelines[section])
            entries = [(str(pattern), items, line_of(value, pattern, line))
                       for pattern, items in value.items()]
        for pattern, items, entry_line in entries:
            name = section if section == "default" else f"{section}: {pattern}"
            trigger = Trigger(event, detail.format(pattern), Evidence(path, entry_line))
            workflows.append(reader.workflow(name, trigger, items, entry_line))
    return workflows
