"""Group modules into components by a deterministic rule.

1. Every top-level package is a component, and so is every folder of loose scripts
   (modules outside any package, grouped by the first folder on their path below the last
   package that holds them: ``scripts/`` for ``scripts/tools/report.py``, ``app/scripts/`` for
   ``app/scripts/tools/seed.py`` inside ``app``; tests by their top folder, so that a test
   suite stays whole, together with the test package of that folder if there is one).
   Components are found from the modules' paths, so each is a folder or file of the
   repository.
2. A component is large when it holds more than ``max(SPLIT_MIN_MODULES, N / SPLIT_DIVISOR)``
   of the repository's N non-test modules. Large components are split, largest first (ties by
   name), while the count of non-test components stays within :data:`MAX_COMPONENTS`: a
   package with subpackages splits into one component per direct subpackage plus one for its
   own direct modules (named after the package); when that would pass the limit, only its
   largest subpackages (ties by name) of at least ``SPLIT_MIN_MODULES`` modules become
   components and the others stay with the package's own modules (a package of many small
   plug-ins stays whole). A component made only of modules splits into one component per
   module, unless that would pass the limit or it is a folder of migrations
   (:data:`WHOLE_FOLDERS`).
3. Each component has a role: ``test`` when most of its modules are tests, not counting those
   of a test package inside it (``pkg/tests/``; see ``scan.classify.TEST_FOLDERS``);
   ``example``, ``docs`` or ``benchmark`` when it lies under a top-level folder of that purpose (see
   :data:`PERIPHERAL_FOLDERS`); ``code`` otherwise. Only code components are split, count
   towards the limit and appear in the architecture diagram; the others are listed apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from syspatterns.model.modules import Module
from syspatterns.scan.classify import TEST_FOLDERS

MAX_COMPONENTS = 24
# Top-level folders whose code shows or measures the system rather than being part of it.
PERIPHERAL_FOLDERS = {
    "examples": "example", "example": "example", "samples": "example", "sample": "example",
    "demo": "example", "demos": "example", "tutorial": "example", "tutorials": "example",
    "docs": "docs", "doc": "docs", "documentation": "docs", "docs_src": "docs",
    "docs-src": "docs", "doc_src": "docs",
    "benchmarks": "benchmark", "benchmark": "benchmark", "bench": "benchmark",
    "asv_bench": "benchmark",
}
SPLIT_MIN_MODULES = 12
# Folders of many similar modules that stay one component, never one per module: database
# migrations (Django's ``migrations/``, Alembic's ``versions/``).
WHOLE_FOLDERS = frozenset({"migrations", "versions"})
SPLIT_DIVISOR = 8
ROOT_SCRIPTS = "(top-level scripts)"


class Component(NamedTuple):
    """A group of modules that the document describes as one unit."""

    name: str
    modules: tuple[str, ...]
    location: str  # the folder or file that holds it
    kind: str  # "package", "modules" (a package's own modules), "module" or "scripts"
    role: str  # "code", "test", "example", "docs" or "benchmark"

    @property
    def is_code(self) -> bool:
        return self.role == "code"


@dataclass
class _Candidate:
    name: str
    modules: list[Module]
    location: str
    kind: str
    prefix: str  # package name whose subtree this is ("" for scripts)
    examples_as_code: bool = False  # see :func:`examples_are_code`

    @cached_property
    def role(self) -> str:
        role = _role(self.modules, self.name)
        return "code" if role == "example" and self.examples_as_code else role

    def subpackages(self) -> dict[str, list[Module]]:
        """The modules of each folder directly inside this package, by the folder's name."""
        groups: dict[str, list[Module]] = {}
        for module in self.modules:
            folder, slash, _ = module.path[len(self.location) + 1:].partition("/")
            if slash:
                groups.setdefault(folder, []).append(module)
        return groups

    def split(self, room: int) -> list[_Candidate] | None:
        """The parts this component splits into, adding at most ``room`` code components
        (see the module's rule 2), or ``None``."""
        if self.kind == "package":
            subpackages = self.subpackages()
            if subpackages:
                parts = [
                    _Candidate(f"{self.prefix}.{folder}", group, f"{self.location}/{folder}",
                               "package", f"{self.prefix}.{folder}", self.examples_as_code)
                    for folder, group in sorted(subpackages.items())
                ]
                code = sorted((p for p in parts if p.role == "code"),
                              key=lambda p: (-len(p.modules), p.name))
                merged: set[str] = set()
                if len(code) > room:  # only the largest, and only substantial ones
                    kept = {p.name for p in code[:room] if len(p.modules) >= SPLIT_MIN_MODULES}
                    merged = {p.name for p in code if p.name not in kept}
                parts = [p for p in parts if p.name not in merged]
                inside = {m.name for p in parts for m in p.modules}
                own = [m for m in self.modules if m.name not in inside]
                if own:
                    parts.append(_Candidate(self.name, own, self.location, "modules", "",
                                            self.examples_as_code))
                return parts if len(parts) > 1 else None
        if len(self.modules) > 1 and self.location.rpartition("/")[2] not in WHOLE_FOLDERS:
            return [
                _Candidate(m.name, [m], m.path, "module", "", self.examples_as_code)
                for m in sorted(self.modules, key=lambda m: m.name)
            ]
        return None


