"""What the system is built from: the third-party libraries its code imports (with category,
declared constraint, locked version, import counts and the components that import them), what
the manifests declare that nothing imports, what the code imports that no manifest declares,
the build backends and the front-end packages of ``package.json`` files.

Nothing is inferred from names: a library counts as used only when an import statement names
it, and as declared only when a manifest lists it.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.extract.facts import IN_TRY, IN_TYPE_CHECKING
from syspatterns.knowledge import normalize
from syspatterns.knowledge.stack_tables import (
    FrontendCategory,
    load_distribution_aliases,
    load_frontend_packages,
)
from syspatterns.model.components import PERIPHERAL_FOLDERS
from syspatterns.model.manifests import (
    LOCK_READERS,
    BuildSystem,
    LockedVersion,
    NodeDependency,
    Requirement,
)
from syspatterns.model.system import Dependency, SystemModel
from syspatterns.scan.classify import TEST_DATA_FOLDERS, TEST_FOLDERS, is_template

EVIDENCE_LIMIT = 3
NAMESPACE_PREFIX = "namespace:"  # keys of namespace-package declarations
STUB_PATTERN = re.compile(r"^types-|-stubs$")
# Import names that no distribution provides: typeshed's stub-only module (imported under
# ``TYPE_CHECKING``) and the running script's namespace.
NOT_DISTRIBUTIONS = frozenset({"_typeshed", "__main__"})


@dataclass(frozen=True)
class LibraryUse:
    """A third-party distribution the repository imports."""

    distribution: str
    category: str  # a knowledge category key, "" when the tables do not list it
    import_names: tuple[str, ...]
    statements: dict[str, int]  # component role ("code", "test", ...) -> import statements
    modules: int  # modules with at least one import of it
    components: tuple[Dependency, ...]  # importing components, most imports first
    evidence: tuple[Evidence, ...]  # the first import places, code before tests
    declared: tuple[Requirement, ...]
    locked: LockedVersion | None
    optional: bool  # every import of it sits in a ``try`` block
    type_only: bool = False  # every import of it sits under ``if TYPE_CHECKING:``

    @property
    def total(self) -> int:
        return sum(self.statements.values())

    @property
    def code_statements(self) -> int:
        return self.statements.get("code", 0)

    def imported_by(self, *roles: str) -> bool:
        return any(self.statements.get(role) for role in roles)


class Declaration(NamedTuple):
    """A distribution that the manifests declare, in every group and place they do."""

    name: str
    groups: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    category: str


class FrontendUse(NamedTuple):
    dependency: NodeDependency
    category: FrontendCategory


@dataclass
class Stack:
    libraries: list[LibraryUse]  # most imported by code first, then by name
    declared_not_imported: list[Declaration]
    imported_not_declared: list[LibraryUse]
    manifests: list[str]  # the Python manifests whose declarations were compared
    build_systems: list[BuildSystem]
    frontend: list[FrontendUse]
    stubs_left_out: list[Declaration] = field(default_factory=list)

    def by_category(self) -> dict[str, list[LibraryUse]]:
        grouped: dict[str, list[LibraryUse]] = defaultdict(list)
        for library in self.libraries:
            if library.category:
                grouped[library.category].append(library)
        return dict(grouped)


def is_peripheral(path: str) -> bool:
    """Whether a file lies under a top-level folder of examples, docs or benchmarks."""
    top = path.split("/", 1)[0]
    return "/" in path and top in PERIPHERAL_FOLDERS


def _role_of(model: SystemModel, module: str) -> str:
    component = model.component_by_name.get(model.component_of.get(module, ""))
    return component.role if component else "code"


def is_central(path: str) -> bool:
    """Whether a manifest or configuration file speaks for the repository: not under
    examples, docs or benchmarks, not in a project template or a test data folder, and not
    a fixture inside a test folder (a test folder's own ``requirements.txt`` or
    ``requirements/`` files count; deeper ones are test data)."""
    if is_peripheral(path) or is_template(path):
        return False
    folders = path.split("/")[:-1]
    if not TEST_DATA_FOLDERS.isdisjoint(folders):
        return False
    for index, folder in enumerate(folders):
        if folder in TEST_FOLDERS:
            return folders[index + 1:] in ([], ["requirements"])
    return True


def _declaration_order(requirement: Requirement) -> tuple[bool, bool, Evidence, str]:
    """The repository's own manifests first, main dependencies before groups."""
    return (not is_central(requirement.evidence.path), requirement.group != "",
            requirement.evidence, requirement.name)


