"""The document as JSON for machines: the same sections and facts, each with evidence
``{path, line}``, plus the components, entry points and the module import graph."""

from __future__ import annotations

import json

from syspatterns.core.evidence import Section
from syspatterns.core.version import __version__
from syspatterns.model import Dependency, SystemModel

SCHEMA_VERSION = 1


def _dependencies(items: list[Dependency]) -> list[dict[str, object]]:
    return [
        {"name": d.name, "count": d.imports, "evidence": [e.to_json() for e in d.evidence]}
        for d in items
    ]


def to_document(model: SystemModel, sections: list[Section]) -> dict[str, object]:
    """The JSON document as Python data (see the README for the schema)."""
    edges = sorted({(e.importer, e.imported, e.line, bool(e.flags & 1)) for e in model.edges})
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "syspatterns", "version": __version__},
        "repository": {
            "name": model.root_name,
            "files": len(model.scan.files),
            "python_files": len(model.facts),
            "file_listing": model.scan.source,
        },
        "sections": [s.to_json() for s in sections],
        "components": [
            {
                "name": c.name,
                "location": c.location,
                "kind": c.kind,
                "role": c.role,
                "modules": list(c.modules),
                "dependencies": _dependencies(model.component_dependencies.get(c.name, [])),
                "external_dependencies": _dependencies(
                    model.external_dependencies.get(c.name, [])),
                "dependents": _dependencies(model.component_dependents.get(c.name, [])),
            }
            for c in model.components
        ],
        "entry_points": [
            {"kind": e.kind, "name": e.name, "target": e.target, "evidence": e.evidence.to_json()}
            for e in model.entry_points
        ],
        "modules": [
            {"name": m.name, "path": m.path, "is_package": m.is_package, "is_test": m.is_test}
            for m in sorted(model.modules.values(), key=lambda m: m.name)
        ],
        "import_graph": {
            "edges": [
                {"importer": a, "imported": b, "line": line, "type_checking": tc}
                for a, b, line, tc in edges
            ],
        },
        "missing_imports": [
            {"importer": importer, "target": target, "line": line}
            for importer, target, line in model.missing_imports
        ],
        "vendored_imports": [
            {"importer": v.importer, "target": v.target, "line": v.line, "folder": v.folder}
            for v in model.vendored_imports
        ],
        "notes": [n.to_json() for n in model.notes],
    }


def render_json(model: SystemModel, sections: list[Section]) -> str:
    return json.dumps(to_document(model, sections), indent=2, ensure_ascii=False) + "\n"
