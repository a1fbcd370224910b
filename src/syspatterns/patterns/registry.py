"""Registry: functions and classes registered under a key, then looked up by it.

Rule: a function or method puts one of its parameters into a container it does not own
locally (``self.filters[name] = func``, ``cls.lookups[name] = lookup``, ``_REGISTRY.add(x)``,
``REGISTRY[key] = cls`` at module level) and either is applied as a decorator somewhere in
the repository, returns a nested decorator that does the storing, takes a parameter
annotated as a class or a callable, or hands the parameter back (``return func``, the shape
of ``@register``) while the container is shared: a module variable or a class attribute.

Not a registry: a setter or a per-instance cache that stores what it was given
(``self.quote_cache[name] = name; return name``), a list of callbacks (see Observer).
"""

from __future__ import annotations

from syspatterns.analysis.text import code, plural
from syspatterns.patterns.context import FunctionInfo, PatternContext, is_dunder
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Registry"


def keyed_stores(context: PatternContext, function: FunctionInfo) -> list[tuple[str, bool]]:
    """The containers outside the function that it registers into, each with whether it is
    shared (a module variable, or a class attribute) rather than one instance's."""
    kinds = tuple(names("registry", "keyed_stores"))
    module_names = context.variables(function.owner)
    attributes: set[str] = set()
    if function.cls is not None:
        for qualname in [function.cls.qualname, *context.ancestors(function.cls)]:
            owner = context.classes.get(qualname)
            attributes.update(owner.attributes if owner is not None else ())
    found = []
    for store in function.fact.stores:
        if not store.endswith(kinds):
            continue
        container = store.removesuffix("[]").removesuffix(".add")
        head, _, rest = container.partition(".")
        if head in module_names:
            found.append((container, True))
        elif head in ("self", "cls") and rest:
            found.append((container, head == "cls" or rest.partition(".")[0] in attributes))
    return found


def detect(context: PatternContext) -> Detection | None:
    classes = names("registry", "class_annotations")
    callables = names("registry", "callable_annotations")
    found: list[Instance] = []
    for function in context.functions.values():
        fact = function.fact
        if not fact.stores or is_dunder(fact.name):
            continue
        containers = keyed_stores(context, function)
        if not containers:
            continue
        uses = context.decorator_uses.get(function.qualname, [])
        returns = set(fact.returns)
        nested = {name for name, _ in fact.nested}
        typed = any(context.resolve(function.owner, a) in classes | callables
                    for _, a in fact.params if a)
        shared = any(is_shared for _, is_shared in containers)
        hands_back = bool(returns & set(function.given_names)) and shared
        if not (uses or hands_back or returns & nested or typed):
            continue
        applied = f"; applied as a decorator at {plural(len(uses), 'place')}" if uses else ""
        found.append(Instance(
            Site(function.display, function.at), context.component(function.owner),
            f"`{function.display}` records what it is given in {code(containers[0][0])}{applied}",
            0.85, len(uses), function.qualname))
    return assemble(PATTERN, "Functions and classes are registered under a key and looked up by it "
                             "later", found, context)


DETECTOR = Detector(
    PATTERN,
    "functions that store a parameter into an instance, class or module container and return "
    "it, return a registering decorator, are used as decorators or take a class or callable",
    detect)
