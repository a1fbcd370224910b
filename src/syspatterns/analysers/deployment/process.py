"""Deployment process: the pipelines and scripts that build, publish, deploy and migrate, and
the steps that are missing."""


from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from syspatterns.analysers.deployment.wording import (
    CONDITION_WORDS,
    EXPRESSION_CONDITIONS,
    PIPELINE_TITLES,
    PROCESS,
    RELEASE_PURPOSES,
    SCRIPT_KINDS,
    STEP_PURPOSES,
    cmd,
    evidence,
    join,
    listed_purposes,
    short,
)
from syspatterns.analysis.text import code
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.model.ci import (
    CI,
    PIPELINE_KINDS,
    SYSTEM_NAMES,
    Job,
    Step,
    Workflow,
    classify_action,
    classify_command,
    load_step_rules,
    name_purposes,
)
from syspatterns.model.deployment import (
    Deployment,
)


def _is_release(job: Job) -> bool:
    return any(p in RELEASE_PURPOSES for p in job.purposes)


def _workflow_text(workflow: Workflow) -> str:
    """``Workflow `ci` (`path`) runs on push (branches: main); jobs:`` or, for another CI
    system, ``GitLab CI pipeline (`.gitlab-ci.yml`, including `ci/test.yml`) has jobs:``."""
    where = code(workflow.path) + (", including " + ", ".join(
        code(p) for p in workflow.includes) if workflow.includes else "")
    if workflow.kind == "github-actions":
        title = f"Workflow {code(workflow.name)} ({where})"
    else:
        named = "" if workflow.name == PurePosixPath(workflow.path).name \
            else f" {code(workflow.name)}"
        title = f"{PIPELINE_TITLES[workflow.kind]}{named} ({where})"
    if not workflow.triggers:
        return f"{title} has jobs:"
    return f"{title} runs on " + join([t.event + (f" ({t.detail})" if t.detail else "")
                                       for t in workflow.triggers]) + "; jobs:"


def _job_text(job: Job) -> str:
    extra = []
    purposes = listed_purposes(job.purposes)
    if purposes:
        extra.append(purposes)
    if job.needs:
        extra.append("after " + ", ".join(code(n) for n in job.needs))
    return code(job.name) + (f" ({'; '.join(extra)})" if extra else "")


def _step_text(step: Step, wanted: Iterable[str] = STEP_PURPOSES) -> str:
    """An action with the inputs worth quoting, or the commands of a shell step that have
    one of the ``wanted`` purposes (the whole command when its scripts give the purpose)."""
    if step.uses and not step.command:
        rule_show = _shown_inputs(step)
        shown = ", ".join(f"{k}: {short(v, 60)}" for k, v in step.inputs if k in rule_show)
        return code(step.uses) + (f" ({shown})" if shown else "")
    wanted = set(wanted)
    own = [command for command, purposes in step.matched if wanted & set(purposes)]
    uncommented = "\n".join(line for line in step.command.splitlines()
                             if not line.lstrip().startswith("#"))
    text = " && ".join(cmd(c) for c in own[:3]) if own else cmd(uncommented)
    ran = [*step.scripts, *step.tasks]
    via = f" (runs {', '.join(code(p) for p in ran)})" if ran else ""
    return text + via


def _shown_inputs(step: Step) -> tuple[str, ...]:
    return classify_action(step.uses, dict(step.inputs))[1]


def process_findings(deployment: Deployment, ci: CI) -> list[Finding]:
    findings = _pipelines(ci)
    for workflow in ci.of_kind(*SCRIPT_KINDS):
        jobs = [j for j in workflow.jobs if _is_release(j)]
        if jobs:
            findings.append(Finding(
                PROCESS, f"{_script_title(workflow)} " + "; ".join(
                    f"{code(j.name)} ({listed_purposes(j.purposes)})"
                    + (": " + ", ".join(_step_text(s) for s in j.steps if _is_release_step(s))
                       if any(_is_release_step(s) for s in j.steps) else "")
                    for j in jobs) + ".",
                evidence([*(j.evidence for j in jobs),
                           *(s.evidence for j in jobs for s in j.steps
                             if _is_release_step(s))])))
    findings.extend(_compose_migrations(deployment))
    releases = [p for p in deployment.processes if p.name == "release"]
    findings.extend(Finding(PROCESS, f"The Procfile's `release` process runs {cmd(p.command)} "
                            "before each release goes live.", (p.evidence,)) for p in releases)
    for release in deployment.releases:
        findings.append(Finding(PROCESS, f"{release.tool} recipe {code(release.evidence.path)}"
                                + (f" builds {code(release.name)}" if release.name else "")
                                + (f" ({release.detail})" if release.detail else "") + ".",
                                (release.evidence,)))
    findings.extend(_missing_steps(ci))
    findings.extend(Finding(PROCESS, f"{code(o.path)} ({o.system}) is present but not read "
                            "by this version.", (Evidence(o.path, 1),))
                    for o in ci.other_systems if o.pipeline)
    findings.extend(Finding(PROCESS, f"{code(n.evidence.path)}"
                            + (" was skipped: " if n.skipped else ": ") + f"{n.reason}.",
                            (n.evidence,)) for n in ci.notes)
    return findings


def _in_test_job(workflow: Workflow, job: Job) -> bool:
    """Whether the job's or its workflow's name says it tests (``Test chart``): what it
    deploys goes to a throw-away environment."""
    return "test" in name_purposes(job.name, job.title, workflow.name)


def _releases(workflow: Workflow, job: Job) -> bool:
    """Whether a job publishes, or deploys outside a test job."""
    return "publish" in job.purposes or (
        "deploy" in job.purposes and not _in_test_job(workflow, job))


