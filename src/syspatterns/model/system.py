"""The whole system as the analysers see it: modules, import graph, components, external
distributions, entry points and the repository's files."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, TypeVar, cast

from syspatterns.core.evidence import Evidence, Note
from syspatterns.extract.facts import IN_TYPE_CHECKING, FileFacts
from syspatterns.extract.runner import Extraction
from syspatterns.knowledge import Knowledge, normalize
from syspatterns.model.components import Component, examples_are_code, group_components
from syspatterns.model.entry_points import EntryPoint, find_entry_points
from syspatterns.model.imports import (
    ExternalImport,
    ImportEdge,
    VendoredImport,
    resolve_imports,
    split_vendored,
    vendored_packages,
)
from syspatterns.model.manifests import Manifests, project_name, read_manifests
from syspatterns.model.modules import Module, find_modules
from syspatterns.scan import ScanResult
from syspatterns.scan.classify import MODULE_KINDS, in_tests

T = TypeVar("T")


class Dependency(NamedTuple):
    """One component's use of another component or of an external distribution."""

    name: str
    imports: int  # import statements
    evidence: tuple[Evidence, ...]  # the first few, sorted


@dataclass
class SystemModel:
    root_name: str  # the project's declared name, else the repository folder's name
    scan: ScanResult
    facts: dict[str, FileFacts]  # by path
    modules: dict[str, Module]  # by name
    edges: list[ImportEdge]
    externals: list[ExternalImport]
    missing_imports: list[tuple[str, str, int]]
    components: list[Component]
    manifests: Manifests
    entry_points: list[EntryPoint]
    knowledge: Knowledge
    notes: list[Note] = field(default_factory=list)
    # Copies of other projects' code that the scan skips inside the repository's packages:
    # dotted name -> folder (``pip._vendor`` -> ``src/pip/_vendor``), and the imports of them.
    vendored_packages: dict[str, str] = field(default_factory=dict)
    vendored_imports: list[VendoredImport] = field(default_factory=list)
    # Paths whose text or size the model and the analysers read, beyond the facts: what a
    # stored result depends on (see :mod:`syspatterns.pipeline.reuse`).
    reads: set[str] = field(default_factory=set, repr=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: str, build: Callable[[SystemModel], T]) -> T:
        """``build(self)``, computed once per model: how analysers share a derived model (the
        deployment files, the CI workflows, ...) without recomputing it."""
        if key not in self._memo:
            self._memo[key] = build(self)
        return cast(T, self._memo[key])

    def missing_import_places(self) -> list[tuple[str, list[Evidence]]]:
        """Each import target of the repository's own names that matches no module, with
        the places that import it, in order."""
        places: dict[str, list[Evidence]] = defaultdict(list)
        for importer, target, line in self.missing_imports:
            places[target].append(Evidence(self.modules[importer].path, line))
        return [(target, sorted(places[target])) for target in sorted(places)]

    def vendored_import_places(self) -> list[tuple[str, list[str], list[Evidence]]]:
        """Each vendored folder imported from, with the names imported from it and the
        places that import them, in order."""
        targets: dict[str, set[str]] = defaultdict(set)
        places: dict[str, list[Evidence]] = defaultdict(list)
        for imported in self.vendored_imports:
            targets[imported.folder].add(imported.target)
            places[imported.folder].append(
                Evidence(self.modules[imported.importer].path, imported.line))
        return [(folder, sorted(targets[folder]), sorted(places[folder]))
                for folder in sorted(targets)]

    def read_text(self, path: str) -> str | None:
        """The text of a repository file (UTF-8, undecodable bytes replaced), or ``None`` when
        it cannot be read."""
        self.reads.add(path)
        try:
            return (self.scan.root / path).read_text("utf-8", "replace")
        except OSError:
            return None

    def size_of(self, path: str) -> int:
        """The size in bytes of a scanned file (0 for a path the scan does not have)."""
        self.reads.add(path)
        return self._sizes.get(path, 0)

    @cached_property
    def _sizes(self) -> dict[str, int]:
        return {path: size for path, size, _ in self.scan.listing}

    def files_of_kind(self, *kinds: str) -> list[str]:
        """Paths of the scanned files of these kinds (see :mod:`syspatterns.scan.classify`)."""
        return [f.path for f in self.scan.files if f.kind in kinds]

    @cached_property
    def component_of(self) -> dict[str, str]:
        """Module name -> component name."""
        return {m: c.name for c in self.components for m in c.modules}

    @cached_property
    def examples_are_code(self) -> bool:
        """Whether the repository's examples are its code (see
        :func:`~syspatterns.model.components.examples_are_code`)."""
        return examples_are_code(self.modules.values())

    @cached_property
    def component_by_name(self) -> dict[str, Component]:
        return {c.name: c for c in self.components}

    def distribution_of(self, top: str) -> str:
        """The distribution that provides the import name ``top``: from the knowledge tables,
        else a declared requirement of the same normalised name, or of that name with the
        usual ``python-`` prefix or ``-python`` suffix (``python-etcd`` for ``etcd``), else
        ``top`` itself."""
        library = self.knowledge.library_for_import(top)
        if library is not None:
            return library.name
        declared = self._declared_names
        name = normalize(top)
        for candidate in (name, f"python-{name}", f"{name}-python"):
            if candidate in declared:
                return declared[candidate]
        return top

    @cached_property
    def _declared_names(self) -> dict[str, str]:
        return {normalize(r.name): r.name for r in self.manifests.requirements}

    @cached_property
    def _inner_tests(self) -> set[str]:
        """The test modules inside code components (``app/tests/``): their imports are the
        tests', not dependencies of the component's code."""
        return {name for name, module in self.modules.items() if module.is_test
                and self.component_by_name[self.component_of[name]].is_code}

    @cached_property
    def component_dependencies(self) -> dict[str, list[Dependency]]:
        """Component -> the other components it imports, most used first."""
        return _aggregate(
            (self.component_of[e.importer], self.component_of[e.imported],
             Evidence(self.modules[e.importer].path, e.line))
            for e in self.edges
            if self.component_of[e.importer] != self.component_of[e.imported]
            and e.importer not in self._inner_tests
        )

    @cached_property
    def component_dependents(self) -> dict[str, list[Dependency]]:
        """Component -> the other components that import it, most used first."""
        return _aggregate(
            (self.component_of[e.imported], self.component_of[e.importer],
             Evidence(self.modules[e.importer].path, e.line))
            for e in self.edges
            if self.component_of[e.importer] != self.component_of[e.imported]
            and e.importer not in self._inner_tests
        )

    @cached_property
    def external_dependencies(self) -> dict[str, list[Dependency]]:
        """Component -> the third-party distributions it imports, most used first."""
        return _aggregate(
            (self.component_of[x.importer], self.distribution_of(x.top),
             Evidence(self.modules[x.importer].path, x.line))
            for x in self.externals
            if not x.is_stdlib and x.importer not in self._inner_tests
        )

    @cached_property
    def runtime_component_graph(self) -> dict[str, set[str]]:
        """Component -> components it imports at run time (``TYPE_CHECKING`` imports left
        out: they never execute, so they neither order layers nor make cycles)."""
        graph: dict[str, set[str]] = defaultdict(set)
        component_of = self.component_of
        inner_tests = self._inner_tests
        for edge in self.edges:
            if not edge.flags & IN_TYPE_CHECKING and edge.importer not in inner_tests:
                importer, imported = component_of[edge.importer], component_of[edge.imported]
                if importer != imported:
                    graph[importer].add(imported)
        return graph

    @cached_property
    def module_imports(self) -> dict[str, set[str]]:
        graph: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            graph[edge.importer].add(edge.imported)
        return graph


