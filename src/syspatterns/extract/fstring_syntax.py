"""Python 3.12's f-strings (PEP 701) and Python 3.14's t-strings (PEP 750) rewritten for an
older parser.

Since Python 3.12 a replacement field may reuse the f-string's own quotes
(``f"{row["name"]}"``), hold backslashes (``f"{'\\n'.join(lines)}"``), comments, and line
breaks in a single-quoted f-string. Python 3.11 rejects the whole file over one of them. Each
f-string the running parser rejects is rewritten into a triple-quoted one that it accepts:
comments and line continuations are removed from the fields, and every line break stays where
it was, so that the facts keep the file's line numbers. A nested string that the older parser
cannot take there (one with a backslash, say) keeps its printable characters other than quotes
and backslashes; a nested f-string it cannot take becomes an empty string. The names, calls
and attributes of the expressions are kept. A t-string becomes an f-string.

The scan follows Python 3.12's rules for where a string ends; a source it cannot follow (a
string that never ends) is left alone.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

# The next thing in code that matters to the scan: a comment, a backslash (continuation), or
# the opening quote of a string with its prefix. The prefix must start a word.
_CODE = re.compile(r"""#|\\|(?:(?<!\w)([rRbBuUfFtT]{1,2}))?('''|\"\"\"|'|")""")
_BRACKETS_OPEN = "([{"
_BRACKETS_CLOSE = ")]}"
_QUOTES = ("'", '"')


class _Unscannable(Exception):
    """The source has a string whose end cannot be found."""


@dataclass
class _Plain:
    """A string literal that is not an f-string: ``text`` as written, prefix included."""

    text: str


@dataclass
class _Field:
    """A replacement field: its expression (code text and nested strings), its ``!x``
    conversion and its format specification (``None`` when there is no ``:``)."""

    expression: list[str | _Plain | _FString] = field(default_factory=list)
    conversion: str = ""
    spec: list[str | _Field] | None = None


@dataclass
class _FString:
    """An f-string (or t-string): its prefix, its quote and its literal text and fields."""

    text: str
    prefix: str
    quote: str
    parts: list[str | _Field] = field(default_factory=list)


def rewrite_fstrings(text: str) -> str | None:
    """``text`` with every f-string the running Python rejects (and every t-string)
    rewritten as one it accepts, each line break in place; ``None`` when there is none, or
    when the source cannot be scanned."""
    try:
        return _Scanner(text).rewrite()
    except _Unscannable:
        return None


