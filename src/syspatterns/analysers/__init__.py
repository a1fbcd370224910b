"""One analyser per section of the document, registered here in the template's order."""

from __future__ import annotations

from syspatterns.analysers.architecture import ArchitectureAnalyser
from syspatterns.analysers.base import Analyser, PendingAnalyser
from syspatterns.analysers.components import ComponentsAnalyser
from syspatterns.analysers.data_flow import DataFlowAnalyser
from syspatterns.analysers.decisions import DecisionsAnalyser
from syspatterns.analysers.deployment import DeploymentAnalyser
from syspatterns.analysers.error_handling import ErrorHandlingAnalyser
from syspatterns.analysers.maintenance import MaintenanceAnalyser
from syspatterns.analysers.patterns import PatternsAnalyser
from syspatterns.analysers.performance import PerformanceAnalyser, ScalabilityAnalyser
from syspatterns.analysers.security import SecurityAnalyser
from syspatterns.analysers.testing import TestingAnalyser
from syspatterns.evidence import Section
from syspatterns.model import SystemModel
from syspatterns.sections import SECTIONS

_IMPLEMENTED: dict[str, Analyser] = {
    analyser.key: analyser for analyser in (
        ArchitectureAnalyser(),
        ComponentsAnalyser(),
        DecisionsAnalyser(),
        PatternsAnalyser(),
        DataFlowAnalyser(),
        TestingAnalyser(),
        ErrorHandlingAnalyser(),
        MaintenanceAnalyser(),
        SecurityAnalyser(),
        ScalabilityAnalyser(),
        PerformanceAnalyser(),
        DeploymentAnalyser(),
    )
}


def analysers() -> list[Analyser]:
    """The analysers of every section, in document order."""
    return [_IMPLEMENTED.get(spec.key) or PendingAnalyser(spec.key) for spec in SECTIONS]


def analyse(model: SystemModel) -> list[Section]:
    return [analyser.analyse(model) for analyser in analysers()]


__all__ = ["Analyser", "analyse", "analysers"]
