"""Generated blocks: parsing, merging into an existing document, refusing bad markers."""

from __future__ import annotations

import pytest

from syspatterns.document.blocks import DocumentError, block, merge, parse_blocks


def doc(*parts: str) -> str:
    return "\n\n".join(parts) + "\n"


def test_parse_reads_keys_contents_and_digests() -> None:
    text = doc("# T", block("a", "one\ntwo"), "human", block("b", "three"))
    blocks = parse_blocks(text)
    assert [(b.key, b.content, b.edited, b.line) for b in blocks] == [
        ("a", "one\ntwo", False, 3), ("b", "three", False, 10)]


def test_merge_replaces_blocks_and_keeps_everything_else_byte_for_byte() -> None:
    old = doc("# T", "intro *kept*", "## A", block("a", "old a"), "after a", "## B",
              block("b", "old b"), "tail")
    new = doc("# T", "## A", block("a", "new a"), "## B", block("b", "new b"))
    assert merge(old, new) == doc("# T", "intro *kept*", "## A", block("a", "new a"),
                                  "after a", "## B", block("b", "new b"), "tail")


def test_merge_adds_missing_blocks_with_their_heading_after_their_predecessor() -> None:
    old = doc("# T", "## A", block("a", "a"), "mine")
    new = doc("# T", "## A", block("a", "a"), "## B", block("b", "b"))
    assert merge(old, new) == doc("# T", "## A", block("a", "a") + "\n\n## B", block("b", "b"),
                                  "mine")


def test_edited_blocks_are_refused_unless_forced() -> None:
    old = doc(block("a", "generated").replace("generated", "changed by hand"))
    new = doc(block("a", "fresh"))
    with pytest.raises(DocumentError, match="'a' \\(line 1\\) was edited by hand"):
        merge(old, new)
    assert merge(old, new, force=True) == new


@pytest.mark.parametrize(("text", "message"), [
    ("<!-- syspatterns:begin a -->\nx\n", "no end marker"),
    ("x\n<!-- syspatterns:end a 00 -->\n", "without its begin marker"),
    ("<!-- syspatterns:begin a -->\n<!-- syspatterns:begin b -->\n", "begins inside block"),
    (block("a", "x") + "\n" + block("a", "y"), "appears twice"),
])
def test_broken_markers_are_errors(text: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_blocks(text)
