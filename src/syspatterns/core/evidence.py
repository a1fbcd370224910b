"""Evidence and findings: every statement in the document carries where it was seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Evidence(NamedTuple):
    """A place in the repository: a POSIX path relative to its root and a 1-based line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line}


class Finding(NamedTuple):
    """One claim about the system, under one sub-item (aspect) of a section."""

    aspect: str
    claim: str
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "aspect": self.aspect,
            "claim": self.claim,
            "evidence": [e.to_json() for e in self.evidence],
        }


class Note(NamedTuple):
    """Something the analysis passed over, and why (a file it could not read, ...)."""

    path: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "reason": self.reason}


@dataclass
class Diagram:
    """A Mermaid diagram with a one-line caption."""

    caption: str
    mermaid: str

    def to_json(self) -> dict[str, object]:
        return {"caption": self.caption, "mermaid": self.mermaid}


@dataclass
class Subsection:
    """A titled group of findings inside a section (a component, a decision, ...).
    ``ordered`` findings are numbered steps (a data flow), shown with their diagrams after
    them."""

    title: str
    findings: list[Finding] = field(default_factory=list)
    ordered: bool = False
    diagrams: list[Diagram] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        found: dict[str, object] = {"title": self.title,
                                    "findings": [f.to_json() for f in self.findings]}
        if self.ordered:
            found["ordered"] = True
        if self.diagrams:
            found["diagrams"] = [d.to_json() for d in self.diagrams]
        return found


@dataclass
class Section:
    """One of the document's sections, as an analyser produced it.

    ``findings`` are the section's own sub-items (in the template's order), ``subsections``
    its repeated groups (components, decisions, patterns).
    """

    key: str
    title: str
    summary: list[Finding] = field(default_factory=list)
    diagrams: list[Diagram] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    subsections: list[Subsection] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "summary": [f.to_json() for f in self.summary],
            "diagrams": [d.to_json() for d in self.diagrams],
            "findings": [f.to_json() for f in self.findings],
            "subsections": [s.to_json() for s in self.subsections],
        }
