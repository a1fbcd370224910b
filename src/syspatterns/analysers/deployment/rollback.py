"""Rollback strategy: migrations that can be reversed, rollback commands, rollout settings and
Helm releases."""


from __future__ import annotations

from syspatterns.analysers.deployment.diagrams import ref
from syspatterns.analysers.deployment.migrations import alembic_findings, django_findings
from syspatterns.analysers.deployment.wording import ROLLBACK, cmd, evidence
from syspatterns.analysis.text import code
from syspatterns.core.evidence import Finding
from syspatterns.model import SystemModel
from syspatterns.model.ci import (
    CI,
    Job,
    Workflow,
)
from syspatterns.model.deployment import (
    TEMPLATED,
    Deployment,
)


def rollback_findings(model: SystemModel, deployment: Deployment, ci: CI) -> list[Finding]:
    findings = [*alembic_findings(model, ROLLBACK), *django_findings(model, ROLLBACK)]
    steps = ci.steps_with("rollback")
    if steps:
        findings.append(Finding(ROLLBACK, "Rollback commands run in CI and scripts: " + "; ".join(
            f"{cmd(s.command, 80)} ({_where(w, j)})" for w, j, s in steps) + ".",
            tuple(s.evidence for _, _, s in steps)))
    rollouts = [o for o in deployment.k8s_objects
                if o.kind in ("Deployment", "StatefulSet", "DaemonSet", "Rollout")]
    for o in rollouts:
        if o.strategy is None:
            strategy = "declares no rollout strategy (Kubernetes applies RollingUpdate by default)"
        elif o.strategy.value == TEMPLATED:
            strategy = "takes its rollout strategy from a template action (chart values)"
        else:
            strategy = f"rolls out with {code(o.strategy.value)}"
        history = (f"keeps {code(o.revision_history_limit.value)} old revisions "
                   "(`revisionHistoryLimit`)") if o.revision_history_limit else (
            "does not set `revisionHistoryLimit` (Kubernetes keeps 10 old revisions by default)"
            if o.kind == "Deployment" else "")
        findings.append(Finding(ROLLBACK, f"{ref(o)} {strategy}"
                                + (f"; it {history}" if history else "") + ".",
                                evidence([o.evidence, o.strategy.evidence if o.strategy
                                           else None, o.revision_history_limit.evidence
                                           if o.revision_history_limit else None])))
    findings.extend(Finding(ROLLBACK, f"Helm chart {code(c.name)}: each `helm upgrade` of a "
                            "release is a revision that `helm rollback` can return to.",
                            (c.evidence,)) for c in deployment.helm_charts)
    if findings and not rollouts and not deployment.helm_charts and (
            deployment.dockerfiles or deployment.compose_files):
        findings.append(Finding(ROLLBACK, (
            "No orchestrator rollout settings were found (no Kubernetes Deployment with a "
            "`strategy` or `revisionHistoryLimit`, no Helm chart): rolling back the running "
            "service is not described by the repository's files.")))
    if not findings:
        findings.append(Finding(ROLLBACK, (
            "No rollback mechanism was found: looked for Alembic migrations with `downgrade()`, "
            "Django migrations, rollback commands (`alembic downgrade`, `helm rollback`, "
            "`kubectl rollout undo`, ...) in CI and scripts, Kubernetes rollout strategies and "
            "Helm charts.")))
    return findings


def _where(workflow: Workflow, job: Job) -> str:
    return f"{code(job.name)} in {code(workflow.path)}"
