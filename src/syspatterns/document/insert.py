"""Adopt a hand-written document: put the generated blocks under its own headings.

Each section's block goes at the end of the hand-written section whose heading stands for it
(:mod:`syspatterns.document.headings`); template placeholders in that section are dropped,
since the block replaces them. Sections the document lacks are appended with their template
heading, in the template's order. All other text is kept byte for byte.
"""

from __future__ import annotations

from syspatterns.document.blocks import Block, parse_blocks
from syspatterns.document.headings import assign_sections, section_level
from syspatterns.document.markdown import BOLD_LEVEL, Heading, Markdown, read_markdown
from syspatterns.document.placeholders import placeholder_in

HEADER_KEY = "header"


def insert_blocks(existing: str, generated: str) -> str:
    """``existing`` (a document without generated blocks) with every block of
    ``generated`` inserted."""
    doc = read_markdown(existing)
    fresh = read_markdown(generated)
    blocks = parse_blocks(generated)
    real_headings = [h for h in doc.headings if h.level < BOLD_LEVEL]
    assigned = assign_sections(real_headings)
    lines = list(doc.lines)
    edits: list[tuple[int, int, list[str]]] = []  # (start, end, replacement), disjoint
    for key, heading in assigned.items():
        block = next((b for b in blocks if b.key == key), None)
        if block is None:
            continue
        end = doc.section_end(heading)
        body = _without_placeholders(doc, heading.index + 1, end)
        while body and not body[-1].strip():
            body.pop()
        edits.append((heading.index + 1, end,
                      [*body, "", *_block_lines(generated, block), *([""] if end < len(lines)
                                                                    else [])]))
    header = next((b for b in blocks if b.key == HEADER_KEY), None)
    if header is not None:
        at = _after_title(doc)
        edits.append((at, at, [*_block_lines(generated, header), ""]))
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:end] = replacement
    text = "\n".join(lines).rstrip("\n")
    titles = sum(h.level == 1 for h in real_headings)
    level = "#" if section_level(real_headings) == 1 and titles > 1 else "##"
    for block in blocks:
        if block.key in assigned or block.key == HEADER_KEY:
            continue
        title = _heading_before(fresh, block)
        text += f"\n\n{level} {title}\n\n" + "\n".join(_block_lines(generated, block))
    return text + "\n"


def _block_lines(text: str, block: Block) -> list[str]:
    return text[block.start:block.end].split("\n")


def _heading_before(doc: Markdown, block: Block) -> str:
    index = block.line - 1
    titles = [h.title for h in doc.headings if h.index < index and h.level < BOLD_LEVEL]
    return titles[-1] if titles else block.key


def _after_title(doc: Markdown) -> int:
    """Where the header block goes: after a leading level-1 title and its blank line, else
    at the top."""
    first = next((i for i, line in enumerate(doc.lines) if line.strip()), None)
    title = next((h for h in doc.headings if h.index == first), None)
    if first is None or title is None or title.level != 1:
        return 0
    at = first + 1
    while at < len(doc.lines) and not doc.lines[at].strip():
        at += 1
    return at


def _without_placeholders(doc: Markdown, start: int, end: int) -> list[str]:
    """Lines ``start:end`` without template placeholders: placeholder lines, fenced blocks
    holding only placeholders, and sub-headings left with nothing but placeholders."""
    dropped: set[int] = set()
    for fence in doc.fences:
        if start <= fence.start and fence.end < end:
            filled = [line for line in fence.body if line.strip()]
            if filled and all(placeholder_in(line) for line in filled):
                dropped.update(range(fence.start, fence.end + 1))
    for index in range(start, end):
        if doc.kinds[index] == "prose" and placeholder_in(doc.lines[index]):
            dropped.add(index)
    inner: list[Heading] = [h for h in doc.headings if start <= h.index < end]
    for heading in inner:
        if heading.index not in dropped:
            continue
        stop = next((h.index for h in inner if h.index > heading.index
                     and h.level <= heading.level), end)
        if any(doc.lines[i].strip() and i not in dropped
               for i in range(heading.index + 1, stop)):
            dropped.discard(heading.index)  # a heading over text of its own stays
    kept: list[str] = []
    after_drop = False
    for index in range(start, end):
        line = doc.lines[index]
        if index in dropped:
            after_drop = True
        elif line.strip():
            kept.append(line)
            after_drop = False
        elif not (after_drop and (not kept or not kept[-1].strip())):
            kept.append(line)
    return kept