def own_names(model: SystemModel) -> set[str]:
    """The normalised names of the repository's own projects and top-level modules."""
    names = {normalize(n) for n in model.manifests.project_names}
    names |= {normalize(name) for name in model.modules if "." not in name}
    return names


def canonical(name: str) -> str:
    """The normalised distribution name, with aliases resolved (``psycopg2-binary`` ->
    ``psycopg2``)."""
    return normalize(load_distribution_aliases().get(normalize(name), name))


def _namespace_declarations(model: SystemModel, requirements: list[Requirement]
                            ) -> dict[str, list[Requirement]]:
    """Import name -> requirements of distributions in a namespace package that it provides:
    ``backports.zoneinfo`` or ``google-cloud-storage`` are imported as ``backports.zoneinfo``
    and ``google.cloud.storage``, whose top-level name alone says nothing."""
    tops = {x.top for x in model.externals if not x.is_stdlib}
    candidates: dict[str, list[tuple[str, Requirement]]] = defaultdict(list)
    for requirement in requirements:
        dotted = re.sub(r"[-_.]+", ".", requirement.name.lower())
        top = dotted.split(".")[0]
        if "." in dotted and top in tops:
            candidates[top].append((dotted, requirement))
    if not candidates:
        return {}
    targets: set[str] = set()
    for facts in model.facts.values():
        for fact in facts.imports:
            if not fact.level and fact.target.split(".")[0] in candidates:
                targets.add(fact.target.lower())
    found: dict[str, list[Requirement]] = defaultdict(list)
    for top, items in candidates.items():
        for dotted, requirement in items:
            if any(t == dotted or t.startswith(dotted + ".") for t in targets):
                found[top].append(requirement)
    return found


def _libraries(model: SystemModel, declared: dict[str, list[Requirement]]) -> list[LibraryUse]:
    statements: dict[str, dict[str, set[tuple[str, int]]]] = defaultdict(
        lambda: defaultdict(set))
    places: dict[str, dict[str, set[Evidence]]] = defaultdict(lambda: defaultdict(set))
    tops: dict[str, set[str]] = defaultdict(set)
    guarded: dict[str, bool] = {}
    typing_only: dict[str, bool] = {}
    modules: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for item in model.externals:
        if item.is_stdlib or item.top in NOT_DISTRIBUTIONS:
            continue
        distribution = model.distribution_of(item.top)
        key = canonical(distribution)
        names.setdefault(key, distribution)
        path = model.modules[item.importer].path
        role = _role_of(model, item.importer)
        statements[key][role].add((path, item.line))
        component = model.component_of.get(item.importer, "")
        places[key][component].add(Evidence(path, item.line))
        tops[key].add(item.top)
        modules[key].add(item.importer)
        guarded[key] = guarded.get(key, True) and bool(item.flags & IN_TRY)
        typing_only[key] = typing_only.get(key, True) and bool(item.flags & IN_TYPE_CHECKING)
    result = []
    for key, by_role in statements.items():
        components = tuple(
            Dependency(name, len(found), tuple(sorted(found)[:EVIDENCE_LIMIT]))
            for name, found in sorted(places[key].items(), key=lambda kv: (-len(kv[1]), kv[0])))
        ordered_roles = sorted(by_role, key=lambda r: (r != "code", r != "test", r))
        evidence = tuple(Evidence(*place) for role in ordered_roles
                         for place in sorted(by_role[role]))[:EVIDENCE_LIMIT]
        category = ""
        for top in sorted(tops[key]):
            library = model.knowledge.library_for_import(top)
            if library is not None:
                category = library.category_for(
                    _code_targets(model, modules[key], tops[key]) if library.roles else ())
                break
        requirements = tuple(sorted(declared.get(key, []), key=_declaration_order))
        distribution = names[key]
        if not requirements and len(tops[key]) == 1:
            requirements = tuple(sorted(declared.get(NAMESPACE_PREFIX + min(tops[key]), []),
                                        key=_declaration_order))
            if len({normalize(r.name) for r in requirements}) == 1:
                distribution = requirements[0].name
        if not category:
            for requirement in requirements:
                library = model.knowledge.library_for_distribution(canonical(requirement.name))
                if library is not None:
                    category = library.category
                    break
        near = requirements[0].evidence.path if requirements else ""
        locked = model.manifests.locked_version(distribution, is_central, near)
        if locked is None:
            for requirement in requirements:
                locked = model.manifests.locked_version(requirement.name, is_central, near)
                if locked:
                    break
        result.append(LibraryUse(
            distribution=distribution, category=category, import_names=tuple(sorted(tops[key])),
            statements={role: len(found) for role, found in sorted(by_role.items())},
            modules=len(modules[key]), components=components, evidence=evidence,
            declared=requirements, locked=locked, optional=guarded[key],
            type_only=typing_only[key]))
    result.sort(key=lambda lib: (-lib.code_statements, -lib.total, lib.distribution.lower()))
    return result


