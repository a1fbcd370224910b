"""The document as one self-contained HTML page for people: the twelve sections with
navigation, the component graph as an interactive diagram (pan, zoom, select a component to
see its details and neighbours), evidence as links to the files, and the findings of the
document check.

Everything the page needs is inside it: the stylesheet and script (``report.css`` and
``report.js`` beside this module) are inlined, and the graph is laid out here
(:mod:`syspatterns.report.component_graph`), so the page works offline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from importlib.resources import files
from itertools import groupby
from urllib.parse import quote

from syspatterns.check import CheckReport
from syspatterns.core.evidence import Diagram, Evidence, Finding, Section, Subsection
from syspatterns.core.problems import Problem
from syspatterns.core.version import __version__
from syspatterns.model import SystemModel
from syspatterns.report.component_graph import (
    GraphView,
    component_ids,
    component_views,
    render_svg,
)

EVIDENCE_SHOWN = 3
OPEN_SUBSECTIONS = 24  # more subsections than this start collapsed, with a filter box
_COMPONENT_TITLE = re.compile(r"Component \d+: (.+?)(?: \((?:test|example|docs|benchmark)\))?$")
_CODE = re.compile(r"`([^`]+)`")
GRAPH_CAPTION = (
    "Components and their imports (arrow: importer to imported; thicker: more import "
    "statements, counted in each arrow's tooltip; dashed: only under `if TYPE_CHECKING:`). "
    "Layers follow the run-time dependency order, lowest at the bottom.")
GROUPS_CAPTION = (
    " Components whose names share a package prefix are drawn as one group until you show "
    "all components.")


def _asset(name: str) -> str:
    return files("syspatterns.report").joinpath(name).read_text(encoding="utf-8")


def anchor(name: str) -> str:
    """The id of a component's entry in the Component Relationships section."""
    return "component-" + re.sub(r"\s+", "-", name)