def _aggregate(triples: Iterable[tuple[str, str, Evidence]]) -> dict[str, list[Dependency]]:
    """``owner -> [Dependency(other, number of import statements, first places)]``; one
    statement importing several names counts once."""
    places: dict[str, dict[str, set[Evidence]]] = defaultdict(lambda: defaultdict(set))
    for owner, other, evidence in triples:
        places[owner][other].add(evidence)
    return {
        owner: [
            Dependency(other, len(found), tuple(sorted(found)[:3]))
            for other, found in sorted(by_other.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ]
        for owner, by_other in places.items()
    }


def build_model(scan: ScanResult, extraction: Extraction, knowledge: Knowledge) -> SystemModel:
    """Assemble the system model from a scan and the extracted facts."""
    facts = extraction.facts
    kinds = {f.path: f.kind for f in scan.files}
    python = [(path, kinds.get(path) == "python-test") for path in facts
              if kinds.get(path) in MODULE_KINDS]
    modules = find_modules(python, {path: facts[path].imports for path, _ in python})
    resolved = resolve_imports(modules, {m.name: facts[m.path].imports for m in modules.values()})
    vendored = vendored_packages(modules, scan.vendored)
    missing, vendored_imports = split_vendored(resolved.missing, vendored)
    manifests = read_manifests(scan.root, [f.path for f in scan.of_kind("manifest")])
    components = group_components(modules)
    # A test's sample project declares scripts of its own, not the system's.
    scripts = [s for s in manifests.scripts if not in_tests(s.evidence.path)]
    entry_points = find_entry_points(modules, facts, scripts, knowledge,
                                     {edge.imported for edge in resolved.edges})
    notes = sorted([*scan.notes, *extraction.notes, *manifests.notes], key=lambda n: n.path)
    return SystemModel(
        root_name=project_name(scan.root) or scan.root.name,
        scan=scan,
        facts=facts,
        modules=modules,
        edges=resolved.edges,
        externals=resolved.externals,
        missing_imports=missing,
        components=components,
        manifests=manifests,
        entry_points=entry_points,
        knowledge=knowledge,
        notes=notes,
        vendored_packages=vendored,
        vendored_imports=vendored_imports,
    )
