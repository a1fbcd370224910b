"""The Design Patterns knowledge table (``knowledge/patterns.toml``): framework base classes,
decorators and calls, by fully qualified name."""

from __future__ import annotations

from functools import cache
from typing import Any

from syspatterns.knowledge import read_table


def _table() -> dict[str, Any]:
    return read_table("patterns.toml")


@cache
def names(section: str, key: str) -> frozenset[str]:
    """The list ``section.key`` of the table, as a set of names."""
    return frozenset(_table()[section][key])


def value(section: str, key: str) -> Any:
    """The entry ``section.key`` of the table as written (a string or a list)."""
    return _table()[section][key]