class _Writer:
    """Claims and evidence as HTML; links lead from the report's folder to the files."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def link(self, evidence: Evidence) -> str:
        href = f"{self.prefix}{quote(evidence.path)}#L{evidence.line}"
        return f'<a class="ev" href="{escape(href)}">{escape(str(evidence))}</a>'

    def cite(self, evidence: tuple[Evidence, ...]) -> str:
        if not evidence:
            return ""
        shown = ", ".join(self.link(e) for e in evidence[:EVIDENCE_SHOWN])
        rest = evidence[EVIDENCE_SHOWN:]
        if rest:
            shown += (f' <details class="more"><summary>and {len(rest)} more</summary>'
                      + ", ".join(self.link(e) for e in rest) + "</details>")
        return f' <span class="cite">({shown})</span>'

    @staticmethod
    def text(claim: str) -> str:
        return _CODE.sub(r"<code>\1</code>", escape(claim))

    def claim(self, finding: Finding) -> str:
        return self.text(finding.claim.rstrip()) + self.cite(finding.evidence)

    def findings(self, findings: Iterable[Finding]) -> str:
        items = []
        for aspect, group in groupby(findings, key=lambda f: f.aspect):
            claims = list(group)
            head = f'<span class="aspect">{escape(aspect)}:</span>'
            if len(claims) == 1:
                items.append(f"<li>{head} {self.claim(claims[0])}</li>")
            else:
                inner = "".join(f"<li>{self.claim(c)}</li>" for c in claims)
                items.append(f"<li>{head}<ul>{inner}</ul></li>")
        return f'<ul class="findings">{"".join(items)}</ul>' if items else ""

    def steps(self, findings: Iterable[Finding]) -> str:
        """Numbered steps (a data flow)."""
        items = "".join(f"<li>{self.claim(f)}</li>" for f in findings)
        return f'<ol class="findings">{items}</ol>' if items else ""


def component_subsections(sections: Sequence[Section]) -> dict[str, Subsection]:
    """Component name -> its subsection in Component Relationships."""
    found: dict[str, Subsection] = {}
    for section in sections:
        if section.key != "components":
            continue
        for subsection in section.subsections:
            match = _COMPONENT_TITLE.fullmatch(subsection.title)
            if match:
                found[match.group(1)] = subsection
    return found


def _graph(model: SystemModel, views: list[GraphView], details: dict[str, Subsection],
           writer: _Writer) -> str:
    initial = views[-1].key  # the grouped view when there is one
    toggle = ""
    caption = GRAPH_CAPTION
    if len(views) > 1:
        caption += GROUPS_CAPTION
        toggle = ('<button type="button" class="toggle-view" data-other="components">'
                  f"Show all {len(views[0].nodes)} components</button>")
    ids = component_ids(model)
    options = "".join(f'<option value="{escape(name)}"></option>' for name in ids)
    templates = [_component_detail(model, name, node_id, details.get(name), writer)
                 for name, node_id in ids.items()]
    for view in views[1:]:
        templates.extend(_group_detail(view, node.id, ids) for node in view.nodes
                         if node.id.startswith("g"))
    return (
        f'<figure class="graph" data-initial="{initial}">'
        '<div class="toolbar">'
        '<label>Find <input type="search" class="find" list="component-names" '
        'placeholder="component name" autocomplete="off"></label>'
        f'<datalist id="component-names">{options}</datalist>'
        '<button type="button" class="zoom-in" title="Zoom in">+</button>'
        '<button type="button" class="zoom-out" title="Zoom out">&minus;</button>'
        '<button type="button" class="fit" title="Fit the graph">Fit</button>'
        f"{toggle}"
        '<span class="hint">Drag to pan, wheel to zoom, click a component.</span>'
        "</div>"
        '<div class="stage">'
        f"{render_svg(views, initial)}"
        '<aside class="panel" hidden aria-live="polite">'
        '<button type="button" class="close" title="Close">&times;</button>'
        '<div class="panel-body"></div></aside>'
        "</div>"
        f"<figcaption>{writer.text(caption)}</figcaption>"
        f'<div class="details" hidden>{"".join(templates)}</div>'
        "</figure>"
    )


def _component_detail(model: SystemModel, name: str, node_id: str,
                      subsection: Subsection | None, writer: _Writer) -> str:
    component = model.component_by_name[name]
    modules = len(component.modules)
    meta = (f"{escape(component.kind)} in <code>{escape(component.location)}</code>, "
            f"{modules:,} module{'' if modules == 1 else 's'}")
    body = writer.findings(subsection.findings) if subsection else ""
    more = (f'<p><a href="#{escape(quote(anchor(name)))}">In Component Relationships</a></p>'
            if subsection else "")
    return (f'<template data-id="{node_id}" data-name="{escape(name)}">'
            f"<h3>{escape(name)}</h3>"
            f'<p class="meta">{meta}</p>{body}{more}</template>')


def _group_detail(view: GraphView, group_id: str, ids: dict[str, str]) -> str:
    node = next(n for n in view.nodes if n.id == group_id)
    members = "".join(
        f'<li><button type="button" class="select" data-select="{ids[m]}">{escape(m)}</button>'
        "</li>" for m in node.members)
    labels = {n.id: n.label for n in view.nodes}

    def listing(edges: list[tuple[str, int]]) -> str:
        if not edges:
            return "<li>none</li>"
        return "".join(f"<li><code>{escape(labels[other])}</code>: {count:,} "
                       f"import{'' if count == 1 else 's'}</li>" for other, count in edges)

    uses = sorted(((e.target, e.imports) for e in view.edges if e.source == group_id),
                  key=lambda item: (-item[1], labels[item[0]]))
    used_by = sorted(((e.source, e.imports) for e in view.edges if e.target == group_id),
                     key=lambda item: (-item[1], labels[item[0]]))
    return (f'<template data-id="{group_id}"><h3>{escape(node.label)}</h3>'
            f'<p class="meta">{len(node.members)} components sharing a prefix; select one '
            "to see it among all components.</p>"
            f'<ul class="members">{members}</ul>'
            f"<h4>Imports</h4><ul>{listing(uses)}</ul>"
            f"<h4>Imported by</h4><ul>{listing(used_by)}</ul></template>")


def _diagram_source(diagram: Diagram, writer: _Writer) -> str:
    return (f'<details class="diagram-source"><summary>{writer.text(diagram.caption)} '
            "(Mermaid source, drawn in the Markdown document)</summary>"
            f"<pre>{escape(diagram.mermaid)}</pre></details>")


def _section(section: Section, graph: str, writer: _Writer) -> str:
    out = [f'<section id="{escape(section.key)}" class="doc-section">'
           f"<h2>{escape(section.title)}</h2>"]
    out.extend(f"<p>{writer.claim(finding)}</p>" for finding in section.summary)
    for number, diagram in enumerate(section.diagrams):
        if graph and number == 0:
            out.append(graph)
            continue
        out.append(_diagram_source(diagram, writer))
    out.append(writer.findings(section.findings))
    many = len(section.subsections) > OPEN_SUBSECTIONS
    if many:
        out.append(f'<p class="filter"><label>Filter {len(section.subsections)} entries '
                   '<input type="search" class="filter-input" placeholder="name"></label> '
                   '<button type="button" class="expand-all">Expand all</button> '
                   '<button type="button" class="collapse-all">Collapse all</button></p>')
    component = section.key == "components"
    for subsection in section.subsections:
        match = _COMPONENT_TITLE.fullmatch(subsection.title) if component else None
        ident = f' id="{escape(anchor(match.group(1)))}"' if match else ""
        out.append(f'<details class="subsection"{ident}{"" if many else " open"}>'
                   f"<summary><h3>{escape(subsection.title)}</h3></summary>"
                   + (writer.steps(subsection.findings) if subsection.ordered
                      else writer.findings(subsection.findings))
                   + "".join(_diagram_source(d, writer) for d in subsection.diagrams)
                   + "</details>")
    out.append("</section>")
    return "".join(out)


def _notes(model: SystemModel, writer: _Writer) -> str:
    listing = ("git-tracked and untracked, not ignored" if model.scan.source == "git"
               else "by a walk that honours .gitignore")
    out = ['<section id="analysis-notes" class="doc-section"><h2>Analysis notes</h2>',
           f"<p>The scan listed {len(model.scan.files):,} files ({listing}) and analysed "
           f"{len(model.facts):,} Python files.</p>"]
    if model.notes:
        items = "".join(f"<li><code>{escape(n.path)}</code>: {escape(n.reason)}</li>"
                        for n in model.notes)
        out.append(f'<p>Files passed over:</p><ul class="findings">{items}</ul>')
    else:
        out.append("<p>No file was passed over.</p>")
    if model.missing_imports:
        items = "".join(
            f"<li><code>{escape(target)}</code> in "
            f"{', '.join(writer.link(where) for where in places)}</li>"
            for target, places in model.missing_import_places())
        out.append("<p>Imports of the repository's own names that match no module:</p>"
                   f'<ul class="findings">{items}</ul>')
    if model.vendored_imports:
        items = "".join(
            f"<li><code>{escape(folder)}/</code>: {len(places):,} imports of "
            f"{', '.join(f'<code>{escape(t)}</code>' for t in targets)}</li>"
            for folder, targets, places in model.vendored_import_places())
        out.append("<p>Imports of vendored code (copies of other projects, which the scan "
                   f'skips):</p><ul class="findings">{items}</ul>')
    out.append("</section>")
    return "".join(out)


def _problems(problems: list[Problem], writer: _Writer) -> str:
    items = []
    for problem in problems:
        detail = ""
        if problem.detail:
            detail = f'<pre class="detail">{escape(chr(10).join(problem.detail))}</pre>'
        items.append(f"<li>{writer.link(Evidence(problem.path, problem.line))} "
                     f'<span class="kind">{escape(problem.kind)}</span>: '
                     f"{writer.text(problem.message)}{detail}</li>")
    return f'<ul class="problems">{"".join(items)}</ul>'


def _documents(check: CheckReport) -> str:
    return " and ".join(f"<code>{escape(d.path)}</code>" for d in check.documents)


def _check(check: CheckReport, writer: _Writer) -> str:
    errors = [p for p in check.problems if not p.planned]
    planned = [p for p in check.problems if p.planned]
    kind = "doc-section check" if errors else "doc-section"
    out = [f'<section id="document-check" class="{kind}"><h2>Document check</h2>']
    if errors:
        out.append(f"<p>{_documents(check)}: {len(errors)} "
                   f"problem{'' if len(errors) == 1 else 's'}, as "
                   "<code>syspatterns check</code> reports them:</p>"
                   f"{_problems(errors, writer)}")
    else:
        out.append(f"<p>{_documents(check)} matches the code.</p>")
    if planned:
        out.append("<p>Stated as plans, concepts or alternatives (not errors):</p>"
                   f"{_problems(planned, writer)}")
    out.append("</section>")
    return "".join(out)


def render_html(model: SystemModel, sections: Sequence[Section], *, link_prefix: str = "",
                check: CheckReport | None = None) -> str:
    """The whole report. ``link_prefix`` leads from the report's folder to the repository
    root; ``check`` is what ``syspatterns check`` found in the document on disk, if there
    is one."""
    writer = _Writer(link_prefix)
    details = component_subsections(sections)
    views = component_views(model)
    nav = []
    body = []
    if check is not None and check.problems:
        nav.append('<li class="nav-check"><a href="#document-check">Document check</a></li>')
        body.append(_check(check, writer))
    for section in sections:
        graph = ""
        if section.key == "architecture" and views and section.diagrams:
            graph = _graph(model, views, details, writer)
        nav.append(f'<li><a href="#{escape(section.key)}">{escape(section.title)}</a></li>')
        body.append(_section(section, graph, writer))
    nav.append('<li><a href="#analysis-notes">Analysis notes</a></li>')
    body.append(_notes(model, writer))
    status = ""
    if check is not None and not check.problems:
        status = f" {_documents(check)} matches the code."
    name = escape(model.root_name)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="syspatterns {__version__}">'
        f"<title>System Patterns: {name}</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
        f'<nav class="toc" aria-label="Sections"><p class="brand">System Patterns</p>'
        f'<p class="repo"><code>{name}</code></p><ol>{"".join(nav)}</ol></nav>'
        f'<main><header><h1>System Patterns: <code>{name}</code></h1>'
        f'<p class="generated">Generated by syspatterns {__version__} from the code. Every '
        f"statement cites where it was seen as <code>path:line</code>, linked to the file."
        f"{status}</p></header>"
        f"{''.join(body)}</main>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
