"""Architecture decision records: Markdown files in ADR folders (kind ``adr`` of the scan),
in Michael Nygard's format (``## Status``, ``## Context``, ``## Decision``,
``## Consequences``) or MADR's (front matter or ``* Status:`` lines, ``## Context and Problem
Statement``, ``## Considered Options``, ``## Decision Outcome``, consequences).

Each field keeps the line it starts on. A file with none of those sections (an index, a
README, a template) is not a decision record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.model.system import SystemModel

MAX_ADR_BYTES = 256 * 1024
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FIELD_LINE = re.compile(r"^\s*(?:[*-]\s+)?\**(status|date)\**\s*:\s*\**\s*(.+?)\s*$", re.I)
_FRONT_FIELD = re.compile(r"^(status|date)\s*:\s*[\"']?(.*?)[\"']?\s*$", re.I)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NUMBERED_TITLE = re.compile(r"^(?:ADR[- ]?)?(\d+)\s*[.:-]\s*", re.I)
_SKIPPED_NAMES = re.compile(r"^(readme|index|toc|template)|template", re.I)


class Passage(NamedTuple):
    """A piece of an ADR: its first paragraph (or list items, joined) and where it starts."""

    text: str
    line: int


@dataclass
class DecisionRecord:
    path: str
    number: int | None  # from the file name ("0003-use-redis.md" -> 3)
    title: str
    title_line: int
    format: str  # "MADR" or "Nygard"
    status: Passage | None = None
    date: Passage | None = None
    context: Passage | None = None
    decision: Passage | None = None
    consequences: list[Passage] = field(default_factory=list)
    options: list[Passage] = field(default_factory=list)  # MADR's considered options

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.path, self.title_line)

    def text(self) -> str:
        """Everything the record says, for finding which libraries it names."""
        parts = [self.title, *(p.text for p in (self.context, self.decision) if p)]
        parts += [p.text for p in self.options]
        return "\n".join(parts)


class _Section(NamedTuple):
    title: str
    level: int
    line: int  # of the heading
    body: list[tuple[int, str]]


_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+")
LIST_ITEMS_KEPT = 3


def _clean(text: str) -> str:
    """Markdown links reduced to their text, whitespace collapsed."""
    return " ".join(_LINK.sub(r"\1", text).split())


def _blocks(body: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = [[]]
    for number, text in body:
        if text.strip():
            blocks[-1].append((number, text))
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _list_text(block: list[tuple[int, str]]) -> str:
    """The top-level items of a list block, joined by "; " (the first few)."""
    items = [_clean(_LIST_ITEM.sub("", t)).rstrip(".") for _, t in block
             if _LIST_ITEM.match(t) and not t.startswith(("  ", "\t"))]
    text = "; ".join(items[:LIST_ITEMS_KEPT])
    rest = len(items) - LIST_ITEMS_KEPT
    return text + (f"; and {rest} more" if rest > 0 else "")


def _first_block(body: list[tuple[int, str]]) -> Passage | None:
    """The first paragraph of a section body, or its first list's items joined by "; ". A
    paragraph that ends with "because" or ":" goes on with the list that follows it."""
    blocks = _blocks(body)
    if not blocks:
        return None
    first = blocks[0]
    start = first[0][0]
    if all(_LIST_ITEM.match(t) or t.startswith(("  ", "\t")) for _, t in first):
        return Passage(_list_text(first), start)
    text = _clean(" ".join(t.strip() for _, t in first))
    if text.endswith(("because", ":")) and len(blocks) > 1 and _LIST_ITEM.match(blocks[1][0][1]):
        text = f"{text} {_list_text(blocks[1])}"
    return Passage(text, start)


def _bullets(body: list[tuple[int, str]]) -> list[Passage]:
    return [Passage(_clean(_LIST_ITEM.sub("", text)), number) for number, text in body
            if _LIST_ITEM.match(text) and not text.startswith(("  ", "\t"))]


def _sections(lines: list[str], start: int) -> list[_Section]:
    sections: list[_Section] = []
    fenced = False
    for index in range(start, len(lines)):
        text = lines[index]
        if text.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(text)
        if match:
            sections.append(_Section(_clean(match.group(2)), len(match.group(1)), index + 1, []))
        elif sections:
            sections[-1].body.append((index + 1, text))
    return sections


def _front_matter(lines: list[str]) -> tuple[dict[str, Passage], int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    fields: dict[str, Passage] = {}
    for index in range(1, min(len(lines), 60)):
        if lines[index].strip() == "---":
            return fields, index + 1
        match = _FRONT_FIELD.match(lines[index])
        if match and match.group(2):
            fields[match.group(1).lower()] = Passage(_clean(match.group(2)), index + 1)
    return {}, 0


def _named(sections: list[_Section], *names: str) -> _Section | None:
    for section in sections:
        if section.title.lower().rstrip(":") in names:
            return section
    return None


def parse_adr(path: str, text: str) -> DecisionRecord | None:
    """The decision record in ``text``, or ``None`` when it is not one."""
    if _SKIPPED_NAMES.search(PurePosixPath(path).stem):
        return None
    lines = text.splitlines()
    front, start = _front_matter(lines)
    sections = _sections(lines, start)
    titles = [s for s in sections if s.level == 1] or sections[:1]
    if not titles:
        return None
    title = titles[0]
    context = _named(sections, "context", "context and problem statement", "problem",
                     "problem statement")
    decision = _named(sections, "decision", "decision outcome")
    status_section = _named(sections, "status")
    options = _named(sections, "considered options", "options considered", "options")
    madr = bool(options or _named(sections, "decision outcome",
                                  "context and problem statement"))
    if not (context or decision or status_section):
        return None
    numbered = _NUMBERED_TITLE.match(title.title)
    from_name = re.match(r"^(?:adr[-_]?)?(\d+)", PurePosixPath(path).stem, re.I)
    numbering = from_name or numbered
    record = DecisionRecord(
        path=path, number=int(numbering.group(1)) if numbering else None,
        title=title.title[numbered.end():] if numbered else title.title,
        title_line=title.line, format="MADR" if madr else "Nygard")
    for name, passage in front.items():
        setattr(record, name, passage)
    for number, line in [(n, t) for s in sections[:2] for n, t in s.body][:40]:
        match = _FIELD_LINE.match(line)
        if match and getattr(record, match.group(1).lower()) is None:
            setattr(record, match.group(1).lower(), Passage(_clean(match.group(2)), number))
    if record.status is None and status_section is not None:
        record.status = _first_block(status_section.body)
    record.context = _first_block(context.body) if context else None
    if decision is not None:
        record.decision = _first_block(decision.body)
    record.options = _bullets(options.body) if options else []
    for section in sections:
        lowered = section.title.lower()
        consequence = _first_block(section.body) if "consequences" in lowered else None
        if consequence:
            record.consequences.append(consequence)
    return record


@dataclass
class DecisionRecords:
    records: list[DecisionRecord]  # by number, then path
    skipped: list[str]  # ADR-folder files that are not decision records
    folders: list[str]


def read_adrs(model: SystemModel) -> DecisionRecords:
    """Every decision record of the repository; use :func:`adrs_of` to read them once."""
    records: list[DecisionRecord] = []
    skipped: list[str] = []
    paths = sorted(model.files_of_kind("adr"))
    for path in paths:
        text = model.read_text(path) if model.size_of(path) <= MAX_ADR_BYTES else None
        record = parse_adr(path, text) if text is not None else None
        if record is None:
            skipped.append(path)
        else:
            records.append(record)
    records.sort(key=lambda r: (PurePosixPath(r.path).parent.as_posix(),
                                r.number if r.number is not None else 1 << 30, r.path))
    folders = sorted({PurePosixPath(p).parent.as_posix() for p in paths})
    return DecisionRecords(records, skipped, folders)


def adrs_of(model: SystemModel) -> DecisionRecords:
    return model.memo("adrs", read_adrs)