def examples_are_code(modules: Iterable[Module]) -> bool:
    """Whether the repository's code is its examples: no module outside tests, examples, docs
    and benchmarks, and some under an examples folder (a collection of demo applications,
    a course's exercises). Its examples are then analysed as its code."""
    roles = {_peripheral_role(m.path) for m in modules if not m.is_test}
    return None not in roles and "example" in roles


def _peripheral_role(path: str) -> str | None:
    top, slash, _ = path.partition("/")
    return PERIPHERAL_FOLDERS.get(top.lower()) if slash else None


def _in_test_package(module: str, component: str) -> bool:
    """Whether ``module`` lies in a test package below the component's own package
    (``hc.front.tests.test_views`` in ``hc.front``)."""
    if not module.startswith(component + "."):
        return False
    return not TEST_FOLDERS.isdisjoint(module[len(component) + 1:].split(".")[:-1])


def _role(modules: list[Module], name: str) -> str:
    # Mostly tests (with a few helper modules among them, as celery's ``t/``) is a test suite;
    # a package's own ``tests/`` subpackage does not make the package a test suite.
    own = [m for m in modules
           if not m.is_package and not _in_test_package(m.name, name)] or modules
    if sum(m.is_test for m in own) * 2 > len(own):
        return "test"
    roles = {_peripheral_role(m.path) for m in modules}
    only = roles.pop() if len(roles) == 1 else None
    return only or "code"


def _package_folder(module: Module) -> str:
    """The folder of the top-level package that holds a module of a package."""
    relative = module.path[len(module.root) + 1:] if module.root else module.path
    top = relative.partition("/")[0]
    return f"{module.root}/{top}" if module.root else top


def _script_folder(module: Module, package_folders: set[str]) -> str:
    """The folder that groups a loose script: the first folder on its path below the last
    package that holds it (``scripts`` for ``scripts/tools/report.py``, ``app/scripts`` for
    ``app/scripts/tools/seed.py`` inside the package ``app``), the top folder for a test (a
    test suite stays whole), "" for a script at the repository's root."""
    parts = module.path.split("/")[:-1]
    if module.is_test:
        return parts[0] if parts else ""
    inside = max((depth for depth in range(1, len(parts))
                  if "/".join(parts[:depth]) in package_folders), default=0)
    return "/".join(parts[:inside + 1])


def _initial(modules: dict[str, Module]) -> list[_Candidate]:
    packages: dict[str, list[Module]] = {}
    scripts: dict[str, list[Module]] = {}
    package_folders = {m.path.rpartition("/")[0] for m in modules.values() if m.is_package}
    for module in modules.values():
        if module.is_script:
            scripts.setdefault(_script_folder(module, package_folders), []).append(module)
        else:
            packages.setdefault(_package_folder(module), []).append(module)
    for folder, group in list(packages.items()):
        # A test package whose folder also holds test scripts is one suite with them.
        if folder in scripts and all(m.is_test for m in group):
            scripts[folder].extend(packages.pop(folder))
    candidates = []
    roots: dict[str, list[str]] = {}
    for folder in sorted(packages, key=lambda f: (f.rpartition("/")[2], len(f), f)):
        roots.setdefault(folder.rpartition("/")[2], []).append(folder)
    for folder, group in sorted(packages.items()):
        # The same package name under several source roots (a ``tests`` package at the top
        # and another in an example project): the first root keeps the name, the others
        # are named by the package's folder.
        top = folder.rpartition("/")[2]
        name = top if roots[top][0] == folder else folder
        candidates.append(_Candidate(name, group, folder, "package", top))
    for folder, group in sorted(scripts.items()):
        if len(group) == 1 and not folder:
            module = group[0]
            candidates.append(_Candidate(module.name, group, module.path, "module", ""))
        else:
            label = f"{folder}/" if folder else ROOT_SCRIPTS
            candidates.append(_Candidate(label, group, folder or ".", "scripts", ""))
    return candidates


def group_components(modules: dict[str, Module],
                     max_components: int = MAX_COMPONENTS) -> list[Component]:
    """The components of the repository, sorted by name."""
    candidates = _initial(modules)
    counted: tuple[str | None, ...] = (None,)  # the peripheral roles that count as code
    if examples_are_code(modules.values()):
        counted = (None, "example")
        for candidate in candidates:
            candidate.examples_as_code = True
    code_modules = sum(
        not m.is_test and _peripheral_role(m.path) in counted for m in modules.values())
    large = max(SPLIT_MIN_MODULES, code_modules / SPLIT_DIVISOR)
    changed = True
    while changed:
        changed = False
        count = sum(c.role == "code" for c in candidates)
        for candidate in sorted(candidates, key=lambda c: (-len(c.modules), c.name)):
            if candidate.role != "code" or len(candidate.modules) <= large:
                continue
            parts = candidate.split(max_components - count)
            if parts is None:
                continue
            added = sum(p.role == "code" for p in parts) - 1
            if count + added > max_components:
                continue
            candidates.remove(candidate)
            candidates.extend(parts)
            changed = True
            break
    return sorted(
        (Component(c.name, tuple(sorted(m.name for m in c.modules)), c.location, c.kind,
                   c.role)
         for c in candidates),
        key=lambda c: c.name,
    )
