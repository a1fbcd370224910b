"""System Architecture: components and their dependency diagram, layers, cycles between
components, and entry points."""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import code, mermaid_label, names, plural
from syspatterns.core.evidence import Diagram, Evidence, Finding, Section
from syspatterns.extract.facts import IN_FUNCTION, IN_TYPE_CHECKING
from syspatterns.model import SystemModel
from syspatterns.model.entry_points import EntryPoint
from syspatterns.model.graph import layers, strongly_connected
from syspatterns.model.system import Dependency

PERIPHERAL_ASPECTS = {
    "test": "Tests (not in the diagram)",
    "example": "Examples (not in the diagram)",
    "docs": "Documentation code (not in the diagram)",
    "benchmark": "Benchmarks (not in the diagram)",
}


# Beyond this many links in one cycle, only those with the fewest imports are listed.
CYCLE_LINKS_SHOWN = 12
# Scripts (run as ``python FILE``) listed one by one, unless there are more than SCRIPT_LIMIT:
# then those of folders holding CROWDED_FOLDER or more are counted per folder.
RUN_AS_FILE = ("main guard", "script")
SCRIPT_LIMIT = 16
CROWDED_FOLDER = 4
EDGE_LIMIT = 48  # dependencies drawn in the diagram before only the strongest are


