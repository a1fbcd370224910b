"""What a detector reports: one design pattern found in the code, with where and how sure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from syspatterns.analysis.text import names
from syspatterns.core.evidence import Evidence
from syspatterns.patterns.wording import by_component

if TYPE_CHECKING:
    from syspatterns.patterns.context import PatternContext

LOCATION_LIMIT = 5


class Site(NamedTuple):
    """One place where the pattern is implemented, with what stands there (a name)."""

    label: str
    evidence: Evidence


@dataclass(frozen=True)
class Detection:
    """A pattern found in the code.

    ``purpose`` says what it does in this system and ``implementation`` how, both derived
    from the code; ``locations`` are the first few places (most telling first) out of
    ``count``; ``confidence`` (0 to 1) grows with the structural evidence behind it.
    """

    pattern: str
    purpose: str
    implementation: str
    locations: tuple[Site, ...]
    count: int
    confidence: float


class Detector(NamedTuple):
    """A named rule; ``detect`` returns ``None`` when the pattern is not in the code."""

    pattern: str
    looks_for: str  # what the rule looks for, for "none found" messages
    detect: Callable[[PatternContext], Detection | None]


def sites(found: list[Site], limit: int = LOCATION_LIMIT) -> tuple[Site, ...]:
    """The first ``limit`` sites, deduplicated, in the order given."""
    seen: set[Site] = set()
    kept: list[Site] = []
    for site in found:
        if site not in seen:
            seen.add(site)
            kept.append(site)
    return tuple(kept[:limit])


def summary(statements: list[str], limit: int = 3) -> str:
    """The first ``limit`` distinct statements joined into one sentence, with how many more
    there are."""
    distinct = list(dict.fromkeys(statements))
    text = "; ".join(distinct[:limit])
    if len(distinct) > limit:
        text += f"; {len(distinct) - limit} more like these"
    return text + "."


class Instance(NamedTuple):
    """One occurrence of a pattern: where, in which component, how (one clause) and how
    sure the rule that found it is. ``defines`` is the qualified name of what stands at the
    site, when other modules can import it (for "used from")."""

    site: Site
    component: str
    how: str
    confidence: float
    weight: int = 0  # among equally sure instances, heavier ones (more uses) come first
    defines: str = ""


def protocol_classes(context: PatternContext, protocols: list[list[str]],
                     confidence: float) -> list[Instance]:
    """The classes that define both methods of one of ``protocols`` (``__enter__`` and
    ``__exit__``, ...), the first pair a class defines."""
    found: list[Instance] = []
    for info in context.classes.values():
        for first, second in protocols:
            if first in info.methods and second in info.methods:
                found.append(Instance(Site(info.name, info.at), context.component(info.owner),
                                      f"`{info.name}` defines `{first}` and `{second}`",
                                      confidence, defines=info.qualname))
                break
    return found


def assemble(pattern: str, lead: str, instances: list[Instance],
             context: PatternContext | None = None) -> Detection | None:
    """A detection from its occurrences, the surest first; ``None`` when there are none.
    The purpose is ``lead``, the occurrences by component and, given ``context``, the other
    components that import them."""
    if not instances:
        return None
    ordered = sorted(instances,
                     key=lambda i: (-i.confidence, -i.weight, i.site.evidence, i.how))
    purpose = f"{lead}: " + by_component((i.component, i.site.label) for i in ordered) + "."
    if context is not None:
        users = sorted({
            context.model.component_of[module]
            for i in ordered if i.defines
            for module in context.importers.get(i.defines, ())
        } - {i.component for i in ordered})
        if users:
            purpose += f" Used from {names(users, limit=5)}."
    return Detection(pattern, purpose, summary([i.how for i in ordered]),
                     sites([i.site for i in ordered]), len(ordered),
                     max(i.confidence for i in ordered))
