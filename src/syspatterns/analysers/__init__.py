"""One analyser per section of the document, registered here in the template's order."""

from __future__ import annotations

from collections.abc import Callable

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


# The sections by how long their analysis usually takes, longest first (measured on Django's
# source and on service repositories): with two processes taking the next one as each becomes
# free, the long ones start first and the short ones fill the gaps.
LONGEST_FIRST = ("patterns", "data-flow", "scalability", "error-handling", "security",
                 "testing", "deployment", "components", "maintenance", "performance",
                 "architecture", "decisions")


def analyse(model: SystemModel, jobs: int = 1,
            meanwhile: Callable[[], None] | None = None) -> list[Section]:
    """Every section, in document order. With ``jobs`` of 2 or more, and ``fork``, a forked
    process analyses sections too, each process taking the next section (longest first) as
    it becomes free; the sections and the files read (:attr:`SystemModel.reads`) are the
    same either way. ``meanwhile`` is other work for this process, done first: beside a
    forked process, that one starts on the sections at once."""
    chosen = analysers()
    if jobs < 2 or not forked.can_fork():
        if meanwhile:
            meanwhile()
        return [analyser.analyse(model) for analyser in chosen]
    rank = {key: place for place, key in enumerate(LONGEST_FIRST)}
    ordered = sorted(chosen, key=lambda a: rank.get(a.key, len(rank)))
    tasks = forked.Tasks(len(ordered))

    def share() -> dict[str, Section]:
        done = {}
        while (task := tasks.claim()) is not None:
            done[ordered[task].key] = ordered[task].analyse(model)
        return done

    try:
        wait = forked.start(lambda: (share(), model.reads))
    except OSError:  # no process to be had: this one takes every section
        wait = None
    if meanwhile:
        meanwhile()
    try:
        done = share()
    finally:
        tasks.close()
    if wait is not None:
        try:
            sections, reads = wait()
            model.reads |= reads
            done.update(sections)
        except forked.ForkFailed:  # the sections it took are analysed here
            pass
    return [done[a.key] if a.key in done else a.analyse(model) for a in chosen]


__all__ = ["LONGEST_FIRST", "Analyser", "analyse", "analysers"]
