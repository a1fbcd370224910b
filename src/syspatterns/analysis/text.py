"""Wording helpers shared by the analysers and the pattern detectors."""

from __future__ import annotations

import re
from collections.abc import Sequence


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:,} {word}"


def times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


def code(name: str) -> str:
    """``name`` as Markdown inline code: on one line (a multi-line command's lines joined by
    spaces), fenced with more backticks than any run of them it holds."""
    if "\n" in name:
        name = " ".join(name.split())
    if "`" not in name:
        return f"`{name}`"
    fence = "`" * (max(len(run) for run in re.findall("`+", name)) + 1)
    return f"{fence} {name} {fence}"


def names(items: Sequence[str], limit: int = 8) -> str:
    """```a`, `b` and `c``` with ``and N more`` past ``limit``."""
    shown = [code(i) for i in items[:limit]]
    rest = len(items) - len(shown)
    if rest > 0:
        shown.append(f"{rest} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


# How the facts name a container value, as it reads in a sentence.
_CONTAINERS = {"list": "a list", "dict": "a dict", "tuple": "a tuple", "set": "a set"}


def value_phrase(value: str) -> str:
    """A recorded value as it reads after "is set to": a literal as written, a container by
    its kind ("a list"), "" as computed at run time."""
    return _CONTAINERS.get(value) or value or "a value computed at run time"


# A reStructuredText title's under- or overline (``=====``, ``~~~~``).
_TITLE_LINE = re.compile(r"^\s*([=~\-^*#+`'\"])\1{2,}\s*$")


def first_sentence(text: str) -> str:
    """The first sentence of a docstring's first paragraph, on one line (a title's
    underline left out)."""
    paragraph = text.strip().split("\n\n", 1)[0]
    flat = " ".join(line for line in paragraph.split("\n") if not _TITLE_LINE.match(line))
    flat = " ".join(flat.split())
    for end in (". ", "? ", "! "):
        cut = flat.find(end)
        if cut != -1:
            flat = flat[: cut + 1]
            break
    return flat if len(flat) <= 240 else flat[:237].rstrip() + "..."


def mermaid_label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
