"""Newer syntax rewritten for an older parser: Python 3.12's type parameters (PEP 695) and
f-strings (PEP 701, see :mod:`~syspatterns.extract.fstring_syntax`), Python 3.14's
unparenthesised ``except`` types (PEP 758) and t-strings (PEP 750).

``def first[T](items: list[T]) -> T``, ``class Box[T](Base)`` and ``type Pair = tuple[int,
int]`` are common in current code, and Python 3.11's parser rejects the whole file over them.
None of the facts depends on the type parameters, so they are removed (and a ``type`` alias
becomes an assignment); ``except A, B:`` becomes ``except (A, B):``. Every statement keeps
its line: the facts' line numbers stay those of the file.
"""

from __future__ import annotations

import io
import tokenize
from typing import NamedTuple

from syspatterns.extract.fstring_syntax import rewrite_fstrings

_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
# Tokens after which a new statement starts.
_STATEMENT_BOUNDARIES = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                                   tokenize.ENCODING})
_SKIPPED = frozenset({tokenize.COMMENT, tokenize.NL})


class _Edit(NamedTuple):
    """Replace the text from ``start`` to ``end`` (``(line, column)``, lines from 1) with
    ``text``."""

    start: tuple[int, int]
    end: tuple[int, int]
    text: str


def for_older_parser(source: bytes) -> str | None:
    """``source`` decoded (honouring its coding cookie) with the f-strings and t-strings the
    running parser rejects rewritten, its type parameter lists removed, its ``type``
    statements turned into assignments and its unparenthesised ``except`` types put in
    parentheses; ``None`` when it has none of these, or when it cannot be rewritten line for
    line."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        decoded = source.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return None
    fstrings = rewrite_fstrings(decoded)
    text = decoded if fstrings is None else fstrings
    try:
        lines = io.StringIO(text).readlines()
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in _SKIPPED]
    except (SyntaxError, tokenize.TokenError, ValueError):
        return fstrings
    edits = _edits(tokens)
    if not edits:
        return fstrings
    for edit in reversed(edits):  # from the end, so that earlier positions stay valid
        (first, start), (last, end) = edit.start, edit.end
        lines[first - 1:last] = [lines[first - 1][:start] + edit.text + lines[last - 1][end:]]
    return "".join(lines)


def _edits(tokens: list[tokenize.TokenInfo]) -> list[_Edit] | None:
    """The edits that remove the type parameter syntax, in order; ``None`` when one cannot
    be made without moving a line."""
    edits: list[_Edit] = []
    at_start = True
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1:index + 3]
        if (token.type == tokenize.NAME and token.string in ("def", "class")
                and len(following) == 2 and following[1].string == "["):
            edit = _parameters(tokens, index + 2)
            if edit is None:
                return None
            edits.append(edit)
        elif at_start and token.type == tokenize.NAME and token.string == "except":
            edits.extend(_except_types(tokens, index + 1))
        elif (at_start and token.type == tokenize.NAME and token.string == "type"
              and len(following) == 2 and following[0].type == tokenize.NAME
              and following[1].string in ("=", "[")):
            edits.append(_Edit(token.start, following[0].start, ""))
            if following[1].string == "[":
                edit = _parameters(tokens, index + 2)
                if edit is None or edit.start[0] != edit.end[0]:
                    return None
                edits.append(edit)
        at_start = token.type in _STATEMENT_BOUNDARIES
        index += 1
    return edits


def _except_types(tokens: list[tokenize.TokenInfo], first: int) -> list[_Edit]:
    """The edits that put ``except A, B:`` (or ``except* A, B:``) types in parentheses,
    the expression starting at ``tokens[first]``; none for a clause that needs none."""
    if first < len(tokens) and tokens[first].string == "*":
        first += 1
    depth, comma, last = 0, False, first
    for index in range(first, len(tokens)):
        token = tokens[index]
        if token.type == tokenize.OP and token.string in _OPENING:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSING:
            depth -= 1
        elif depth == 0 and token.string == ",":
            comma = True
        elif depth == 0 and (token.string == ":" or (token.type == tokenize.NAME
                                                      and token.string == "as")):
            break
        last = index
    else:
        return []
    if not comma or last < first:
        return []
    return [_Edit(tokens[first].start, tokens[first].start, "("),
            _Edit(tokens[last].end, tokens[last].end, ")")]


def _parameters(tokens: list[tokenize.TokenInfo], opening: int) -> _Edit | None:
    """The edit that removes the bracketed type parameters starting at ``tokens[opening]``.
    Parameters over several lines leave their line breaks inside the brackets that follow
    (the parameter list, or the class's new empty base list)."""
    depth = 0
    for close in range(opening, len(tokens)):
        string = tokens[close].string
        if tokens[close].type != tokenize.OP:
            continue
        if string in _OPENING:
            depth += 1
        elif string in _CLOSING:
            depth -= 1
            if depth == 0:
                break
    else:
        return None
    start, end = tokens[opening].start, tokens[close].end
    breaks = end[0] - start[0]
    if not breaks:
        return _Edit(start, end, "")
    after = tokens[close + 1] if close + 1 < len(tokens) else None
    if after is None or after.start != end or after.string not in ("(", ":"):
        return None
    # ``def f[\nT\n](x)`` -> ``def f(\n\nx)``; ``class C[\nT\n]:`` -> ``class C(\n\n):``.
    if after.string == "(":
        return _Edit(start, after.end, "(" + "\n" * breaks)
    return _Edit(start, end, "(" + "\n" * breaks + ")")
