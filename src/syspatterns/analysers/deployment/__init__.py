"""Deployment Architecture: how the system is set up, built, released, watched and rolled
back, from its deployment files (:mod:`syspatterns.model.deployment`), its CI and task
automation (:mod:`syspatterns.model.ci`), the environment the code reads
(:mod:`~syspatterns.analysers.deployment.environment`) and its migrations (from the extracted
facts, :mod:`~syspatterns.analysers.deployment.migrations`)."""

from __future__ import annotations

from typing import ClassVar

from syspatterns.analysers.deployment.diagrams import deployment_diagrams, overview_findings
from syspatterns.analysers.deployment.environment import environment_findings
from syspatterns.analysers.deployment.environment_setup import setup_findings
from syspatterns.analysers.deployment.monitoring import monitoring_findings
from syspatterns.analysers.deployment.process import process_findings
from syspatterns.analysers.deployment.rollback import rollback_findings
from syspatterns.analysers.deployment.wording import SETUP
from syspatterns.analysis.base import new_section
from syspatterns.core.evidence import Finding, Section
from syspatterns.model import SystemModel
from syspatterns.model.ci import read_ci
from syspatterns.model.deployment import read_deployment


class DeploymentAnalyser:
    key: ClassVar[str] = "deployment"

    def analyse(self, model: SystemModel) -> Section:
        deployment = read_deployment(model)
        ci = read_ci(model)
        section = new_section(self.key)
        section.summary.extend(overview_findings(deployment, ci))
        section.diagrams.extend(deployment_diagrams(deployment))
        section.findings.extend(setup_findings(deployment))
        section.findings.extend(environment_findings(model, SETUP) or [Finding(
            SETUP, "The code reads no environment variable by a literal name (looked for "
            "`os.environ.get`, `os.getenv`, `os.environ[...]` in settings, reader objects such "
            "as Starlette's `Config`, python-decouple's `config` and django-environ's `Env`, "
            "and settings classes).")])
        section.findings.extend(process_findings(deployment, ci))
        section.findings.extend(monitoring_findings(model, deployment))
        section.findings.extend(rollback_findings(model, deployment, ci))
        return section
