"""One analyser per section of the document, registered here in the template's order."""

from __future__ import annotations

from syspatterns.analysers import forked
from syspatterns.analysers.architecture import ArchitectureAnalyser
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
from syspatterns.analysis.base import Analyser, PendingAnalyser
from syspatterns.core.evidence import Section
from syspatterns.core.sections import SECTIONS
from syspatterns.model import SystemModel

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


# Analysers run in a second process when two cores are available: Design Patterns and Data
# Flow (both walk every function of the code) take about as long as all the other sections
# together (measured on Django's source).
SECOND_PROCESS = frozenset({"patterns", "data-flow"})


def analyse(model: SystemModel, jobs: int = 1) -> list[Section]:
    """Every section, in document order. With ``jobs`` of 2 or more, and ``fork``, the
    analysers of :data:`SECOND_PROCESS` run in a forked process meanwhile; the sections and
    the files read (:attr:`SystemModel.reads`) are the same either way."""
    chosen = analysers()
    if jobs < 2 or not forked.can_fork():
        return [analyser.analyse(model) for analyser in chosen]
    away = [a for a in chosen if a.key in SECOND_PROCESS]
    wait = forked.start(lambda: ([a.analyse(model) for a in away], model.reads))
    done = {a.key: a.analyse(model) for a in chosen if a.key not in SECOND_PROCESS}
    try:
        sections, reads = wait()
        model.reads |= reads
        done.update((section.key, section) for section in sections)
    except forked.ForkFailed:
        done.update((a.key, a.analyse(model)) for a in away)
    return [done[a.key] for a in chosen]


__all__ = ["Analyser", "analyse", "analysers"]
