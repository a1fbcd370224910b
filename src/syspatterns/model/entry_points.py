"""Where the system starts: console scripts, ``__main__`` modules, main guards, ``manage.py``
and web application objects (``app = FastAPI()``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.extract.facts import FileFacts
from syspatterns.knowledge import ApplicationFactory, Knowledge
from syspatterns.model.manifests import Script
from syspatterns.model.modules import Module
from syspatterns.model.names import bound_names, qualify


class EntryPoint(NamedTuple):
    """One way the system is started."""

    kind: str  # "console script", "python -m", "main guard", "manage.py", "ASGI application", ...
    name: str  # what a user types or a server loads
    target: str  # the module (and object) that runs
    evidence: Evidence


def find_entry_points(modules: dict[str, Module], facts: dict[str, FileFacts],
                      scripts: list[Script], knowledge: Knowledge,
                      imported: Collection[str] = ()) -> list[EntryPoint]:
    """The entry points; ``imported`` holds the modules other modules import (a script one
    imports is a library of it, not run by itself)."""
    found: list[EntryPoint] = [
        EntryPoint("console script", s.name, s.target, s.evidence) for s in scripts
    ]
    code = [(m, facts[m.path]) for m in modules.values() if not m.is_test and m.path in facts]
    for module, file_facts in code:
        found.extend(e for e in _runnable(module, file_facts)
                     if e.kind != "script" or module.name not in imported)
    # Application objects: a framework's application class called at module level, or in a
    # factory function; then module-level calls of those factories (``app = create_app()``).
    frameworks = {a.callable: a for a in knowledge.applications}
    factories: dict[str, ApplicationFactory] = {}
    for module, file_facts in code:
        names = bound_names(file_facts, module)
        for assignment in file_facts.assignments:
            factory = frameworks.get(qualify(assignment.callee, names))
            if factory is None:
                continue
            evidence = Evidence(module.path, assignment.line)
            if assignment.scope:
                factories[f"{module.name}.{assignment.scope}"] = factory
                found.append(EntryPoint(
                    f"{factory.interface} application factory ({factory.framework})",
                    f"{module.name}:{assignment.scope}()",
                    f"{module.name}.{assignment.scope}", evidence))
            else:
                found.extend(_applications(module, assignment.targets, factory, evidence))
    for module, file_facts in code:
        names = bound_names(file_facts, module)
        for assignment in file_facts.assignments:
            if assignment.scope:
                continue
            callee = qualify(assignment.callee, names)
            factory = factories.get(callee) or factories.get(f"{module.name}.{callee}")
            if factory is not None:
                found.extend(_applications(module, assignment.targets, factory,
                                           Evidence(module.path, assignment.line)))
    return sorted(set(found), key=lambda e: (e.evidence, e.kind, e.name))


def _applications(module: Module, targets: tuple[str, ...], factory: ApplicationFactory,
                  evidence: Evidence) -> list[EntryPoint]:
    return [
        EntryPoint(f"{factory.interface} application ({factory.framework})",
                   f"{module.name}:{target}", f"{module.name}.{target}", evidence)
        for target in targets
    ]


# Libraries whose scripts are started by their own command, not ``python FILE``.
SCRIPT_RUNNERS = {"streamlit": "streamlit run"}
# Files that tools read or run themselves rather than a person with ``python FILE``.
TOOL_FILES = frozenset({"conf.py", "conftest.py", "setup.py", "noxfile.py", "fabfile.py",
                        "tasks.py", "dodo.py", "gunicorn.conf.py", "gunicorn_config.py",
                        "__init__.py", "manage.py", "wsgi.py", "asgi.py", "settings.py",
                        "sitecustomize.py", "usercustomize.py", "env.py"})
# Folders whose files a tool loads: database migrations (Alembic's ``versions/``).
TOOL_FOLDERS = frozenset({"migrations", "versions"})


def _top_level_script(module: Module, facts: FileFacts) -> list[EntryPoint]:
    """A loose script without a main guard that does its work at module level (``train.py``
    calling functions at its top), run as ``python train.py``; the caller leaves out
    scripts another module imports."""
    folder, _, name = module.path.rpartition("/")
    if (not module.is_script or name in TOOL_FILES or name.startswith("_")
            or folder.rpartition("/")[2] in TOOL_FOLDERS):
        return []
    # calls that are statements of their own, not the values of settings (a configuration
    # file computing ``run_name = "ft-" + str(time.time())`` is read, not run)
    assigned = {c.line for c in (*facts.constants, *facts.variables)}
    assigned.update(a.line for a in facts.assignments)
    calls = [c for c in facts.calls if not c.scope and c.line not in assigned]
    if not calls:
        return []
    # cited at its first statement of its own (a call at the start of a line), if any
    first = min((c.line for c in calls if c.column == 0), default=min(c.line for c in calls))
    runner = next((SCRIPT_RUNNERS[i.target.partition(".")[0]] for i in facts.imports
                   if not i.level and i.target.partition(".")[0] in SCRIPT_RUNNERS), "python")
    return [EntryPoint("script", f"{runner} {module.path}", module.name,
                       Evidence(module.path, first))]


def _runnable(module: Module, facts: FileFacts) -> list[EntryPoint]:
    """``__main__`` modules, ``manage.py`` and main guards."""
    stem = module.path.rpartition("/")[2]
    if stem == "__main__.py":
        package = module.package
        return [EntryPoint("python -m", f"python -m {package}" if package else module.path,
                           module.name, Evidence(module.path, facts.main_block_line or 1))]
    if not facts.main_block_line:
        return _top_level_script(module, facts)
    kind = "manage.py" if stem == "manage.py" else "main guard"
    return [EntryPoint(kind, f"python {module.path}", module.name,
                       Evidence(module.path, facts.main_block_line))]
