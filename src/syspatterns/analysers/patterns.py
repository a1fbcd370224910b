"""Design Patterns: one subsection per pattern found with enough structural evidence (see
:mod:`syspatterns.patterns`), each with its purpose in this system, how the code implements
it and where. When none qualifies, the section says which patterns were looked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import plural
from syspatterns.core.evidence import Finding, Section, Subsection
from syspatterns.model import SystemModel

if TYPE_CHECKING:
    from syspatterns.patterns import Detection

THRESHOLD = 0.6  # detections below this confidence are not written


def _confidence(value: float) -> str:
    return "high" if value >= 0.85 else "medium" if value >= 0.7 else "low"


def _location(detection: Detection) -> str:
    shown = ", ".join(f"`{site.label}`" for site in detection.locations)
    rest = detection.count - len(detection.locations)
    more = f", and {plural(rest, 'more place')}" if rest > 0 else ""
    return f"{shown}{more} ({plural(detection.count, 'place')} in all)."


class PatternsAnalyser:
    key: ClassVar[str] = "patterns"

    def analyse(self, model: SystemModel) -> Section:
        # Imported here: the detectors use this package's helpers, so importing them at the
        # top would make the two packages import each other.
        from syspatterns.patterns import detect_patterns

        section = new_section(self.key)
        results = detect_patterns(model)
        kept = [d for _, d in results if d is not None and d.confidence >= THRESHOLD]
        for number, detection in enumerate(kept, 1):
            evidence = tuple(site.evidence for site in detection.locations)
            section.subsections.append(Subsection(f"Pattern {number}: {detection.pattern}", [
                Finding("Purpose", detection.purpose, evidence[:3]),
                Finding("Implementation",
                        f"{detection.implementation[:-1]} (confidence "
                        f"{_confidence(detection.confidence)}: {detection.confidence:.2f}).",
                        evidence[:3]),
                Finding("Location", _location(detection), evidence),
            ]))
        missing = [detector for detector, found in results
                   if found is None or found.confidence < THRESHOLD]
        if not kept:
            section.summary.append(Finding(
                "Patterns",
                "No design pattern was found with enough structural evidence. Looked for: "
                + "; ".join(f"{d.pattern} ({d.looks_for})" for d in missing) + "."))
        elif missing:
            section.summary.append(Finding(
                "Patterns",
                f"{plural(len(kept), 'pattern')} found with structural evidence. Also looked "
                "for, and not found: " + ", ".join(d.pattern for d in missing) + "."))
        return section
