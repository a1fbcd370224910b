"""The Design Patterns knowledge table (``knowledge/patterns.toml``): framework base classes,
decorators and calls, by fully qualified name."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

TABLE = Path(__file__).parent.parent / "knowledge" / "patterns.toml"


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(TABLE.read_text("utf-8"))


@cache
def names(section: str, key: str) -> frozenset[str]:
    """The list ``section.key`` of the table, as a set of names."""
    return frozenset(_table()[section][key])


def value(section: str, key: str) -> Any:
    """The entry ``section.key`` of the table as written (a string or a list)."""
    return _table()[section][key]