def _code_targets(model: SystemModel, importers: set[str], tops: set[str]) -> set[str]:
    """What the code components among ``importers`` import from the top-level modules
    ``tops`` (``aiohttp.web`` for ``from aiohttp import web``)."""
    found = set()
    for importer in importers:
        if _role_of(model, importer) != "code":
            continue
        facts = model.facts.get(model.modules[importer].path)
        for fact in facts.imports if facts else ():
            if not fact.level and fact.target.partition(".")[0] in tops:
                found.add(fact.target)
    return found


def _declarations(requirements: list[Requirement], model: SystemModel) -> list[Declaration]:
    grouped: dict[str, list[Requirement]] = defaultdict(list)
    for requirement in requirements:
        grouped[canonical(requirement.name)].append(requirement)
    result = []
    for items in grouped.values():
        items.sort(key=lambda r: (r.group != "", r.evidence))
        library = model.knowledge.library_for_distribution(canonical(items[0].name))
        result.append(Declaration(
            items[0].name, tuple(sorted({r.group for r in items})),
            tuple(sorted({r.evidence for r in items})), library.category if library else ""))
    result.sort(key=lambda d: (d.groups[0] != "", d.name.lower()))
    return result


def _undeclared(library: LibraryUse) -> bool:
    """Worth reporting as imported but not declared: imported unconditionally by the code (or
    by tests, when the knowledge tables know it), and not a private module (``_x``)."""
    return (not library.declared and not library.optional and not library.type_only
            and not any(top.startswith("_") for top in library.import_names)
            and (library.imported_by("code")
                 or (library.imported_by("test") and bool(library.category))))


def build_stack(model: SystemModel) -> Stack:
    """The stack of ``model``'s repository; use :func:`stack_of` to compute it once."""
    own = own_names(model)
    scoped = [r for r in model.manifests.requirements
              if is_central(r.evidence.path) and canonical(r.name) not in own]
    declared: dict[str, list[Requirement]] = defaultdict(list)
    for requirement in model.manifests.requirements:
        declared[canonical(requirement.name)].append(requirement)
    for build in model.manifests.build_systems:
        for name in build.requires if build.declared else ():
            declared[canonical(name)].append(Requirement(name, "build-system", build.evidence))
    for top, requirements in _namespace_declarations(model, model.manifests.requirements).items():
        declared[NAMESPACE_PREFIX + top] = requirements
    libraries = _libraries(model, declared)
    imported = {canonical(lib.distribution) for lib in libraries}
    for library in libraries:
        imported |= {normalize(top) for top in library.import_names}
        imported |= {canonical(r.name) for r in library.declared}
    unused = [r for r in scoped if canonical(r.name) not in imported]
    stubs = [r for r in unused if STUB_PATTERN.search(normalize(r.name))]
    unused = [r for r in unused if not STUB_PATTERN.search(normalize(r.name))]
    manifests = sorted({r.evidence.path for r in scoped})
    undeclared = [lib for lib in libraries if _undeclared(lib)] if scoped else []
    frontend_table = load_frontend_packages()
    frontend = [FrontendUse(dep, category) for dep in model.manifests.node_dependencies
                if is_central(dep.evidence.path)
                and (category := frontend_table.category_of(dep.name)) is not None]
    build_systems = [b for b in model.manifests.build_systems
                     if is_central(b.evidence.path)]
    return Stack(libraries, _declarations(unused, model), undeclared, manifests,
                 build_systems, frontend, _declarations(stubs, model))


