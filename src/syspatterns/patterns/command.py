"""Command: each operation is an object (or a registered function) that a dispatcher invokes
by name, with its arguments, now or later.

Rules:

- Subclasses of command base classes (Django's ``BaseCommand``, cleo's, cliff's,
  setuptools'; see ``knowledge/patterns.toml``), except those that are bases themselves
  (their hooks raise ``NotImplementedError``).
- Functions registered as command-line commands: ``@click.command``/``@click.group``, or
  ``@<group>.command()`` where the group is a ``@click.group`` function or a ``typer.Typer()``
  object of the repository.
- Tasks: functions turned into queued requests (``@shared_task``, ``@<celery app>.task``
  where the application is a ``Celery(...)`` object of the repository).

Not a command: a class or function merely named ``*Command``.
"""

from __future__ import annotations

from syspatterns.patterns.context import PatternContext, class_labels
from syspatterns.patterns.detection import (
    Detection,
    Detector,
    Instance,
    Site,
    assemble,
)
from syspatterns.patterns.knowledge import names

PATTERN = "Command"


def detect(context: PatternContext) -> Detection | None:
    found: list[Instance] = []
    bases = names("command", "bases")
    commands = [i for i in context.classes.values()
                if i.qualname not in bases and i.qualname not in context.interfaces
                and context.derives(i, bases)]
    shown = class_labels(commands)
    for info in commands:
        base = next(b.rpartition(".")[2] for b in context.ancestors(info) if b in bases)
        label = shown[info.qualname]
        found.append(Instance(Site(label, info.at), context.component(info.owner),
                              f"{label} is a `{base}` subclass run by name", 0.9))
    found.extend(_registered(context))
    return assemble(PATTERN, "Operations packaged as commands that a dispatcher runs by "
                             "name", found, context)


def _registered(context: PatternContext) -> list[Instance]:
    decorators = names("command", "decorators")
    groups = set(names("command", "group_decorators"))
    group_factories = names("command", "group_factories")
    group_methods = names("command", "group_methods")
    task_decorators = names("command", "task_decorators")
    task_factories = names("command", "task_factories")
    task_methods = names("command", "task_methods")
    decorated = [f for f in context.functions.values() if f.fact.decorators]
    for function in decorated:
        if any(context.resolve(function.owner, d) in groups for d in function.fact.decorators):
            groups.add(function.qualname)
    found = []
    for function in decorated:
        for decorator in function.fact.decorators:
            resolved = context.resolve(function.owner, decorator)
            head, _, method = resolved.rpartition(".")
            created = context.objects.get(head, "")
            if resolved in decorators or (method in group_methods and (
                    head in groups or created in group_factories)):
                text = (f"`{function.display}` is a command-line command registered with "
                        f"`@{decorator}`")
                confidence = 0.85
            elif resolved in task_decorators or (method in task_methods
                                                 and created in task_factories):
                text = f"`{function.display}` is a task: calls are queued as messages " \
                    f"(`@{decorator}`)"
                confidence = 0.8
            else:
                continue
            found.append(Instance(Site(function.display, function.at),
                                  context.component(function.owner), text, confidence))
            break
    return found


DETECTOR = Detector(
    PATTERN,
    "subclasses of command base classes (`BaseCommand`, ...), functions registered as click "
    "or Typer commands, and queued tasks (`@shared_task`, `@app.task`)",
    detect)
