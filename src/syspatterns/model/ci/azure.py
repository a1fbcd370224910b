"""Azure Pipelines (``azure-pipelines.yml``): ``trigger``, ``pr`` and ``schedules``; the
stages, jobs and deployment jobs (their strategy's lifecycle hooks) with their ``script:``,
``bash:``, ``pwsh:`` and ``powershell:`` steps and ``task:`` steps (classified with the action
rows, a task's inline script with the command rows). Templates are named, not followed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_action
from syspatterns.model.ci.jobs import (
    environment_of,
    inputs_of,
    job_purposes,
    name_purposes,
    names_of,
)
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import items_with_lines, line_of, text_of

SCRIPT_KEYS = ("script", "bash", "pwsh", "powershell")
INLINE_INPUTS = ("script", "inlineScript")  # a task's inputs that hold a shell script
HOOKS = ("preDeploy", "deploy", "routeTraffic", "postRouteTraffic")


class _Reader:
    """Reads one pipeline file; ``notes`` collects the templates it does not follow."""

    def __init__(self, path: str, commands: Commands, notes: list[FileNote],
                 pool: str) -> None:
        self.path = path
        self.commands = commands
        self.notes = notes
        self.pool = pool  # the pipeline's agent pool, for jobs without their own

    def template(self, item: Any, line: int) -> bool:
        """Whether ``item`` is a ``template:`` reference (noted, not followed)."""
        if not isinstance(item, dict) or "template" not in item:
            return False
        self.notes.append(FileNote(Evidence(self.path, line),
                                   f"the template `{text_of(item['template'])}` is not "
                                   "followed", False))
        return True

    def step(self, item: Any, line: int, context: frozenset[str]) -> Step | None:
        if not isinstance(item, dict) or self.template(item, line):
            return None
        name = text_of(item.get("displayName") or item.get("name"))
        condition = text_of(item.get("condition"))
        cwd = text_of(item.get("workingDirectory"))
        key = next((k for k in SCRIPT_KEYS if item.get(k)), None)
        if key is not None:
            return self.commands.step(text_of(item[key]), line, self.path, name=name,
                                      condition=condition, cwd=cwd, context=context)
        if not item.get("task"):
            return None
        task = text_of(item["task"])
        inputs = inputs_of(item.get("inputs"))
        purposes, _ = classify_action(task, dict(inputs))
        script = next((v for k, v in inputs if k in INLINE_INPUTS and v), "")
        if script:
            inner = self.commands.step(script, line, self.path, name=name,
                                       condition=condition, cwd=cwd, context=context)
            return inner._replace(uses=task, inputs=inputs, purposes=load_step_rules().order(
                [*purposes, *inner.purposes]))
        return Step(name, "", task, inputs, purposes, condition, Evidence(self.path, line))

    def steps(self, value: Any, line: int, context: frozenset[str]) -> list[Step]:
        return [step for item, item_line in items_with_lines(value, line)
                if (step := self.step(item, item_line, context)) is not None]

    def job(self, spec: Mapping[Any, Any], line: int, stage: str,
            stage_condition: str) -> Job:
        deployment = "deployment" in spec
        name = text_of(spec.get("deployment") if deployment else spec.get("job"))
        title = text_of(spec.get("displayName"))
        context = name_purposes(name, title) or name_purposes(stage)
        if deployment:
            context |= {"deploy"}
        steps = self.steps(spec.get("steps"), line_of(spec, "steps", line), context)
        for hook_steps, hook_line in _hook_steps(spec.get("strategy"), line):
            steps.extend(self.steps(hook_steps, hook_line, context))
        condition = "; ".join(filter(None, [stage_condition, text_of(spec.get("condition"))]))
        return Job(name or "job", title, tuple(steps), job_purposes(steps),
                   Evidence(self.path, line), needs=names_of(spec.get("dependsOn")),
                   condition=condition, runner=_pool(spec.get("pool")) or self.pool,
                   matrix=_matrix(spec.get("strategy")),
                   environment=environment_of(spec.get("environment")), stage=stage)

    def jobs(self, value: Any, line: int, stage: str = "", condition: str = "") -> list[Job]:
        return [self.job(spec, spec_line, stage, condition)
                for spec, spec_line in items_with_lines(value, line)
                if isinstance(spec, dict) and not self.template(spec, spec_line)]


def _hook_steps(strategy: Any, line: int) -> Iterator[tuple[Any, int]]:
    """The ``steps`` of a deployment job's lifecycle hooks (``runOnce``, ``rolling`` or
    ``canary``: ``preDeploy``, ``deploy``, ``routeTraffic``, ``postRouteTraffic``, ``on``
    ``failure``/``success``), in that order."""
    if not isinstance(strategy, dict):
        return
    for kind in ("runOnce", "rolling", "canary"):
        spec = strategy.get(kind)
        if not isinstance(spec, dict):
            continue
        hooks = [spec.get(h) for h in HOOKS]
        on = spec.get("on", spec.get(True))  # YAML 1.1 reads a bare `on` as true
        if isinstance(on, dict):
            hooks.extend(on.get(outcome) for outcome in ("failure", "success"))
        for hook in hooks:
            if isinstance(hook, dict) and "steps" in hook:
                yield hook["steps"], line_of(hook, "steps", line)


def _pool(value: Any) -> str:
    if isinstance(value, dict):
        return text_of(value.get("vmImage") or value.get("name"))
    return text_of(value)


def _matrix(strategy: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if isinstance(matrix, dict):
        return (("jobs", tuple(str(k) for k in matrix)),)
    return (("jobs", (text_of(matrix),)),) if matrix else ()


def _filters(value: Any) -> str:
    """``branches: include main`` out of a trigger's list or ``branches``/``tags``/``paths``
    mapping."""
    if isinstance(value, list | str):
        return f"branches: {text_of(value)}"
    if not isinstance(value, dict):
        return ""
    parts: list[str] = []
    for ref in ("branches", "tags", "paths"):
        spec = value.get(ref)
        if isinstance(spec, dict):
            parts.extend(f"{ref} {k}: {text_of(v)}" for k, v in spec.items() if v)
    return "; ".join(parts)


def _triggers(data: Mapping[Any, Any], path: str) -> tuple[Trigger, ...]:
    triggers = []
    for key, event in (("trigger", "push"), ("pr", "pull request")):
        if key in data and text_of(data[key]) != "none":
            triggers.append(Trigger(event, _filters(data[key]),
                                    Evidence(path, line_of(data, key, 1))))
    schedules = data.get("schedules")
    for item, item_line in items_with_lines(schedules, line_of(data, "schedules", 1)):
        if isinstance(item, dict) and item.get("cron"):
            detail = "; ".join(filter(None, [text_of(item["cron"]), _filters(item)]))
            triggers.append(Trigger("schedule", detail, Evidence(path, item_line)))
    return tuple(triggers)


def read_azure(path: str, data: Mapping[Any, Any], commands: Commands,
               notes: list[FileNote]) -> list[Workflow]:
    reader = _Reader(path, commands, notes, _pool(data.get("pool")))
    extends = data.get("extends")
    if isinstance(extends, dict):
        reader.template(extends, line_of(data, "extends", 1))
    jobs: list[Job] = []
    for stage, stage_line in items_with_lines(data.get("stages"), line_of(data, "stages", 1)):
        if isinstance(stage, dict) and not reader.template(stage, stage_line):
            jobs.extend(reader.jobs(stage.get("jobs"), line_of(stage, "jobs", stage_line),
                                    text_of(stage.get("stage")),
                                    text_of(stage.get("condition"))))
    jobs.extend(reader.jobs(data.get("jobs"), line_of(data, "jobs", 1)))
    if "steps" in data:  # a pipeline of steps only: one implicit job
        steps = reader.steps(data["steps"], line_of(data, "steps", 1), frozenset())
        jobs.append(Job("job", "", tuple(steps), job_purposes(steps),
                        Evidence(path, line_of(data, "steps", 1)),
                        runner=reader.pool))
    return [Workflow(path, "azure-pipelines", PurePosixPath(path).name,
                     _triggers(data, path), tuple(jobs), Evidence(path, 1))]