def stack_of(model: SystemModel) -> Stack:
    return model.memo("stack", build_stack)


class Introduction(NamedTuple):
    """The commit whose diff first added a dependency to a manifest."""

    commit: str
    date: str  # YYYY-MM-DD
    subject: str
    path: str  # the manifest it was added to


@dataclass
class History:
    """What ``git log`` told about when dependencies were introduced."""

    introductions: dict[str, Introduction]  # canonical name -> first addition
    status: str  # "read", "no git", "truncated" or "failed"
    shallow: bool = False


GIT_TIMEOUT_SECONDS = 10.0
GIT_LINE_LIMIT = 400_000
TOP_LEVEL_MANIFESTS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt",
                       "requirements-dev.txt", "requirements-test.txt", "Pipfile",
                       "package.json")
_ADDED_NAME = re.compile(r"(?:^\s*|[\"'])([A-Za-z@][A-Za-z0-9._/@-]*)")


def _git(model: SystemModel, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(model.scan.root), *args], capture_output=True,
                              text=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(model: SystemModel, wanted: set[str]) -> History:
    """One ``git log`` over the manifests, oldest commit first, read until every ``wanted``
    canonical name has been seen added (or the time or line budget runs out)."""
    if model.scan.source != "git" or not wanted:
        return History({}, "no git" if model.scan.source != "git" else "read")
    answer = _git(model, "rev-parse", "--is-shallow-repository", "--show-toplevel")
    if answer is None or len(answer.split("\n")) < 2:
        return History({}, "failed")
    shallow_answer, top = answer.split("\n")[:2]
    shallow = shallow_answer.strip() == "true"
    paths = sorted({f.path for f in model.scan.files if f.kind == "manifest"
                    and PurePosixPath(f.path).name not in LOCK_READERS
                    and is_central(f.path)} | set(TOP_LEVEL_MANIFESTS))
    command = ["git", "-C", str(model.scan.root), "-c", "core.quotepath=off", "log",
               "--reverse", "--no-merges", "--no-color", "--no-renames", "--date=short",
               "--format=%x01%H%x09%ad%x09%s", "-p", "--unified=0", "--", *paths]
    found: dict[str, Introduction] = {}
    status = "read"
    first_commit = ""
    started = time.monotonic()
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, encoding="utf-8", errors="replace")
    except OSError:
        return History({}, "failed", shallow)
    assert process.stdout is not None
    current: tuple[str, str, str] = ("", "", "")
    path = ""
    try:
        for count, line in enumerate(process.stdout):
            if count >= GIT_LINE_LIMIT or time.monotonic() - started > GIT_TIMEOUT_SECONDS:
                status = "truncated"
                break
            if line.startswith("\x01"):
                commit, _, rest = line[1:].rstrip("\n").partition("\t")
                date, _, subject = rest.partition("\t")
                current = (commit, date, subject)
                first_commit = first_commit or commit
            elif line.startswith("+++ "):
                path = line[4:].rstrip("\n").removeprefix("b/")
            elif line.startswith("+") and current[0]:
                if shallow and current[0] == first_commit:
                    continue  # a shallow clone's oldest commit shows everything as added
                for name in _ADDED_NAME.findall(line[1:]):
                    key = canonical(name)
                    if key in wanted and key not in found:
                        found[key] = Introduction(current[0][:12], current[1], current[2],
                                                  _relative(top, model, path))
                if len(found) == len(wanted):
                    break
    finally:
        process.kill()
        process.wait()
    return History(found, status, shallow)


def _relative(top: str, model: SystemModel, git_path: str) -> str:
    """A path from ``git log`` (relative to the checkout's top) made relative to the scanned
    root, which may be a subfolder of the checkout."""
    try:
        return (Path(top) / git_path).relative_to(model.scan.root.resolve()).as_posix()
    except ValueError:
        return git_path
