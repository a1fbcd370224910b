"""INI-style files (tox.ini, systemd units) read with line numbers, repeated keys and
multi-line values kept."""

from __future__ import annotations

from typing import NamedTuple


class IniEntry(NamedTuple):
    """``key = value`` of an INI file; ``lines`` holds each line of the value (continuation
    lines of a multi-line value included) with its number."""

    key: str
    lines: tuple[tuple[str, int], ...]
    line: int

    @property
    def value(self) -> str:
        return "\n".join(text for text, _ in self.lines).strip()


class IniSection(NamedTuple):
    name: str
    line: int
    entries: tuple[IniEntry, ...]

    def get(self, key: str) -> IniEntry | None:
        """The last entry named ``key`` (case-insensitive)."""
        found = [e for e in self.entries if e.key.lower() == key.lower()]
        return found[-1] if found else None


def read_ini(text: str) -> list[IniSection]:
    """Sections of an INI-style file (tox.ini, systemd units), keeping every entry, repeated
    keys included, and line numbers. Comment lines (``#``, ``;``) are skipped."""
    sections: list[IniSection] = []
    name, start, entries = "", 1, []  # entries before the first header belong to ""
    current: tuple[str, list[tuple[str, int]], int] | None = None

    def close_entry() -> None:
        nonlocal current
        if current is not None:
            entries.append(IniEntry(current[0], tuple(current[1]), current[2]))
            current = None

    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if raw[0] in " \t" and current is not None:
            current[1].append((stripped, number))
            continue
        close_entry()
        if stripped.startswith("[") and stripped.endswith("]"):
            if entries or name:
                sections.append(IniSection(name, start, tuple(entries)))
            name, start, entries = stripped[1:-1].strip(), number, []
            continue
        key, sep, value = stripped.partition("=")
        if not sep:
            key, sep, value = stripped.partition(":")
        if sep:
            value = value.strip()
            current = (key.strip(), [(value, number)] if value else [], number)
    close_entry()
    if entries or name:
        sections.append(IniSection(name, start, tuple(entries)))
    return sections
