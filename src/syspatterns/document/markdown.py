"""A line-level reading of a Markdown document: headings, fenced blocks, generated blocks,
comments and inline code, with line numbers. Enough Markdown to match sections and extract
claims from hand-written documents; not a full CommonMark parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from syspatterns.document.blocks import parse_blocks

BOLD_LEVEL = 7  # a paragraph that is only bold text, used as a sub-heading

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?P<title>[^*_].*?)(?:\*\*|__)\s*:?\s*$")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_TREE_BRANCH = re.compile(r"^[\s│|]*(?:├|└|\|--|\+--|`--)")
_TREE_ROOT = re.compile(r"^\s*[\w.@+-]+/\s*(?:#.*)?$")
_UNFENCED_GRAPH = re.compile(r"^\s*(?:graph|flowchart)\s+(?:TD|TB|BT|RL|LR)\b\s*;?\s*$")
_GRAPH_LINE = re.compile(
    r"^\s*(?:%%|subgraph\b|end\s*$|classDef\b|class\s|style\b|linkStyle\b|click\b|"
    r"direction\b|[\w-]+\s*(?:\[|\(|\{|>|-->|---|-\.|==>|&|--\s|;|$))")


@dataclass(frozen=True)
class Fence:
    """A fenced code block (or a Mermaid graph written without a fence)."""

    start: int  # 0-based index of the opening line
    end: int  # 0-based index of the closing line (the last line when unclosed or unfenced)
    info: str  # first word of the info string, lower case ("mermaid" for unfenced graphs)
    body_start: int  # 0-based index of the first content line
    body: tuple[str, ...]


@dataclass(frozen=True)
class Heading:
    index: int  # 0-based line index
    level: int  # 1-6, or BOLD_LEVEL for a bold paragraph
    title: str


@dataclass
class Markdown:
    """``lines`` with a kind for each: ``prose``, ``fence``, ``generated`` or ``comment``."""

    lines: list[str]
    kinds: list[str]
    fences: list[Fence] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)

    def section_end(self, heading: Heading) -> int:
        """Index just past the section that ``heading`` opens: the next real heading of the
        same or a higher level."""
        for other in self.headings:
            if other.index > heading.index and other.level <= min(heading.level, 6):
                return other.index
        return len(self.lines)

    def enclosing(self, index: int) -> list[Heading]:
        """The headings whose sections contain line ``index``, outermost first."""
        chain: list[Heading] = []
        for heading in self.headings:
            if heading.index > index:
                break
            while chain and chain[-1].level >= heading.level:
                chain.pop()
            chain.append(heading)
        return chain


def code_spans(line: str) -> list[tuple[int, str]]:
    """``(column, content)`` of each inline code span of ``line``."""
    return [(m.start(), m.group(2).strip()) for m in _CODE_SPAN.finditer(line)]


def without_code(line: str) -> str:
    """``line`` with its inline code spans blanked out (same length)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def heading_of(line: str) -> tuple[int, str] | None:
    """``(level, title)`` when ``line`` is an ATX heading."""
    match = _ATX.match(line)
    if match is None:
        return None
    return len(match.group(1)), (match.group(2) or "").strip()


def read_markdown(text: str) -> Markdown:
    """Read ``text`` (newlines only, no carriage returns expected). Raises
    :class:`~syspatterns.document.blocks.DocumentError` for broken generated-block markers."""
    lines = text.split("\n")
    kinds = ["prose"] * len(lines)
    for block in parse_blocks(text):
        first = block.line - 1
        last = text.count("\n", 0, block.end - 1)
        for index in range(first, last + 1):
            kinds[index] = "generated"
    doc = Markdown(lines, kinds)
    index = 0
    while index < len(lines):
        if kinds[index] != "prose":
            index += 1
            continue
        line = lines[index]
        if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
            index = _skip_comment(doc, index)
            continue
        fence = _FENCE.match(line)
        if fence:
            index = _read_fence(doc, index, fence.group(1), fence.group(2).lower())
            continue
        if _UNFENCED_GRAPH.match(line):
            index = _read_unfenced_graph(doc, index)
            continue
        if _starts_unfenced_tree(lines, kinds, index):
            index = _read_unfenced_tree(doc, index)
            continue
        heading = heading_of(line)
        if heading is not None:
            doc.headings.append(Heading(index, heading[0], heading[1]))
        else:
            bold = _BOLD_LINE.match(line)
            if bold and _blank_or_edge(lines, index - 1) and _blank_or_edge(lines, index + 1):
                doc.headings.append(Heading(index, BOLD_LEVEL, bold.group("title").strip(" :")))
        index += 1
    return doc


def _blank_or_edge(lines: list[str], index: int) -> bool:
    return index < 0 or index >= len(lines) or not lines[index].strip()


def _skip_comment(doc: Markdown, index: int) -> int:
    start = index
    while index < len(doc.lines) and "-->" not in doc.lines[index]:
        index += 1
    for position in range(start, min(index + 1, len(doc.lines))):
        doc.kinds[position] = "comment"
    return index + 1


def _read_fence(doc: Markdown, start: int, marker: str, info: str) -> int:
    closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
    end = start + 1
    while end < len(doc.lines) and doc.kinds[end] == "prose" and not closing.match(
            doc.lines[end]):
        end += 1
    last = min(end, len(doc.lines) - 1)
    body = tuple(doc.lines[start + 1:end])
    doc.fences.append(Fence(start, last, info, start + 1, body))
    for position in range(start, last + 1):
        if doc.kinds[position] == "prose":
            doc.kinds[position] = "fence"
    return end + 1


def _is_tree_line(line: str) -> bool:
    return bool(_TREE_BRANCH.match(line)) or line.strip() in ("│", "|")


def _starts_unfenced_tree(lines: list[str], kinds: list[str], index: int) -> bool:
    """A directory tree written without a fence: two branch lines in a row, maybe under a
    root folder line."""
    first = index + 1 if _TREE_ROOT.match(lines[index]) else index
    return (first + 1 < len(lines) and kinds[first + 1] == "prose"
            and all(_TREE_BRANCH.match(lines[i]) for i in (first, first + 1)))


def _read_unfenced_tree(doc: Markdown, start: int) -> int:
    end = start + 1
    while end < len(doc.lines) and doc.kinds[end] == "prose" and (
            _is_tree_line(doc.lines[end])
            or (not doc.lines[end].strip() and end + 1 < len(doc.lines)
                and _TREE_BRANCH.match(doc.lines[end + 1]))):
        end += 1
    doc.fences.append(Fence(start, end - 1, "tree", start, tuple(doc.lines[start:end])))
    for position in range(start, end):
        doc.kinds[position] = "fence"
    return end


def _read_unfenced_graph(doc: Markdown, start: int) -> int:
    end = start + 1
    while end < len(doc.lines) and doc.kinds[end] == "prose" and (
            _GRAPH_LINE.match(doc.lines[end]) or not doc.lines[end].strip()):
        end += 1
    while end - 1 > start and not doc.lines[end - 1].strip():
        end -= 1
    doc.fences.append(Fence(start, end - 1, "mermaid", start, tuple(doc.lines[start:end])))
    for position in range(start, end):
        doc.kinds[position] = "fence"
    return end
