"""Repository: collection-like access to stored objects behind a class, so the rest of the
code does not write queries.

Rules:

- A class whose ``__init__`` takes a database handle (an annotated SQLAlchemy ``Session``,
  a DB-API connection, ...; see ``knowledge/patterns.toml``) and that implements one of the
  repository's interfaces (strongest), or has two or more public methods.

Not a repository: a class that takes a session but offers no methods of its own; a class
that merely imports an ORM or a database driver (a database backend or a result store is an
adapter, see Adapter).
"""

from __future__ import annotations

from syspatterns.analysis.text import code
from syspatterns.patterns.context import PatternContext, is_public, unique
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Repository"


def detect(context: PatternContext) -> Detection | None:
    implemented: dict[str, str] = {}
    for interface in context.interfaces.values():
        for info in context.implementers(interface):
            implemented.setdefault(info.qualname, interface.info.name)
    sessions = names("repository", "session_types")
    found: list[Instance] = []
    for info in context.classes.values():
        if not info.init_params:
            continue
        handle = next((resolved for resolved in (context.resolve(info.owner, a)
                                                 for _, a in info.init_params if a)
                       if resolved in sessions), "")
        if not handle:
            continue
        site = Site(info.name, info.at)
        component = context.component(info.owner)
        port = implemented.get(info.qualname)
        public = unique(m.name for m in info.fact.methods if is_public(m.name))
        if port:
            found.append(Instance(site, component, f"{code(info.name)} implements {code(port)} "
                                  f"with a `{handle}`", 0.85, defines=info.qualname))
        elif len(public) >= 2:
            found.append(Instance(site, component, f"{code(info.name)} wraps a `{handle}` "
                                  f"behind {code(public[0])}, {code(public[1])}, ...", 0.7,
                                  defines=info.qualname))
    return assemble(PATTERN, "Stored objects are read and written through classes instead of "
                    "queries in the callers", found, context)


DETECTOR = Detector(
    PATTERN,
    "classes taking a database session or connection in `__init__` that implement an "
    "interface or offer two or more methods",
    detect)
