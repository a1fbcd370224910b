"""Phrases the detectors share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from syspatterns.analysis.text import code, names, plural


def by_component(items: Iterable[tuple[str, str]], limit: int = 4) -> str:
    """Names grouped by component, such as "`a` and `b` in `pkg.api`; `c` in `pkg.db`", from
    (component, name) pairs, the components with most names first."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for component, name in items:
        if name not in grouped[component]:
            grouped[component].append(name)
    ordered = sorted(grouped, key=lambda c: (-len(grouped[c]), c))
    parts = [f"{names(grouped[c], limit=limit)} in {code(c)}" for c in ordered[:limit]]
    if len(ordered) > limit:
        parts.append(plural(len(ordered) - limit, "more component", "more components"))
    return "; ".join(parts)


def either(items: list[str], limit: int = 4) -> str:
    """Names as alternatives, such as "`a`, `b` or `c`" (and how many more)."""
    shown = [code(i) for i in items[:limit]]
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
