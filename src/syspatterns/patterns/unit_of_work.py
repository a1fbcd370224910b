"""Unit of Work: the changes of one operation are committed together, or all rolled back.

Rules:

- A function or method that calls both ``X.commit()`` and ``X.rollback()`` on the same
  object (a transaction boundary); stronger when it is a ``@contextmanager`` or ``__exit__``,
  so callers wrap a whole block in it.
- Uses of a framework's unit of work (``django.db.transaction.atomic`` as a decorator or in
  a ``with``).

Not a unit of work: a lone ``commit()`` after each statement.
"""

from __future__ import annotations

from collections import defaultdict

from syspatterns.analysis.text import plural
from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names, value

PATTERN = "Unit of Work"


def detect(context: PatternContext) -> Detection | None:
    commit, rollback = value("unit_of_work", "commit"), value("unit_of_work", "rollback")
    managers = names("context_manager", "decorators")
    found: list[Instance] = []
    for owner in context.modules:
        methods: dict[tuple[str, str], set[str]] = defaultdict(set)
        first: dict[str, int] = {}
        for call in owner.facts.calls:
            receiver, _, method = call.callee.rpartition(".")
            if receiver and method in (commit, rollback):
                methods[(call.scope, receiver)].add(method)
                first.setdefault(call.scope, call.line)
        for (scope, receiver), seen in sorted(methods.items()):
            if len(seen) < 2 or not scope:
                continue
            function = context.functions.get(f"{owner.module.name}.{scope}")
            line = function.fact.line if function else first[scope]
            block = function is not None and (
                function.fact.name in ("__exit__", "__aexit__")
                or any(context.resolve(owner, d) in managers for d in function.fact.decorators))
            around = " around the `with` block it manages" if block else ""
            found.append(Instance(
                Site(scope, owner.at(line)), context.component(owner),
                f"`{scope}` commits `{receiver}` or rolls it back{around}", 0.9 if block else 0.8,
                defines=function.qualname if function else ""))
    atomic = names("unit_of_work", "atomic")
    places: dict[str, list[tuple[str, Site]]] = defaultdict(list)
    for name in sorted(atomic):
        for use in context.decorator_uses.get(name, ()):
            places[name].append((context.component(use.owner), Site(use.target, use.evidence)))
        for owner, call in context.calls.get(name, ()):
            places[name].append((context.component(owner),
                                 Site(call.scope or call.callee, owner.at(call.line))))
    for name, uses in sorted(places.items()):
        short = name.rpartition(".")[2]
        for component, site in uses:
            found.append(Instance(site, component, f"`{short}` blocks make the framework commit "
                                  f"or roll back as a whole ({plural(len(uses), 'use')})", 0.75))
    return assemble(PATTERN, "Groups the changes of one operation into a transaction that "
                    "commits or rolls back as a whole", found, context)


DETECTOR = Detector(
    PATTERN,
    "functions calling both `commit()` and `rollback()` on one object, and "
    "`transaction.atomic` blocks",
    detect)
