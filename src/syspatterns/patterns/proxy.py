"""Proxy: an object that stands in for another and forwards to it, created lazily, per
context, or to add caching or access control.

Rules:

- Module-level instances of known proxy classes (Werkzeug's ``LocalProxy``, Django's
  ``SimpleLazyObject``, ...; see ``knowledge/patterns.toml``) or of classes derived from them,
  and results of lazy-proxy functions (Django's ``lazy``).
- A class that forwards attribute access: its ``__getattr__`` returns ``getattr(...)``, or its
  ``__getattr__`` is a class attribute built by a call (``__getattr__ =
  new_method_proxy(getattr)``); and module-level instances of such classes.
- A class that implements one of the repository's interfaces and takes another object of
  the same interface in ``__init__`` (a caching or guarding wrapper).

Not a proxy: a class with a ``__getattr__`` that computes values itself.
"""

from __future__ import annotations

from syspatterns.analysis.text import code
from syspatterns.patterns.context import ClassInfo, PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Proxy"


def forwards(context: PatternContext, info: ClassInfo) -> bool:
    """Its attribute access is forwarded to another object."""
    calls = names("proxy", "forwarding_calls")
    for name in names("proxy", "forwarding_methods"):
        method = info.methods.get(name)
        if method is not None and any(r.endswith("()") and r[:-2] in calls
                                      for r in method.returns):
            return True
        if info.attributes.get(name, "").endswith("()"):
            return True
    return False


def detect(context: PatternContext) -> Detection | None:
    known = names("proxy", "classes")
    found: list[Instance] = []
    proxies: set[str] = set()
    for info in context.classes.values():
        component = context.component(info.owner)
        if forwards(context, info):
            proxies.add(info.qualname)
            found.append(Instance(Site(info.name, info.at), component,
                                  f"{code(info.name)} forwards attribute access to the object "
                                  "it wraps", 0.8, defines=info.qualname))
        elif context.derives(info, known):
            proxies.add(info.qualname)
        interface = context.wrapped_interface(info)
        if interface is not None:
            found.append(Instance(
                Site(info.name, info.at), component,
                f"{code(info.name)} implements {code(interface.info.name)} and forwards to "
                f"another {code(interface.info.name)} it is given", 0.85, defines=info.qualname))
    for qualname in list(proxies):
        proxies.update(d.qualname for d in context.descendants(qualname))
    lazy = names("proxy", "functions")
    for owner, target, callee, line in context.module_instances:
        if callee in known or callee in proxies or callee in lazy:
            kind = callee.rpartition(".")[2]
            found.append(Instance(Site(target, owner.at(line)), context.component(owner),
                                  f"`{target}` is a `{kind}` standing in for an object "
                                  "resolved on access", 0.85,
                                  defines=f"{owner.module.name}.{target}"))
    return assemble(PATTERN, "Stand-ins that forward to another object, resolved lazily or per "
                    "context, or wrapped", found, context)


DETECTOR = Detector(
    PATTERN,
    "module-level lazy or context-local proxies (`LocalProxy`, `SimpleLazyObject`, `lazy`), "
    "classes forwarding `__getattr__`, and wrappers of an interface taking the same interface",
    detect)
