"""Generated blocks inside a document.

A block is ``<!-- syspatterns:begin KEY -->`` ... ``<!-- syspatterns:end KEY DIGEST -->``;
the digest is a hash of the block's content as generated, so a block edited by hand no longer
matches its digest. Everything outside blocks is human text.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

_MARKER = re.compile(r"<!-- syspatterns:(begin|end) ([a-z0-9-]+)(?: ([0-9a-f]+))? -->")
_BEGIN = "<!-- syspatterns:begin {key} -->"
_END = "<!-- syspatterns:end {key} {digest} -->"


class DocumentError(Exception):
    """The document's markers cannot be trusted (unbalanced, nested or duplicated)."""


def digest(content: str) -> str:
    return hashlib.blake2b(content.encode(), digest_size=6).hexdigest()


def block(key: str, content: str) -> str:
    """A generated block for ``content`` (without a trailing newline)."""
    return f"{_BEGIN.format(key=key)}\n{content}\n{_END.format(key=key, digest=digest(content))}"


class Block(NamedTuple):
    key: str
    content: str
    recorded_digest: str | None
    start: int  # offset of the begin marker
    end: int  # offset just past the end marker
    line: int  # 1-based line of the begin marker

    @property
    def edited(self) -> bool:
        """Whether the content differs from what was generated."""
        return self.recorded_digest is not None and digest(self.content) != self.recorded_digest


def parse_blocks(text: str) -> list[Block]:
    """The generated blocks of ``text``, in order; raises :class:`DocumentError`."""
    blocks: list[Block] = []
    open_key: str | None = None
    open_match: re.Match[str] | None = None
    seen: set[str] = set()
    for match in _MARKER.finditer(text):
        kind, key, recorded = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        if kind == "begin":
            if open_key is not None:
                raise DocumentError(f"line {line}: block {key!r} begins inside block "
                                    f"{open_key!r}, which has no end marker")
            if key in seen:
                raise DocumentError(f"line {line}: block {key!r} appears twice")
            open_key, open_match = key, match
            continue
        if open_key != key or open_match is None:
            raise DocumentError(f"line {line}: end marker for {key!r} without its begin marker")
        content = text[open_match.end():match.start()]
        content = content.removeprefix("\n").removesuffix("\n")
        begin_line = text.count("\n", 0, open_match.start()) + 1
        blocks.append(Block(key, content, recorded, open_match.start(), match.end(), begin_line))
        seen.add(key)
        open_key, open_match = None, None
    if open_key is not None and open_match is not None:
        line = text.count("\n", 0, open_match.start()) + 1
        raise DocumentError(f"line {line}: block {open_key!r} has no end marker")
    return blocks


def merge(existing: str, generated: str, force: bool = False) -> str:
    """``existing`` with each of its generated blocks replaced by the block of the same key in
    ``generated``; human text is kept byte for byte. Blocks that ``existing`` lacks are added
    with their headings after the block that precedes them in ``generated``.

    Raises :class:`DocumentError` when a block was edited by hand (unless ``force``).
    """
    old_blocks = parse_blocks(existing)
    new_blocks = {b.key: b for b in parse_blocks(generated)}
    if not force:
        edited = [b for b in old_blocks if b.edited]
        if edited:
            where = ", ".join(f"{b.key!r} (line {b.line})" for b in edited)
            raise DocumentError(f"generated block {where} was edited by hand; move the text "
                                "outside the markers, or pass --force to overwrite it")
    pieces: list[str] = []
    cursor = 0
    old_keys = {b.key for b in old_blocks}
    for old in old_blocks:
        pieces.append(existing[cursor:old.start])
        new = new_blocks.get(old.key)
        pieces.append(existing[old.start:old.end] if new is None else block(new.key, new.content))
        cursor = old.end
    pieces.append(existing[cursor:])
    result = "".join(pieces)
    missing = [b for b in new_blocks.values() if b.key not in old_keys]
    for new in missing:
        result = _insert(result, generated, new)
    return result


def _insert(document: str, generated: str, new: Block) -> str:
    """Add ``new`` after the block that precedes it in ``generated`` (or at the end), taking
    its heading along when the heading stands between that block and ``new``."""
    previous = [b for b in parse_blocks(generated) if b.end <= new.start]
    heading_start = generated.rfind("\n## ", 0, new.start)
    if heading_start != -1 and (not previous or heading_start > previous[-1].end):
        chunk = generated[heading_start + 1:new.end]
    else:
        chunk = generated[new.start:new.end]
    present = {b.key: b for b in parse_blocks(document)}
    for prior in reversed(previous):
        if prior.key in present:
            at = present[prior.key].end
            return f"{document[:at]}\n\n{chunk}{document[at:]}"
    return f"{document.rstrip()}\n\n{chunk}\n"
