"""CI steps that run a tox environment, nox session or Makefile target of the repository
take that task's purposes."""

from __future__ import annotations

from dataclasses import replace

from syspatterns.model.ci.commands import normalise_path, simple_commands, unwrapped
from syspatterns.model.ci.step_rules import load_step_rules
from syspatterns.model.ci.workflows import PIPELINE_KINDS, Job, Step, Workflow


def _task_names(words: list[str]) -> tuple[str, list[str]] | None:
    """``(runner file, task names)`` for ``tox -e a,b``, ``nox -s a b`` and ``make -C dir a``;
    an empty list means the runner's default."""
    runner, rest = words[0], words[1:]
    if runner == "tox":
        envs: list[str] = []
        for index, word in enumerate(rest):
            if word in ("-e", "--env") and index + 1 < len(rest):
                envs.extend(rest[index + 1].split(","))
            elif word.startswith(("-e=", "--env=")):
                envs.extend(word.partition("=")[2].split(","))
        return "tox.ini", [e for e in envs if e]
    if runner == "nox":
        sessions: list[str] = []
        taking = False
        for word in rest:
            if word in ("-s", "--session", "--sessions"):
                taking = True
            elif word.startswith("-"):
                taking = False
            elif taking:
                sessions.append(word)
        return "noxfile.py", sessions
    if runner in ("make", "gmake", "$(MAKE)"):
        folder, targets = "", []
        skip = False
        for index, word in enumerate(rest):
            if skip:
                skip = False
            elif word == "-C" and index + 1 < len(rest):
                folder, skip = rest[index + 1].rstrip("/") + "/", True
            elif not word.startswith("-") and "=" not in word:
                targets.append(word)
        return f"{normalise_path(folder)}/Makefile".lstrip("/"), targets
    return None


def with_tasks(workflows: list[Workflow]) -> list[Workflow]:
    """CI steps that run a tox environment, nox session or Makefile target of the repository
    take its purposes too."""
    runners = {w.path: {j.name: j for j in w.jobs} for w in workflows
               if w.kind in ("tox", "nox", "make")}
    if not runners:
        return workflows
    rules = load_step_rules()

    def tasks(step: Step) -> list[tuple[str, Job]]:
        found: list[tuple[str, Job]] = []
        for words in simple_commands(step.command):
            for candidate in unwrapped(words, rules):
                named = _task_names(candidate)
                if named is None or named[0] not in runners:
                    continue
                jobs = runners[named[0]]
                wanted = named[1] or (["testenv"] if named[0] == "tox.ini" else
                                      list(jobs)[:1] if named[0].endswith("Makefile")
                                      else list(jobs))
                for name in wanted:
                    # tox runs an environment without a section of its own (`py312`) with
                    # the `[testenv]` settings.
                    task = jobs.get(name) or (jobs.get("testenv") if named[0] == "tox.ini"
                                              else None)
                    if task is not None:
                        found.append((f"{named[0]}:{name}", task))
        return found

    result = []
    for workflow in workflows:
        if workflow.kind not in PIPELINE_KINDS:
            result.append(workflow)
            continue
        jobs = []
        for job in workflow.jobs:
            steps = []
            for step in job.steps:
                ran = tasks(step) if step.command else []
                if ran:
                    step = step._replace(
                        purposes=rules.order([*step.purposes,
                                              *(p for _, j in ran for p in j.purposes)]),
                        tasks=tuple(dict.fromkeys(name for name, _ in ran)))
                steps.append(step)
            jobs.append(replace(job, steps=tuple(steps), purposes=rules.order(
                [*job.purposes, *(p for s in steps for p in s.purposes)])))
        result.append(replace(workflow, jobs=tuple(jobs)))
    return result
