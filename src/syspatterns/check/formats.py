"""``check``'s report as text for people, JSON for tools, or GitHub Actions annotations."""

from __future__ import annotations

import json

from syspatterns.check import CheckReport, DocumentReport
from syspatterns.core.problems import Problem
from syspatterns.core.version import __version__

SCHEMA_VERSION = 1
FORMATS = ("text", "json", "github")


def _counts(document: DocumentReport) -> dict[str, int]:
    return {
        "claims_checked": document.claims,
        "false": document.false,
        "hedged": document.hedged,
        "hedged_false": document.hedged_false,
        "blocks": document.blocks,
        "stale_blocks": document.stale_blocks,
        "placeholders": document.placeholders,
    }


def _line(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}: {problem.kind}: {problem.message}"


def render_text(report: CheckReport) -> str:
    """``DOC:LINE: kind: message`` per problem (errors first, then plans), details indented,
    and a summary per document."""
    out: list[str] = []
    problems = report.problems
    for problem in (p for p in problems if not p.planned):
        out.append(_line(problem))
        out.extend(f"    {line}" for line in problem.detail)
    planned = [p for p in problems if p.planned]
    if planned:
        out.append("")
        out.append("Stated as plans, concepts or alternatives (not errors):")
        out.extend(_line(p) for p in planned)
    if out:
        out.append("")
    for document in report.documents:
        out.append(_summary(document))
    if report.rules:
        broken = len(report.rule_problems)
        out.append(f"{report.rules} architecture rule{'s' if report.rules != 1 else ''} "
                   f"declared in pyproject.toml: "
                   + ("all kept." if not broken else
                      f"{broken} violation{'s' if broken != 1 else ''}."))
    return "\n".join(out) + "\n"


def _summary(document: DocumentReport) -> str:
    parts = [f"{document.claims} claim{'s' if document.claims != 1 else ''} checked, "
             f"{document.false} false"]
    if document.hedged:
        parts.append(f"{document.hedged} in plans or alternatives ({document.hedged_false} "
                     "not in the code)")
    if document.blocks:
        parts.append(f"{document.blocks} generated blocks, {document.stale_blocks} out of date")
    if document.placeholders:
        parts.append(f"{document.placeholders} template placeholder"
                     f"{'s' if document.placeholders != 1 else ''}")
    return f"{document.path}: " + "; ".join(parts) + "."


def render_json(report: CheckReport) -> str:
    """One object (``schema_version`` 1): overall counts, per-document counts, findings."""
    totals: dict[str, int] = {}
    for document in report.documents:
        for key, value in _counts(document).items():
            totals[key] = totals.get(key, 0) + value
    totals["rules"] = report.rules
    totals["rule_violations"] = len(report.rule_problems)
    totals["errors"] = report.errors
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "syspatterns", "version": __version__},
        "ok": report.errors == 0,
        "counts": totals,
        "documents": [{"path": d.path, "counts": _counts(d)} for d in report.documents],
        "findings": [
            {"path": p.path, "line": p.line, "kind": p.kind,
             "severity": "planned" if p.planned else "error", "message": p.message,
             "detail": list(p.detail)}
            for p in report.problems
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: ``::error`` for errors, ``::notice`` for plans,
    then the summary lines."""
    out = []
    for problem in report.problems:
        level = "notice" if problem.planned else "error"
        message = "\n".join([problem.message, *problem.detail])
        out.append(f"::{level} file={_escape_property(problem.path)},line={problem.line},"
                   f"title={_escape_property('syspatterns ' + problem.kind)}::"
                   f"{_escape_data(message)}")
    out.extend(_summary(d) for d in report.documents)
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
