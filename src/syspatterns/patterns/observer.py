"""Observer: senders announce events; any number of receivers subscribe to them without the
sender knowing who they are.

Rules:

- Signals: module-level instances of signal classes (Django's ``Signal``, blinker's, Celery's;
  see ``knowledge/patterns.toml``) or of the repository's subclasses of them, blinker's
  ``Namespace().signal(...)``, and objects created in a framework's signal module.
- Receivers: functions decorated with a receiver decorator (``@receiver(post_save)``,
  ``@event.listens_for``), calls of ``<signal>.connect(handler)`` on one of those signals or
  on a framework's signal module (``django.db.models.signals.post_save.connect``), and calls
  of ``event.listen``.
- Hooks: a function or method that appends the callable it is given to a list held by the
  instance or the module (``self.before_request_funcs.append(f)``) and returns it, so it
  works as a decorator that subscribes.

Not an observer: a list that collects values without handing them back, a local or nested
list (``self.request.children.append(result)``), a ``connect`` call on something that is
not a signal (a database connection).
"""

from __future__ import annotations

from syspatterns.analysis.text import code
from syspatterns.patterns.context import FunctionInfo, PatternContext
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names, value

PATTERN = "Observer"
APPENDING = (".append", ".insert")


def signals(context: PatternContext) -> dict[str, str]:
    """Module-level signal objects: qualified name -> what made it (``Signal``,
    ``signal``)."""
    classes = set(names("observer", "signal_classes"))
    for info in list(context.classes.values()):
        if info.qualname in classes or context.derives(info, frozenset(classes)):
            classes.add(info.qualname)
    functions = names("observer", "signal_functions")
    namespaces = names("observer", "signal_namespaces")
    modules = names("observer", "signal_modules")
    method = value("observer", "namespace_method")
    found: dict[str, str] = {}
    for owner, target, callee, _ in context.module_instances:
        head, _, last = callee.rpartition(".")
        if callee in classes or callee in functions or owner.module.name in modules or (
                last == method and context.objects.get(head) in namespaces):
            found[f"{owner.module.name}.{target}"] = last
    return found


def _is_signal(name: str, known: dict[str, str]) -> bool:
    return name in known or name.rpartition(".")[0] in names("observer", "signal_modules")


def detect(context: PatternContext) -> Detection | None:
    known = signals(context)
    found: list[Instance] = []
    for owner, target, _, line in context.module_instances:
        qualname = f"{owner.module.name}.{target}"
        if qualname in known:
            found.append(Instance(Site(target, owner.at(line)), context.component(owner),
                                  f"`{target}` is a `{known[qualname]}` that receivers "
                                  "subscribe to", 0.9, defines=qualname))
    for decorator in sorted(names("observer", "receiver_decorators")):
        for use in context.decorator_uses.get(decorator, ()):
            short = decorator.rpartition(".")[2]
            found.append(Instance(Site(use.target, use.evidence), context.component(use.owner),
                                  f"`{use.target}` receives events through `@{short}`", 0.85))
    connects = names("observer", "connect_methods")
    for callee, calls in sorted(context.calls.items()):
        head, _, method = callee.rpartition(".")
        subscribes = (method in connects and _is_signal(head, known)) or (
            callee in names("observer", "listen_functions"))
        if not subscribes:
            continue
        for owner, call in calls:
            arguments = call.args[0 if method in connects else 2:]
            handler = arguments[0] if arguments else ""
            label = handler.rpartition(".")[2] or call.callee
            found.append(Instance(Site(label, owner.at(call.line)), context.component(owner),
                                  f"`{call.callee}({handler or '...'})` subscribes a receiver",
                                  0.85))
    for function in context.functions.values():
        fact = function.fact
        if not fact.stores:
            continue
        appended = [s for s in fact.stores if s.endswith(APPENDING) and _shared_list(
            context, function, s.rpartition(".")[0])]
        if appended and set(fact.returns) & set(function.given_names):
            container = appended[0].rpartition(".")[0]
            found.append(Instance(Site(function.display, function.at),
                                  context.component(function.owner),
                                  f"`{function.display}` adds the callback it is given to "
                                  f"{code(container)} and returns it, so it subscribes as a "
                                  "decorator", 0.75))
    return assemble(PATTERN, "Lets code react to events without the sender knowing the "
                             "receivers", found, context)


def _shared_list(context: PatternContext, function: FunctionInfo, container: str) -> bool:
    """``self.hooks`` or a module variable: not a local list, not a nested attribute."""
    head, _, rest = container.partition(".")
    if head == "self":
        return bool(rest) and "." not in rest
    return not rest and head in context.variables(function.owner)


DETECTOR = Detector(
    PATTERN,
    "signal objects (Django, blinker), `@receiver`-style decorators, `<signal>.connect(...)` "
    "calls and functions that append the callback they are given to a list and return it",
    detect)