class ArchitectureAnalyser:
    key: ClassVar[str] = "architecture"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        code_components = [c for c in model.components if c.is_code]
        other_count = len(model.components) - len(code_components)
        if not model.modules:
            section.summary.append(Finding(
                "Overview",
                f"No Python modules were found: the scan looked for `*.py` files among the "
                f"{plural(len(model.scan.files), 'file')} of the repository and found none it "
                f"could analyse, so no architecture can be derived from code."))
            return section
        code_names = {c.name for c in code_components}
        runtime = model.runtime_component_graph
        graph = {name: runtime.get(name, set()) & code_names for name in code_names}
        section.summary.append(self._overview(model, len(code_components), other_count))
        section.summary.extend(self._roots(model))
        if code_components:
            section.diagrams.append(self._diagram(model, graph))
            cycles = [c for c in strongly_connected(graph, graph) if len(c) > 1]
            section.findings.extend(self._layers(graph, cycles))
            section.findings.extend(self._cycles(model, graph, cycles))
        section.findings.extend(self._entry_points(model))
        section.findings.extend(self._peripheral(model))
        return section

    def _overview(self, model: SystemModel, code_count: int, other_count: int) -> Finding:
        module_count = len(model.modules)
        tests = sum(m.is_test for m in model.modules.values())
        # what the code's modules import at run time (not tests', nor type stubs)
        distributions = {
            model.distribution_of(x.top) for x in model.externals
            if not x.is_stdlib and not x.flags & IN_TYPE_CHECKING and not x.top.startswith("_")
            and x.top != "__main__"
            and model.component_by_name[model.component_of[x.importer]].is_code}
        statements = len({(e.importer, e.line) for e in model.edges})  # not names imported
        return Finding(
            "Overview",
            f"The repository holds {plural(module_count, 'Python module')} "
            f"({tests:,} of them tests) in {plural(code_count, 'component')}"
            + (f" and {plural(other_count, 'component')} of tests, examples, documentation or "
               "benchmarks" if other_count else "")
            + f", linked by {plural(statements, 'internal import statement')}; the code "
            f"imports {plural(len(distributions), 'third-party distribution')}.")

    def _roots(self, model: SystemModel) -> list[Finding]:
        tops: dict[str, list[str]] = {}
        evidence: dict[str, Evidence] = {}
        for module in model.modules.values():
            if module.is_package and "." not in module.name and not module.is_test:
                tops.setdefault(module.root or ".", []).append(module.name)
                evidence.setdefault(module.root or ".", Evidence(module.path, 1))
        if not tops:
            return []
        parts = [f"{code(root + '/' if root != '.' else '.')} (packages {names(sorted(p))})"
                 for root, p in sorted(tops.items())]
        return [Finding("Source roots", "Top-level packages are found under "
                        + "; ".join(parts) + ".",
                        tuple(evidence[r] for r in sorted(tops)))]

    def _diagram(self, model: SystemModel, graph: dict[str, set[str]]) -> Diagram:
        node_ids = {name: f"c{index}" for index, name in enumerate(sorted(graph))}
        lines = ["flowchart TD"]
        for level, members in reversed(list(enumerate(layers(graph, graph), 1))):
            lines.append(f'  subgraph L{level}["Layer {level}"]')
            lines.extend(f'    {node_ids[m]}["{mermaid_label(m)}"]' for m in members)
            lines.append("  end")
        edges = [(name, dep) for name in sorted(graph)
                 for dep in model.component_dependencies.get(name, []) if dep.name in node_ids]
        drawn = _strongest(edges)
        for name, dep in edges:
            if (name, dep.name) in drawn:
                arrow = "-->" if dep.name in graph[name] else "-.->"
                lines.append(f"  {node_ids[name]} {arrow}|{dep.imports}| {node_ids[dep.name]}")
        caption = ("Components and their imports (arrow: importer to imported; label: number "
                   "of import statements; dotted: only under `if TYPE_CHECKING:`). Layers "
                   "follow the run-time dependency order, lowest at the bottom.")
        if len(drawn) < len(edges):
            caption += (f" {len(drawn)} of the {len(edges)} dependencies are drawn: those with "
                        "the most imports, and each component's strongest; Component "
                        "Relationships lists them all.")
        return Diagram(caption, "\n".join(lines))

    def _layers(self, graph: dict[str, set[str]], cycles: list[list[str]]) -> list[Finding]:
        grouped = layers(graph, graph)
        findings = []
        for level, members in enumerate(grouped, 1):
            where = "imports no other layer" if level == 1 else "imports lower layers"
            text = f"Layer {level}, {where}: {names(members, limit=30)}"
            inside = set(members)
            for cycle in cycles:  # a cycle shares one layer, whose members import each other
                if inside == set(cycle):
                    text += "; they import each other (an import cycle)"
                elif inside.issuperset(cycle):
                    text += f"; {names(cycle, limit=30)} import each other (an import cycle)"
            findings.append(Finding("Layers", text + "."))
        return findings

    def _cycles(self, model: SystemModel, graph: dict[str, set[str]],
                cycles: list[list[str]]) -> list[Finding]:
        if not cycles:
            return [Finding("Import cycles", "No import cycle between components was found "
                            "(imports under `if TYPE_CHECKING:` do not count).")]
        deferred = _deferred_links(model)
        findings = []
        for members in cycles:
            inside = set(members)
            links = [(dep.imports, name, dep) for name in members
                     for dep in model.component_dependencies.get(name, [])
                     if dep.name in inside and dep.name in graph[name]]
            text = f"Cycle among {names(members, limit=30)}"
            if len(links) > CYCLE_LINKS_SHOWN:
                # Many links: those with the fewest imports, where the cycle is thinnest.
                text += (f" ({len(links)} links between them; the {CYCLE_LINKS_SHOWN} with the "
                         "fewest imports)")
                links = sorted(links, key=lambda link: (link[0], link[1], link[2].name))
                links = links[:CYCLE_LINKS_SHOWN]
            findings.append(Finding(
                "Import cycles",
                f"{text}: " + "; ".join(
                    f"{code(name)} imports {code(dep.name)} ({plural(count, 'import')}"
                    + (", all inside functions" if (name, dep.name) in deferred else "") + ")"
                    for count, name, dep in links) + ".",
                tuple(dep.evidence[0] for _, _, dep in links)))
        return findings

    def _entry_points(self, model: SystemModel) -> list[Finding]:
        if not model.entry_points:
            return [Finding(
                "Entry points",
                "None found: looked for console scripts in pyproject.toml, setup.cfg and "
                "setup.py, `__main__.py` modules, `if __name__ == \"__main__\":` blocks, "
                "`manage.py`, scripts run as `python FILE` and WSGI/ASGI application objects "
                "(the routes, commands and tasks a framework runs are in Data Flow).")]
        entries = list(model.entry_points)
        folders: dict[str, list[EntryPoint]] = defaultdict(list)
        for entry in entries:
            if entry.kind in RUN_AS_FILE:
                folders[entry.evidence.path.rpartition("/")[0]].append(entry)
        crowded = {f: found for f, found in folders.items() if len(found) >= CROWDED_FOLDER}
        if sum(len(found) for found in folders.values()) <= SCRIPT_LIMIT:
            crowded = {}  # few enough to list one by one
        findings = [
            Finding("Entry points", f"{e.kind}: {code(e.name)} runs {code(e.target)}.",
                    (e.evidence,))
            for e in entries if not (e.kind in RUN_AS_FILE
                                     and e.evidence.path.rpartition("/")[0] in crowded)]
        if crowded:
            parts = [f"{code((folder or '.') + '/')} ({len(crowded[folder])})"
                     for folder in sorted(crowded, key=lambda f: (-len(crowded[f]), f))]
            count = sum(len(found) for found in crowded.values())
            findings.append(Finding(
                "Entry points", f"and {plural(count, 'script')} run as `python FILE` (a main "
                f"guard or top-level code) in folders of many: {', '.join(parts)}.",
                tuple(found[0].evidence for found in list(crowded.values())[:3])))
        return findings

    def _peripheral(self, model: SystemModel) -> list[Finding]:
        """Tests, examples, docs and benchmarks: what they exercise, kept out of the diagram."""
        findings = []
        order = list(PERIPHERAL_ASPECTS)
        for component in sorted(model.components,
                                key=lambda c: (order.index(c.role) if c.role in order else 0,
                                               c.name)):
            if component.is_code:
                continue
            deps = [d for d in model.component_dependencies.get(component.name, [])
                    if model.component_by_name[d.name].is_code]
            reach = (f"imports {names([d.name for d in deps])}" if deps
                     else "imports no code component")
            findings.append(Finding(
                PERIPHERAL_ASPECTS[component.role],
                f"{code(component.name)} ({plural(len(component.modules), 'module')}) {reach}.",
                tuple(d.evidence[0] for d in deps[:3])))
        return findings


def _strongest(edges: list[tuple[str, Dependency]]) -> set[tuple[str, str]]:
    """The edges a readable diagram draws: all up to :data:`EDGE_LIMIT`, else the most
    imported ones and each importer's strongest, so that every edge drawn carries weight
    and no component loses its main dependency."""
    if len(edges) <= EDGE_LIMIT:
        return {(name, dep.name) for name, dep in edges}
    ranked = sorted(edges, key=lambda e: (-e[1].imports, e[0], e[1].name))
    drawn = {(name, dep.name) for name, dep in ranked[:EDGE_LIMIT]}
    first: dict[str, tuple[str, str]] = {}
    for name, dep in ranked:
        first.setdefault(name, (name, dep.name))
    return drawn | set(first.values())


def _deferred_links(model: SystemModel) -> set[tuple[str, str]]:
    """Component pairs whose every import is made inside a function: run when the function
    is, not when the module loads (the usual way to break an import-time cycle)."""
    loaded: set[tuple[str, str]] = set()
    deferred: set[tuple[str, str]] = set()
    component_of = model.component_of
    for edge in model.edges:
        pair = (component_of[edge.importer], component_of[edge.imported])
        (deferred if edge.flags & IN_FUNCTION else loaded).add(pair)
    return deferred - loaded