def _parses(literal: str) -> bool:
    try:
        compile(literal, "<f-string>", "eval", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text

    def rewrite(self) -> str | None:
        text = self.text
        pieces: list[str] = []
        copied = position = 0
        while (match := _CODE.search(text, position)) is not None:
            token = match.group(0)
            if token == "#":
                position = self._line_end(match.end())
                continue
            if token == "\\":  # a line continuation: the next character is not code
                position = match.end() + 1
                continue
            literal, position = self._string(match)
            if isinstance(literal, _FString) and (
                    "t" in literal.prefix.lower() or not _parses(literal.text)):
                pieces.append(text[copied:match.start()])
                pieces.append(_render(literal))
                copied = position
        if not pieces:
            return None
        pieces.append(text[copied:])
        return "".join(pieces)

    def _line_end(self, start: int) -> int:
        end = self.text.find("\n", start)
        return len(self.text) if end == -1 else end

    def _string(self, match: re.Match[str]) -> tuple[_Plain | _FString, int]:
        """The string literal whose prefix and opening quote ``match`` found, and where it
        ends."""
        prefix, quote = match.group(1) or "", match.group(2)
        lowered = prefix.lower()
        if "f" in lowered or "t" in lowered:
            fstring = _FString("", prefix, quote)
            end = self._fstring_body(fstring, match.end())
            fstring.text = self.text[match.start():end]
            return fstring, end
        end = self._plain_end(match.end(), quote, "r" in lowered)
        return _Plain(self.text[match.start():end]), end

    def _plain_end(self, position: int, quote: str, raw: bool) -> int:
        """Where the plain string whose body starts at ``position`` ends (after its quote)."""
        text, size = self.text, len(self.text)
        while position < size:
            char = text[position]
            if char == "\\":
                position += 2  # in a raw string too, an escaped quote does not end it
            elif text.startswith(quote, position):
                return position + len(quote)
            elif char == "\n" and len(quote) == 1:
                raise _Unscannable
            else:
                position += 1
        raise _Unscannable

    def _fstring_body(self, fstring: _FString, position: int) -> int:
        """Read the literal text and fields of ``fstring`` from ``position``; where it ends."""
        text, size, quote = self.text, len(self.text), fstring.quote
        raw = "r" in fstring.prefix.lower()
        start = position
        while position < size:
            char = text[position]
            if char == "\\":
                following = text[position + 1:position + 2]
                if following in ("{", "}"):
                    position += 1  # the brace is still a field's (or a doubled brace)
                elif not raw and following == "N" and text[position + 2:position + 3] == "{":
                    closing = text.find("}", position)
                    position = size if closing == -1 else closing + 1
                else:
                    position += 2
            elif text.startswith(quote, position):
                fstring.parts.append(text[start:position])
                return position + len(quote)
            elif char == "\n" and len(quote) == 1:
                raise _Unscannable
            elif text.startswith("{{", position) or text.startswith("}}", position):
                position += 2
            elif char == "{":
                fstring.parts.append(text[start:position])
                replacement = _Field()
                position = self._field(replacement, position + 1)
                fstring.parts.append(replacement)
                start = position
            else:
                position += 1
        raise _Unscannable

    def _field(self, replacement: _Field, position: int) -> int:
        """Read a replacement field from just after its ``{``; where it ends (after ``}``)."""
        position = self._expression(replacement.expression, position)
        text, size = self.text, len(self.text)
        if text.startswith("!", position):
            end = position + 1
            while end < size and text[end] not in ":}":
                end += 1
            replacement.conversion = text[position:end]
            position = end
        if text.startswith(":", position):
            replacement.spec = []
            position = self._spec(replacement.spec, position + 1)
        if not text.startswith("}", position):
            raise _Unscannable
        return position + 1

    def _expression(self, parts: list[str | _Plain | _FString], position: int) -> int:
        """Read a field's expression up to the ``!``, ``:`` or ``}`` that ends it at the
        field's own bracket depth; return that position."""
        text, size = self.text, len(self.text)
        depth, start = 0, position
        while position < size:
            char = text[position]
            if depth == 0 and (char in ":}" or (char == "!" and text[position + 1:position + 2]
                                                != "=")):
                break
            match = _CODE.match(text, position)
            if match is not None and match.group(2):
                parts.append(text[start:position])
                literal, position = self._string(match)
                parts.append(literal)
                start = position
                continue
            if char == "#":
                position = self._line_end(position)
                continue
            if char in _BRACKETS_OPEN:
                depth += 1
            elif char in _BRACKETS_CLOSE:
                depth -= 1
            position += 1
        else:
            raise _Unscannable
        parts.append(text[start:position])
        return position

    def _spec(self, parts: list[str | _Field], position: int) -> int:
        """Read a format specification up to the ``}`` that ends its field; return that
        position."""
        text, size = self.text, len(self.text)
        start = position
        while position < size:
            char = text[position]
            if char == "}":
                parts.append(text[start:position])
                return position
            if char == "{":
                parts.append(text[start:position])
                nested = _Field()
                position = self._field(nested, position + 1)
                parts.append(nested)
                start = position
            else:
                position += 1
        raise _Unscannable


def _render(fstring: _FString) -> str:
    """``fstring`` as a triple-quoted f-string the older parser accepts, line breaks kept."""
    prefix = fstring.prefix.replace("t", "f").replace("T", "F")
    quote = fstring.quote[0] * 3
    return f"{prefix}{quote}{_render_parts(fstring.parts, quote)}{quote}"


def _render_parts(parts: list[str | _Field], quote: str) -> str:
    """Literal text as written, and fields rendered for an f-string quoted with ``quote``."""
    return "".join(part if isinstance(part, str) else _render_field(part, quote)
                   for part in parts)


def _render_field(replacement: _Field, quote: str) -> str:
    rendered: list[str] = []
    for part in replacement.expression:
        piece = _code(part) if isinstance(part, str) else _nested(part, quote)
        if rendered and rendered[-1].endswith(_QUOTES) and piece.startswith(_QUOTES):
            rendered.append(" ")  # two adjacent strings must not run into a triple quote
        rendered.append(piece)
    spec = "" if replacement.spec is None else ":" + _render_parts(replacement.spec, quote)
    return "{" + "".join(rendered) + replacement.conversion + spec + "}"


def _code(text: str) -> str:
    """Expression code without its comments and line continuations (which the older parser
    rejects inside a field); line breaks stay."""
    lines = text.split("\n")
    kept = [line.split("#", 1)[0].replace("\\", " ") for line in lines]
    return "\n".join(kept)


def _nested(literal: _Plain | _FString, quote: str) -> str:
    """A string nested in a field of an f-string quoted with ``quote`` (triple), kept as
    written when the older parser accepts it there, else a plain string of the other quote
    with the characters that cannot stay replaced; its line breaks follow it."""
    text = literal.text
    acceptable = "\\" not in text and quote not in text and (
        isinstance(literal, _Plain) or _parses(text))
    if acceptable:
        return text
    other = "'" if quote[0] == '"' else '"'
    value = ""
    if isinstance(literal, _Plain):
        try:
            evaluated = ast.literal_eval(text)
        except (SyntaxError, ValueError):
            evaluated = ""
        if isinstance(evaluated, bytes):
            evaluated = evaluated.decode("latin-1")
        value = "".join(c if c.isprintable() and c not in "\\'\"" else "_"
                        for c in str(evaluated))
    return other + value + other + "\n" * text.count("\n")
