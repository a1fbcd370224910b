"""The document as Markdown: the template's headings in order, each section's generated part
between ``<!-- syspatterns:begin KEY -->`` and ``<!-- syspatterns:end KEY -->`` markers."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from syspatterns.core.evidence import Evidence, Finding, Note, Section
from syspatterns.core.version import __version__
from syspatterns.document.blocks import block
from syspatterns.model import SystemModel

EVIDENCE_LIMIT = 3
NOTES_KEY = "analysis-notes"


class _Links:
    """Evidence as Markdown links relative to where the document is written."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def link(self, evidence: Evidence) -> str:
        return f"[{evidence}]({self.prefix}{evidence.path}#L{evidence.line})"

    def cite(self, evidence: tuple[Evidence, ...]) -> str:
        if not evidence:
            return ""
        shown = ", ".join(self.link(e) for e in evidence[:EVIDENCE_LIMIT])
        rest = len(evidence) - EVIDENCE_LIMIT
        return f" ({shown}{f' and {rest} more' if rest > 0 else ''})"


def _claim(finding: Finding, links: _Links) -> str:
    text = finding.claim.rstrip()
    cite = links.cite(finding.evidence)
    if cite and text.endswith("."):
        return f"{text[:-1]}{cite}."
    return f"{text}{cite}"


def _findings(findings: Iterable[Finding], links: _Links) -> list[str]:
    lines = []
    for aspect, group in groupby(findings, key=lambda f: f.aspect):
        items = list(group)
        if len(items) == 1:
            lines.append(f"- {aspect}: {_claim(items[0], links)}")
        else:
            lines.append(f"- {aspect}:")
            lines.extend(f"  - {_claim(item, links)}" for item in items)
    return lines


def _section_body(section: Section, links: _Links) -> list[str]:
    lines: list[str] = []
    for finding in section.summary:
        lines.extend([_claim(finding, links), ""])
    for diagram in section.diagrams:
        lines.extend([diagram.caption, "", "```mermaid", diagram.mermaid, "```", ""])
    if section.findings:
        lines.extend([*_findings(section.findings, links), ""])
    for subsection in section.subsections:
        lines.extend([f"### {subsection.title}", ""])
        if subsection.ordered:
            lines.extend(f"{number}. {_claim(finding, links)}"
                         for number, finding in enumerate(subsection.findings, 1))
        else:
            lines.extend(_findings(subsection.findings, links))
        lines.append("")
        for diagram in subsection.diagrams:
            lines.extend([diagram.caption, "", "```mermaid", diagram.mermaid, "```", ""])
    while lines and lines[-1] == "":
        lines.pop()
    return lines


PLACES_SHOWN = 3  # places (and vendored names) listed for each note; the rest are counted


def _first_few(items: list[str]) -> str:
    """The first :data:`PLACES_SHOWN` of ``items``, and how many more there are."""
    shown = ", ".join(items[:PLACES_SHOWN])
    rest = len(items) - PLACES_SHOWN
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def _places(places: list[Evidence], links: _Links) -> str:
    """The first few ``places`` as links, and how many more there are."""
    return _first_few([links.link(where) for where in places])


def _notes(model: SystemModel, links: _Links) -> list[str]:
    listing = ("git-tracked and untracked, not ignored" if model.scan.source == "git"
               else "by a walk that honours .gitignore")
    lines = [
        f"The scan listed {len(model.scan.files):,} files ({listing}) "
        f"and analysed {len(model.facts):,} Python files.",
        "",
    ]
    notes: list[Note] = model.notes
    if notes:
        lines.append("Files passed over:")
        lines.append("")
        lines.extend(f"- `{n.path}`: {n.reason}" for n in notes)
        lines.append("")
    else:
        lines.extend(["No file was passed over.", ""])
    if model.missing_imports:
        lines.append("Imports of the repository's own names that match no module:")
        lines.append("")
        for target, places in model.missing_import_places():
            lines.append(f"- `{target}` in {_places(places, links)}")
        lines.append("")
    if model.vendored_imports:
        lines.append("Imports of vendored code (copies of other projects, which the scan "
                     "skips):")
        lines.append("")
        for folder, targets, places in model.vendored_import_places():
            named = _first_few([f"`{target}`" for target in targets])
            lines.append(f"- `{folder}/`: {len(places):,} imports ({named}) in "
                         f"{_places(places, links)}")
        lines.append("")
    while lines[-1] == "":
        lines.pop()
    return lines


def render_markdown(model: SystemModel, sections: list[Section], link_prefix: str = "") -> str:
    """The whole document. ``link_prefix`` leads from the document's folder to the
    repository root (``../`` for ``memory-bank/systemPatterns.md``)."""
    links = _Links(link_prefix)
    header = (
        f"> Generated by syspatterns {__version__} from the code of `{model.root_name}`. "
        "Every statement cites where it was seen as `path:line`. Text outside the "
        "`syspatterns:begin`/`end` markers is yours and is kept when the document is "
        "regenerated."
    )
    out = ["# System Patterns", "", block("header", header), ""]
    for section in sections:
        body = "\n".join(_section_body(section, links))
        out.extend([f"## {section.title}", "", block(section.key, body), ""])
    out.extend(["## Analysis notes", "", block(NOTES_KEY, "\n".join(_notes(model, links))), ""])
    return "\n".join(out)
