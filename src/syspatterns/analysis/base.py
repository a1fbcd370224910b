"""What an analyser is, and the fallback for sections that have no detectors yet."""

from __future__ import annotations

from typing import Protocol

from syspatterns.core.evidence import Finding, Section
from syspatterns.core.sections import SECTION_BY_KEY
from syspatterns.core.version import __version__
from syspatterns.model import SystemModel


class Analyser(Protocol):
    """Turns the system model into one section of the document."""

    @property
    def key(self) -> str:
        """The section this analyser writes (a key of
        :data:`syspatterns.core.sections.SECTIONS`)."""

    def analyse(self, model: SystemModel) -> Section: ...


def new_section(key: str) -> Section:
    return Section(key=key, title=SECTION_BY_KEY[key].title)


class PendingAnalyser:
    """A section whose detectors do not exist yet: it says so for each of its sub-items,
    rather than guessing."""

    def __init__(self, key: str) -> None:
        self.key = key

    def analyse(self, model: SystemModel) -> Section:
        spec = SECTION_BY_KEY[self.key]
        section = new_section(self.key)
        claim = f"not analysed: syspatterns {__version__} has no detector for this yet."
        section.findings = [Finding(aspect, claim) for aspect in spec.aspects] or [
            Finding("Status", claim[0].upper() + claim[1:])
        ]
        return section