def _pipelines(ci: CI) -> list[Finding]:
    """Release pipelines in detail; pipelines that only build, that deploy only for tests,
    and the others, each in one line."""
    findings: list[Finding] = []
    build_only: list[Workflow] = []
    test_deploys: list[Workflow] = []
    quiet: list[Workflow] = []
    for workflow in ci.of_kind(*PIPELINE_KINDS):
        purposes = {p for j in workflow.jobs for p in j.purposes}
        if not any(_releases(workflow, j) for j in workflow.jobs):
            if "deploy" in purposes:
                test_deploys.append(workflow)
            elif "build" in purposes:
                build_only.append(workflow)
            else:
                quiet.append(workflow)
            continue
        findings.append(Finding(
            PROCESS, f"{_workflow_text(workflow)} "
            + ", ".join(_job_text(j) for j in workflow.jobs) + ".",
            evidence([workflow.evidence, *(Evidence(p, 1) for p in workflow.includes),
                       *(t.evidence for t in workflow.triggers),
                       *(j.evidence for j in workflow.jobs)])))
        findings.extend(_release_job(workflow, job) for job in workflow.jobs
                        if _is_release(job) and not _in_test_job(workflow, job))
    for title, workflows, purpose in (
            ("Workflows that deploy only into a test environment", test_deploys, "deploy"),
            ("Workflows that build but neither publish nor deploy", build_only, "build")):
        if not workflows:
            continue
        listed = [(w, [s for j in w.jobs for s in j.steps if purpose in s.purposes])
                  for w in workflows]
        findings.append(Finding(
            PROCESS, f"{title}: " + "; ".join(
                f"{code(w.name)} ("
                + ", ".join(list(dict.fromkeys(_step_text(s, (purpose,)) for s in steps))[:3])
                + ")" for w, steps in listed) + ".",
            evidence(s.evidence for _, steps in listed for s in steps)))
    if quiet:
        findings.append(Finding(
            PROCESS, "CI workflows that neither build, publish nor deploy: " + ", ".join(
                f"{code(w.name)} ({code(w.path)}"
                + (f"; {shown}" if (shown := listed_purposes(
                    load_step_rules().order(p for j in w.jobs for p in j.purposes))) else "")
                + ")" for w in quiet) + ".",
            tuple(w.evidence for w in quiet)))
    return findings


def _is_release_step(step: Step) -> bool:
    return any(p in STEP_PURPOSES for p in step.purposes)


def _script_title(workflow: Workflow) -> str:
    kind = {"make": "Makefile targets", "tox": "tox environments", "nox": "nox sessions"}
    return f"{kind[workflow.kind]} in {code(workflow.path)}:"


def _release_job(workflow: Workflow, job: Job) -> Finding:
    conditions = []
    if job.condition:
        conditions.append(("only if " if workflow.kind in EXPRESSION_CONDITIONS else "with ")
                          + cmd(job.condition, 80))
    if job.environment:
        conditions.append(f"environment {code(job.environment)}")
    if job.stage:
        conditions.append(f"stage {code(job.stage)}")
    steps = [s for s in job.steps if _is_release_step(s)]
    listed = "; ".join(f"{_step_text(s)} ({listed_purposes(s.purposes)})" for s in steps)
    return Finding(
        PROCESS, f"Job {code(job.name)} of {code(workflow.name)}"
        + (f" ({', '.join(conditions)})" if conditions else "") + f": {listed}.",
        evidence([job.evidence, *(s.evidence for s in steps),
                   *(Evidence(p, 1) for s in steps for p in s.scripts)]))


def _compose_migrations(deployment: Deployment) -> list[Finding]:
    findings = []
    for compose in deployment.compose_files:
        for service in compose.services:
            if service.command is None or "migrate" not in classify_command(
                    service.command.value):
                continue
            waiting = [(s, d) for s in compose.services for d in s.depends_on
                       if d.service == service.name]
            text = (f"Compose service {code(service.name)} applies database migrations "
                    f"({cmd(service.command.value, 80)})")
            if waiting:
                text += "; " + join([code(s.name) for s, _ in waiting]) + " wait for it (" \
                    + ", ".join(sorted({CONDITION_WORDS.get(d.condition, d.condition)
                                        for _, d in waiting})) + ")"
            findings.append(Finding(PROCESS, text + ".", evidence(
                [service.command.evidence, *(d.evidence for _, d in waiting)])))
    return findings


def _missing_steps(ci: CI) -> list[Finding]:
    tools: dict[str, str] = {}
    for rule in load_step_rules().commands:
        if "deploy" in rule.purposes and "*" not in rule.pattern[0]:
            tools.setdefault(rule.pattern[0], " ".join(rule.pattern))
    examples = ", ".join(code(tools[t]) for t in ("kubectl", "helm", "terraform", "fly")
                         if t in tools)
    where = join([*(SYSTEM_NAMES[k] for k in PIPELINE_KINDS), "tox", "nox", "Makefiles"])
    has = {p for w in ci.workflows for j in w.jobs for p in j.purposes}
    if not has & {"build", "publish", "deploy"}:
        return [Finding(PROCESS, (
            f"No build, publish or deploy step was found in {where}: looked for the commands "
            f"and actions of the step table (for example `docker build`, `twine upload`, "
            f"`pypa/gh-action-pypi-publish`, {examples}).")
        )]
    if "deploy" not in has:
        end, what = ("publishing", "published") if "publish" in has else ("building", "built")
        return [Finding(PROCESS, (
            f"No deploy step was found in {where} (looked for commands such as {examples} and "
            f"deploy actions): the pipelines end at {end}; how {what} artefacts reach a "
            "running environment is not described in these files."))]
    return []
