"""Answers to a coding assistant's questions, computed from one analysis: a section of the
document, a component with its neighbours, the importers of a module, the entry points, and
what ``syspatterns check`` finds in the document on disk.

Evidence is given as ``path:line`` relative to the repository root. A question about an
unknown name raises :class:`UnknownName`, whose message lists the valid names.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from syspatterns.check import check_repository
from syspatterns.check.formats import render_json as render_check_json
from syspatterns.core.evidence import Evidence, Finding
from syspatterns.document.blocks import DocumentError, parse_blocks
from syspatterns.document.locate import looked_for
from syspatterns.extract.facts import IN_FUNCTION, IN_TRY, IN_TYPE_CHECKING
from syspatterns.model import Dependency
from syspatterns.model.rules import RulesError
from syspatterns.pipeline import Analysis
from syspatterns.render.markdown import NOTES_KEY, render_markdown
from syspatterns.report.html import component_subsections

NOTES_TITLE = "Analysis notes"
MODULES_LISTED = 60  # an unknown module lists all module names up to this many


class UnknownName(Exception):
    """A name that the repository does not have; the message lists the valid ones."""


def _places(evidence: Iterable[Evidence]) -> list[str]:
    return [str(e) for e in evidence]


def _finding(finding: Finding) -> dict[str, Any]:
    return {"claim": finding.claim, "evidence": _places(finding.evidence)}


def document(analysis: Analysis) -> str:
    """The System Patterns document as it would be generated now (links relative to the
    repository root)."""
    return render_markdown(analysis.model, analysis.sections)


def section_names(analysis: Analysis) -> list[tuple[str, str]]:
    """``(key, title)`` of every section of the document, the analysis notes last."""
    return [(s.key, s.title) for s in analysis.sections] + [(NOTES_KEY, NOTES_TITLE)]


def section(analysis: Analysis, markdown: str, name: str) -> str:
    """One section of ``markdown`` (the rendered document) as Markdown, by key
    (``architecture``) or title (``System Architecture``), in any letter case."""
    wanted = name.strip().casefold()
    for key, title in section_names(analysis):
        if wanted in (key.casefold(), title.casefold()):
            body = next(b.content for b in parse_blocks(markdown) if b.key == key)
            return f"## {title}\n\n{body}\n"
    valid = ", ".join(f"{key} ({title})" for key, title in section_names(analysis))
    raise UnknownName(f"unknown section {name!r}; valid names: {valid}")


def _dependencies(items: list[Dependency], kind: str) -> list[dict[str, Any]]:
    return [{"name": d.name, "kind": kind, "imports": d.imports, "evidence": _places(d.evidence)}
            for d in items]


def component(analysis: Analysis, name: str) -> dict[str, Any]:
    """A component's responsibility, dependencies, dependents and interfaces."""
    model = analysis.model
    found = model.component_by_name.get(name.strip())
    if found is None:
        valid = ", ".join(sorted(c.name for c in model.components)) or "none (no Python code)"
        raise UnknownName(f"unknown component {name!r}; valid names: {valid}")
    subsection = component_subsections(analysis.sections).get(found.name)
    findings = subsection.findings if subsection else []
    return {
        "name": found.name,
        "location": found.location,
        "kind": found.kind,
        "role": found.role,
        "modules": list(found.modules),
        "responsibility": [_finding(f) for f in findings if f.aspect == "Responsibility"],
        "dependencies": [
            *_dependencies(model.component_dependencies.get(found.name, []), "component"),
            *_dependencies(model.external_dependencies.get(found.name, []), "third-party"),
        ],
        "dependents": _dependencies(model.component_dependents.get(found.name, []),
                                    "component"),
        "interfaces": [_finding(f) for f in findings if f.aspect == "Interfaces"],
    }


def _flags(flags: int) -> list[str]:
    names = {IN_TYPE_CHECKING: "type-checking only", IN_FUNCTION: "inside a function",
             IN_TRY: "inside try"}
    return [label for bit, label in names.items() if flags & bit]


def who_imports(analysis: Analysis, module: str) -> dict[str, Any]:
    """The import statements of ``module`` or of anything inside it: a module of the
    repository, or a top-level name it imports from elsewhere (``yaml``, ``os``)."""
    model = analysis.model
    name = module.strip()
    inside = name + "."
    internal = [e for e in model.edges if e.imported == name or e.imported.startswith(inside)]
    if internal or name in model.modules or any(m.startswith(inside) for m in model.modules):
        rows = sorted((e.importer, e.imported, model.modules[e.importer].path, e.line, e.flags)
                      for e in internal)
        return {
            "module": name,
            "kind": "repository module",
            "component": model.component_of.get(name),
            "imports": [
                {"importer": importer, "imported": imported, "at": f"{path}:{line}",
                 "flags": _flags(flags)}
                for importer, imported, path, line, flags in rows
            ],
        }
    top = name.split(".", 1)[0]
    external = [x for x in model.externals if x.top == top]
    if external:
        places = sorted((x.importer, model.modules[x.importer].path, x.line, x.flags)
                        for x in external)
        answer: dict[str, Any] = {
            "module": name,
            "kind": "standard library" if external[0].is_stdlib else "third-party",
            "distribution": None if external[0].is_stdlib else model.distribution_of(top),
        }
        if name != top:
            answer["note"] = f"imports from outside the repository are recorded by top-level " \
                             f"name: these are the imports of {top!r}"
        answer["imports"] = [
            {"importer": importer, "imported": top, "at": f"{path}:{line}",
             "flags": _flags(flags)}
            for importer, path, line, flags in places
        ]
        return answer
    modules = sorted(model.modules)
    if len(modules) <= MODULES_LISTED:
        listing = f"valid module names: {', '.join(modules) or 'none'}"
    else:
        close = difflib.get_close_matches(name, modules, n=10, cutoff=0.5)
        listing = (f"the repository has {len(modules):,} modules"
                   + (f"; the closest names: {', '.join(close)}" if close else "")
                   + "; get_component lists the modules of each component")
    raise UnknownName(f"unknown module {name!r}: neither a module of the repository nor a "
                      f"name its code imports; {listing}")


def entry_points(analysis: Analysis) -> list[dict[str, str]]:
    """How the system is started: console scripts, ``__main__`` modules, main guards, web
    application objects."""
    return [{"kind": e.kind, "name": e.name, "target": e.target, "at": str(e.evidence)}
            for e in analysis.model.entry_points]


def check(analysis: Analysis, root: Path) -> dict[str, Any]:
    """What ``syspatterns check --format json`` reports, plus a ``status``: ``true``,
    ``untrue``, ``missing`` (no document) or ``unusable`` (unreadable document, broken
    markers, malformed rules)."""
    try:
        report = check_repository(root, analysis)
    except (DocumentError, RulesError) as error:
        return {"status": "unusable", "message": str(error)}
    if report is None:
        return {"status": "missing",
                "message": f"No System Patterns document: looked for {looked_for()}. Run "
                           "`syspatterns generate` to write memory-bank/systemPatterns.md."}
    answer: dict[str, Any] = json.loads(render_check_json(report))
    return {"status": "untrue" if report.errors else "true", **answer}
