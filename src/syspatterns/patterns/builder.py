"""Builder (fluent interface): an object configured step by step through chained calls.

Rule: a class with two or more public methods whose every ``return`` gives ``self`` (so
``b.where(...).order_by(...)`` chains). When another of its methods returns a new object
(``return Query(...)``), that method is named as the one that builds the result.

Not a builder: ``__enter__``, ``__iter__`` or in-place operators returning ``self`` (special
methods are left out), a single chainable method, class methods that build an object in a
local named ``self`` and return it.
"""

from __future__ import annotations

from syspatterns.analysis.text import code, names
from syspatterns.extract.facts import FunctionFact
from syspatterns.patterns.context import PatternContext, is_dunder, is_public, unique
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)

PATTERN = "Builder"
MINIMUM = 2


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    for info in context.classes.values():
        chained = unique(m.name for m in info.fact.methods
                         if m.returns == ("self",) and _on_instance(m)
                         and is_public(m.name) and not is_dunder(m.name))
        if len(chained) < MINIMUM:
            continue
        products = unique(m.name for m in info.fact.methods
                          if is_public(m.name) and m.returns and all(
                              r.endswith("()") and r.rpartition(".")[2][:1].isupper()
                              for r in m.returns))
        built = f"; `{products[0]}()` returns a new object" if products else ""
        found.append(Instance(
            Site(info.name, info.at), context.component(info.owner),
            f"{code(info.name)}'s {names(chained, limit=4)} return `self`, so calls chain"
            + built, 0.8 if len(chained) > MINIMUM else 0.65, len(chained), info.qualname))
    return assemble(PATTERN, "Objects configured step by step through chained "
                             "calls", found, context)


def _on_instance(method: FunctionFact) -> bool:
    """Whether ``method`` is called on an instance, ``self`` its first parameter: a class
    method that names the object it makes ``self`` returns no receiver to chain on."""
    return bool(method.params) and method.params[0][0] == "self" and not any(
        d.rpartition(".")[2] in ("classmethod", "staticmethod") for d in method.decorators)


DETECTOR = Detector(
    PATTERN, "classes with two or more public methods that return `self`", detect)
