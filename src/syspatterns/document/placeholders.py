"""Template placeholders left in a document: ``[Describe the overall architecture]``,
``### Decision 1: [Topic]``, ``- Purpose: [Why it's being used]``.

A placeholder is bracketed text that is not a link, a reference, a footnote or a check box,
and that either is the whole value of its line (after a list marker, a ``Label:`` prefix
and emphasis) or starts with an instruction to the writer (``[Describe ...]``).
"""

from __future__ import annotations

import re

from syspatterns.document.markdown import Markdown

_BRACKET = re.compile(r"(?<![!\]\\])\[(?![ xX]\])(?!\^)([^\[\]\n]{1,160})\](?![(\[:])")
_PREFIX = re.compile(
    r"^\s*(?:#{1,6}\s+)?(?:(?:[-*+]|\d+[.)])\s+)?(?:[*_]{1,2})?"
    r"(?:[^\[\]:\n]{1,60}:(?:[*_]{1,2})?\s*)?")
_INSTRUCTION = re.compile(
    r"^(?:describe|document|list|outline|add|insert|explain|enter|fill|write|provide|"
    r"specify|summari[sz]e|todo|tbd|your|project|placeholder)\b", re.IGNORECASE)


def _is_placeholder_text(content: str) -> bool:
    """Whether bracket content reads like a template's blank (not an acronym like WIP)."""
    return any(c.islower() for c in content) or (content.istitle() and len(content) > 2)


def placeholder_in(line: str) -> str | None:
    """The placeholder of ``line`` (with its brackets), or ``None``."""
    for match in _BRACKET.finditer(line):
        content = match.group(1).strip()
        if not content or not _is_placeholder_text(content):
            continue
        if _INSTRUCTION.match(content) or "placeholder" in content.lower():
            return match.group(0)
        prefix = _PREFIX.match(line)
        value = line[prefix.end() if prefix else 0:].strip().strip("*_").rstrip(".:;,").strip()
        if value == match.group(0):
            return match.group(0)
    return None


def placeholder_lines(doc: Markdown) -> list[tuple[int, str]]:
    """``(line index, placeholder)`` for every placeholder in prose and in fenced blocks
    that are not Mermaid diagrams."""
    found: list[tuple[int, str]] = []
    fenced_code = {
        index
        for fence in doc.fences if fence.info not in ("", "text", "txt", "plaintext")
        for index in range(fence.start, fence.end + 1)
    }
    for index, line in enumerate(doc.lines):
        if doc.kinds[index] not in ("prose", "fence") or index in fenced_code:
            continue
        placeholder = placeholder_in(line)
        if placeholder is not None:
            found.append((index, placeholder))
    return found
