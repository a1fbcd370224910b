"""Middleware (Chain of Responsibility): each handler wraps the next one, and a request
passes through the chain, any link of which may answer it or pass it on.

Rules:

- Subclasses of middleware base classes (Django's ``MiddlewareMixin``, Starlette's
  ``BaseHTTPMiddleware``; see ``knowledge/patterns.toml``).
- A class whose ``__init__`` takes the next handler under the name its protocol gives it
  (Django: ``get_response``; WSGI/ASGI: ``app``) and that defines ``__call__``.
- Middleware installed on an application (``app.add_middleware(X)``) and a setting that
  lists the chain (Django's ``MIDDLEWARE``, Scrapy's ``DOWNLOADER_MIDDLEWARES``).

Not middleware: a class taking an ``app`` without being callable itself.
"""

from __future__ import annotations

from syspatterns.analysis.text import names as listed
from syspatterns.patterns.context import PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Middleware"


def detect(context: PatternContext) -> Detection | None:
    bases = names("middleware", "bases")
    next_names = names("middleware", "next_handler_parameters")
    hooks = names("middleware", "hooks")
    found: list[Instance] = []
    for info in context.classes.values():
        if info.qualname not in bases and context.derives(info, bases):
            base = next(b.rpartition(".")[2] for b in context.ancestors(info) if b in bases)
            own_hooks = sorted(hooks & info.methods.keys())
            text = f" and implements {listed(own_hooks, limit=3)}" if own_hooks else ""
            found.append(Instance(Site(info.name, info.at), context.component(info.owner),
                                  f"`{info.name}` subclasses `{base}`{text}", 0.9,
                                  defines=info.qualname))
            continue
        params = info.init_params
        if params and params[0][0] in next_names and "__call__" in info.methods:
            found.append(Instance(Site(info.name, info.at), context.component(info.owner),
                                  f"`{info.name}` takes the next handler (`{params[0][0]}`) "
                                  "and is called in its place", 0.85, defines=info.qualname))
    found.extend(_installed(context))
    return assemble(PATTERN, "Requests pass through a chain of handlers, each wrapping the "
                             "next", found, context)


def _installed(context: PatternContext) -> list[Instance]:
    install = names("middleware", "install_calls")
    settings = names("middleware", "settings")
    found = []
    for owner in context.modules:
        for call in owner.facts.calls:
            if call.callee.rpartition(".")[2] in install and call.args and call.args[0]:
                found.append(Instance(
                    Site(call.args[0], owner.at(call.line)), context.component(owner),
                    f"`{call.callee}({call.args[0]})` installs middleware", 0.8))
        for constant in owner.facts.constants:
            if constant.name in settings and constant.value in ("list", "tuple", "dict"):
                found.append(Instance(
                    Site(constant.name, owner.at(constant.line)), context.component(owner),
                    f"the `{constant.name}` setting lists the chain in order", 0.75))
    return found


DETECTOR = Detector(
    PATTERN,
    "subclasses of `MiddlewareMixin`/`BaseHTTPMiddleware`, callable classes taking the next "
    "handler (`get_response`, `app`), `add_middleware(...)` calls and middleware settings "
    "(`MIDDLEWARE`, Scrapy's `DOWNLOADER_MIDDLEWARES`)",
    detect)
