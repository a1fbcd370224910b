"""Template Method: a base class fixes an algorithm in concrete methods and leaves steps
(hooks) to subclasses.

Rule: a class (not a ``Protocol``) with abstract hooks (``@abstractmethod``, or a body that
raises ``NotImplementedError``), at least one concrete public method of its own that calls a
hook on ``self``, and at least one subclass in the repository that implements a hook.

Not a template method: an interface whose every method is abstract (nothing is fixed), an
abstract class whose concrete methods run none of its hooks (a factory class method beside
them), an abstract class nobody subclasses.
"""

from __future__ import annotations

from syspatterns.analysis.text import code, names, plural
from syspatterns.patterns.context import PatternContext, is_dunder, is_public, unique
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)

PATTERN = "Template Method"


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    for interface in context.interfaces.values():
        if interface.kind == "protocol":
            continue
        info = interface.info
        hooks = set(interface.members)
        # the concrete methods that run a hook: the steps they fix (``self.step()``)
        concrete = unique(m.name for m in info.fact.methods
                          if m.name not in hooks and is_public(m.name) and not is_dunder(m.name)
                          and any(callee.startswith("self.") and callee[5:] in hooks
                                  for callee, _ in m.calls))
        subclasses = context.implementers(interface)
        if not concrete or not subclasses:
            continue
        found.append(Instance(
            Site(info.name, info.at), context.component(info.owner),
            f"{code(info.name)} implements {names(concrete, limit=3)} and leaves "
            f"{names(sorted(hooks), limit=3)} to "
            f"{plural(len(subclasses), 'subclass', 'subclasses')} "
            f"(such as {code(subclasses[0].name)})",
            0.8 if len(subclasses) > 1 else 0.7, len(subclasses), info.qualname))
    return assemble(PATTERN, "Base classes fix the steps of an algorithm; subclasses fill in the "
                             "hooks", found, context)


DETECTOR = Detector(
    PATTERN,
    "base classes with abstract or `NotImplementedError` hooks, concrete public methods and "
    "subclasses that implement the hooks",
    detect)
