"""GitHub Actions workflows (``.github/workflows/*.yml``): triggers, jobs, steps, matrix,
services, environments, and jobs that call a reusable workflow of the repository."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from syspatterns.core.evidence import Evidence
from syspatterns.model.ci.commands import Commands, classify_action, normalise_path
from syspatterns.model.ci.jobs import (
    environment_of,
    inputs_of,
    job_purposes,
    name_purposes,
    names_of,
)
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.workflows import FileNote, Job, Step, Trigger, Workflow
from syspatterns.model.ci.yaml_lines import YamlMap, items_with_lines, line_of, text_of


def _github_triggers(data: YamlMap, path: str) -> tuple[Trigger, ...]:
    key = "on" if "on" in data else True  # YAML 1.1 reads a bare `on` as true
    value = data.get(key)
    line = data.line_of(key)
    triggers = []
    if isinstance(value, dict):
        for event, spec in value.items():
            details = []
            if isinstance(spec, dict):
                for name in ("branches", "branches-ignore", "tags", "tags-ignore", "paths",
                             "types", "workflows"):
                    if spec.get(name):
                        details.append(f"{name}: {text_of(spec[name])}")
            elif isinstance(spec, list):
                details.extend(text_of(item.get("cron")) for item in spec
                               if isinstance(item, dict) and item.get("cron"))
            triggers.append(Trigger(str(event), "; ".join(details),
                                    Evidence(path, line_of(value, event, line))))
    else:
        for event, event_line in items_with_lines(value, line):
            triggers.append(Trigger(text_of(event), "", Evidence(path, event_line)))
    return tuple(triggers)


def _working_directory(*holders: Any) -> str:
    """``working-directory`` of a step, else ``defaults.run`` of its job or workflow."""
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        value = holder.get("working-directory")
        defaults = holder.get("defaults")
        if value is None and isinstance(defaults, dict) and isinstance(defaults.get("run"),
                                                                         dict):
            value = defaults["run"].get("working-directory")
        if value is not None:
            text = text_of(value)
            return "" if "${{" in text else text
    return ""


def _github_step(item: Any, line: int, path: str, commands: Commands, cwd: str,
                 context: frozenset[str]) -> Step | None:
    if not isinstance(item, dict):
        return None
    condition = text_of(item.get("if"))
    name = text_of(item.get("name"))
    if item.get("uses"):
        uses = text_of(item["uses"])
        inputs = inputs_of(item.get("with"))
        purposes, _ = classify_action(uses, dict(inputs))
        return Step(name, "", uses, inputs, purposes, condition, Evidence(path, line))
    if item.get("run"):
        return commands.step(text_of(item["run"]), line, path, name=name, condition=condition,
                             cwd=_working_directory(item) or cwd, context=context)
    return None


def _matrix(strategy: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if isinstance(matrix, str):
        return (("matrix", (matrix,)),)
    if not isinstance(matrix, dict):
        return ()
    return tuple(
        (str(k), tuple(text_of(x) for x in v) if isinstance(v, list) else (text_of(v),))
        for k, v in matrix.items() if k not in ("include", "exclude"))


def _github_job(job_id: str, spec: Any, line: int, path: str, workflow: YamlMap,
                commands: Commands) -> Job:
    if not isinstance(spec, dict):
        return Job(job_id, "", (), (), Evidence(path, line))
    title = text_of(spec.get("name"))
    context = name_purposes(job_id, title) or name_purposes(text_of(workflow.get("name")))
    cwd = _working_directory(spec, workflow)
    steps: list[Step] = []
    if spec.get("uses"):  # a job that calls a reusable workflow
        step = _github_step({"uses": spec["uses"], "with": spec.get("with")},
                            line_of(spec, "uses", line), path, commands, cwd, context)
        steps.extend([step] if step else [])
    for item, item_line in items_with_lines(spec.get("steps"), line_of(spec, "steps", line)):
        step = _github_step(item, item_line, path, commands, cwd, context)
        if step is not None:
            steps.append(step)
    services = spec.get("services")
    runs_on = spec.get("runs-on")
    return Job(
        name=job_id,
        title=title,
        steps=tuple(steps),
        purposes=job_purposes(steps),
        evidence=Evidence(path, line),
        needs=names_of(spec.get("needs")),
        condition=text_of(spec.get("if")),
        runner=text_of(runs_on) if not isinstance(runs_on, dict) else text_of(runs_on.get(
            "labels", runs_on.get("group"))),
        matrix=_matrix(spec.get("strategy")),
        services=tuple(
            f"{name} ({text_of(s.get('image'))})" if isinstance(s, dict) else str(name)
            for name, s in services.items()) if isinstance(services, dict) else (),
        environment=environment_of(spec.get("environment")),
    )


def read_github(path: str, data: YamlMap, commands: Commands,
                notes: list[FileNote]) -> list[Workflow]:
    jobs_value = data.get("jobs")
    jobs = tuple(
        _github_job(str(job_id), spec, line_of(jobs_value, job_id, 1), path, data, commands)
        for job_id, spec in jobs_value.items()) if isinstance(jobs_value, dict) else ()
    name = text_of(data.get("name")) or PurePosixPath(path).name
    return [Workflow(path, "github-actions", name, _github_triggers(data, path), jobs,
                     Evidence(path, data.line_of("name", 1)))]


def with_called_workflows(workflows: list[Workflow]) -> list[Workflow]:
    """Jobs that call a reusable workflow of the repository (``uses:
    ./.github/workflows/x.yml``) take the purposes of that workflow's jobs."""
    by_path = {w.path: w for w in workflows if w.kind == "github-actions"}

    def called(job: Job, depth: int = 0) -> tuple[str, ...]:
        target = by_path.get(normalise_path(job.steps[0].uses.split("@", 1)[0])) \
            if job.steps and job.steps[0].uses.startswith("./") else None
        if target is None or depth > 5:
            return job.purposes
        return load_step_rules().order(
            p for inner in target.jobs for p in called(inner, depth + 1))

    result = []
    for workflow in workflows:
        if workflow.kind != "github-actions":
            result.append(workflow)
            continue
        jobs = []
        for job in workflow.jobs:
            purposes = called(job)
            if purposes != job.purposes:
                step = job.steps[0]._replace(purposes=purposes)
                job = replace(job, steps=(step, *job.steps[1:]), purposes=purposes)
            jobs.append(job)
        result.append(replace(workflow, jobs=tuple(jobs)))
    return result
