"""What ``check`` reports: one problem at one place, with the reason."""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """Something untrue at ``path:line`` (the document, or a source file for a rule)."""

    path: str
    line: int
    kind: str  # stale, edited, placeholder, path, name, library, import, rule or planned
    message: str
    planned: bool = False  # hedged text: a plan, not drift; reported apart, not an error
    detail: tuple[str, ...] = ()  # a short diff, or the import chain
