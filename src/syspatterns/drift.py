"""The checks of ``syspatterns check`` (:mod:`syspatterns.document.check`) run on an
analysis that was already made, so that the HTML report and the MCP server show the check's
findings without analysing the repository a second time."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from syspatterns.document.blocks import DocumentError, parse_blocks
from syspatterns.document.check import (
    CheckReport,
    check_document,
    link_prefix,
    read_document,
    shown_path,
)
from syspatterns.document.locate import find_documents
from syspatterns.document.names import RepositoryNames
from syspatterns.document.rules import check_rules, load_rules
from syspatterns.pipeline import Analysis
from syspatterns.render.markdown import render_markdown


def check_analysis(root: Path, analysis: Analysis,
                   documents: Sequence[Path] = ()) -> CheckReport | None:
    """Check ``documents`` (default: the repository's own System Patterns documents) and
    the architecture rules against ``analysis``; ``None`` when there is no document.

    Raises :class:`DocumentError` for a document that cannot be read or whose markers are
    broken, and :class:`~syspatterns.document.rules.RulesError` for malformed rules.
    """
    targets = [d.absolute() for d in documents] or find_documents(root)
    if not targets:
        return None
    names = RepositoryNames(analysis.model)
    rendered: dict[str, str] = {}
    reports = []
    for path in targets:
        text = read_document(path)
        try:
            parse_blocks(text)
        except DocumentError as error:
            raise DocumentError(f"{path}: {error}") from None
        prefix = link_prefix(root, path)
        if prefix not in rendered:
            rendered[prefix] = render_markdown(analysis.model, analysis.sections,
                                               link_prefix=prefix)
        shown = shown_path(path, root)
        folder = shown.rpartition("/")[0] if not os.path.isabs(shown) else ""
        reports.append(check_document(text, shown, folder, names, rendered[prefix]))
    rules = load_rules(root)
    return CheckReport(reports, len(rules), check_rules(analysis.model, rules))
