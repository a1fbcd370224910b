"""``syspatterns check``: is the document still true of the code?

The code is analysed again in memory; nothing but the document and the code is used. Four
things are checked, each finding with the document line and the reason:

- generated blocks against a fresh rendering (a short diff for each block out of date);
- template placeholders left in the text;
- claims of the human text (:mod:`~syspatterns.check.claims`) against the repository's
  names (:mod:`~syspatterns.check.names`); hedged claims that are false are reported
  apart, as plans, and are not errors;
- the architecture rules declared in ``pyproject.toml`` (:mod:`~syspatterns.model.rules`).

The findings are written for people, tools or CI by :mod:`~syspatterns.check.formats`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from syspatterns.check.claims import Claim, extract_claims
from syspatterns.check.names import RepositoryNames
from syspatterns.check.vocabulary import COMMON_WORDS
from syspatterns.core.problems import Problem
from syspatterns.document.blocks import Block, DocumentError, parse_blocks
from syspatterns.document.locate import find_documents
from syspatterns.document.markdown import Markdown, read_markdown
from syspatterns.document.placeholders import placeholder_lines
from syspatterns.knowledge import normalize
from syspatterns.model.rules import Rule, check_rules, load_rules
from syspatterns.pipeline import Analysis, Progress, run_analysis
from syspatterns.render.markdown import render_markdown

DIFF_LINES = 12


@dataclass
class DocumentReport:
    """What checking one document found."""

    path: str  # as shown: relative to the repository when inside it
    claims: int = 0  # claims of the human text that the code could settle
    false: int = 0  # of those, false and stated as fact: errors
    hedged: int = 0  # claims stated as plans, concepts or alternatives
    hedged_false: int = 0  # of those, false: reported apart
    blocks: int = 0
    stale_blocks: int = 0
    placeholders: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CheckReport:
    documents: list[DocumentReport]
    rules: int = 0  # rules declared in pyproject.toml
    rule_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        found = [p for d in self.documents for p in d.problems] + self.rule_problems
        return sorted(found, key=lambda p: (p.path, p.line, p.kind, p.message))

    @property
    def errors(self) -> int:
        return sum(not p.planned for p in self.problems)


def shown_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else as an absolute path."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_document(path: Path) -> str:
    """The document's text with newlines only; raises :class:`DocumentError` with a clear
    message for a missing, unreadable or non-UTF-8 file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DocumentError(f"{path}: is a folder, not a document") from None
    except OSError as error:
        raise DocumentError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DocumentError(f"{path}: not UTF-8 text (line {line}: byte "
                            f"0x{data[error.start]:02x})") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def link_prefix(root: Path, document: Path) -> str:
    """How the document's links lead to the repository root (``../`` for memory-bank/)."""
    prefix = Path(os.path.relpath(root.resolve(), document.resolve().parent)).as_posix() + "/"
    return "" if prefix == "./" else prefix


def check_blocks(doc_text: str, shown: str, fresh: str) -> tuple[int, list[Problem]]:
    """Each generated block of the document against the block of the same key in
    ``fresh`` (the document generated now)."""
    present = parse_blocks(doc_text)
    new = {b.key: b for b in parse_blocks(fresh)}
    problems: list[Problem] = []
    for old in present:
        current = new.get(old.key)
        if current is None:
            problems.append(Problem(shown, old.line, "stale",
                                    f"generated block `{old.key}` is no longer generated"))
            continue
        if old.content == current.content and not old.edited:
            continue
        line, diff = _difference(old, current)
        if old.edited:
            message = (f"generated block `{old.key}` was edited by hand; move the text "
                       "outside the markers")
            kind = "edited"
        else:
            message = f"generated block `{old.key}` is out of date with the code"
            kind = "stale"
        problems.append(Problem(shown, line, kind, message, detail=tuple(diff)))
    return len(present), problems


def _difference(old: Block, new: Block) -> tuple[int, list[str]]:
    old_lines, new_lines = old.content.split("\n"), new.content.split("\n")
    first = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False))
                  if a != b), min(len(old_lines), len(new_lines)))
    diff = [line for line in difflib.unified_diff(old_lines, new_lines, "document", "code",
                                                  n=0, lineterm="")
            if not line.startswith(("---", "+++", "@@"))]
    shown = diff[:DIFF_LINES]
    if len(diff) > DIFF_LINES:
        shown.append(f"... and {len(diff) - DIFF_LINES} more changed lines")
    return old.line + 1 + first, shown


def check_placeholders(doc: Markdown, shown: str) -> list[Problem]:
    return [Problem(shown, index + 1, "placeholder",
                    f"template placeholder {text} is still in the document")
            for index, text in placeholder_lines(doc)]


def library_word(names: RepositoryNames) -> Callable[[str], bool]:
    """Which bare words of prose are taken as library claims: distributions of the knowledge
    tables and declared requirements that are not ordinary words nor the repository's own
    names."""

    def is_library(word: str) -> bool:
        if (len(word) < 3 or word.isupper() or word.casefold() in COMMON_WORDS
                or names.is_repository_name(word)):
            return False
        library = names.model.knowledge.library_for_distribution(word)
        return library is not None or normalize(word) in names.requirements

    return is_library


def check_claims(doc: Markdown, shown: str, folder: str, names: RepositoryNames,
                 report: DocumentReport) -> None:
    """Settle every claim of the document's human text and record the false ones. The
    entries drawn under a missing folder of a tree are counted, and told in the folder's
    finding rather than one by one."""
    claims = _unique(extract_claims(doc, library_word(names)))
    problems: list[Problem] = []
    missing_folders: list[tuple[str, int]] = []  # (tree path, index in problems)
    under: dict[int, int] = {}  # index in problems -> entries drawn under that folder
    for claim in claims:
        verdict = names.check(claim, folder)
        if verdict.ok is None:
            continue
        report.claims += 1
        report.hedged += claim.hedged
        if verdict.ok:
            continue
        if claim.hedged:
            report.hedged_false += 1
        else:
            report.false += 1
        parent = next((i for path, i in missing_folders if claim.form == "tree"
                       and claim.text.startswith(path)), None)
        if parent is not None:
            under[parent] = under.get(parent, 0) + 1
            continue
        note = " (stated as a plan, a concept or an alternative)" if claim.hedged else ""
        problems.append(Problem(shown, claim.line, "planned" if claim.hedged else verdict.kind,
                                verdict.reason + note, claim.hedged))
        if claim.form == "tree" and claim.text.endswith("/"):
            missing_folders.append((claim.text, len(problems) - 1))
    for index, problem in enumerate(problems):
        count = under.get(index, 0)
        if count:
            entries = "entry" if count == 1 else "entries"
            problem = problem._replace(
                message=f"{problem.message}, nor the {count} {entries} drawn under it")
        report.problems.append(problem)


def _unique(claims: Iterable[Claim]) -> list[Claim]:
    seen: set[tuple[int, str, str, str]] = set()
    unique: list[Claim] = []
    for claim in claims:
        key = (claim.line, claim.kind, claim.text, claim.other)
        if key not in seen:
            seen.add(key)
            unique.append(claim)
    return unique


def check_document(text: str, shown: str, folder: str, names: RepositoryNames,
                   fresh: str) -> DocumentReport:
    """Check one document (its text already read) against the repository."""
    report = DocumentReport(shown)
    doc = read_markdown(text)
    report.blocks, block_problems = check_blocks(text, shown, fresh)
    report.stale_blocks = len(block_problems)
    placeholders = check_placeholders(doc, shown)
    report.placeholders = len(placeholders)
    report.problems.extend(block_problems + placeholders)
    check_claims(doc, shown, folder, names, report)
    report.problems.sort(key=lambda p: (p.line, p.kind, p.message))
    return report


def read_documents(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each document with its text; raises :class:`DocumentError` for one that cannot be
    read or whose markers are broken."""
    texts: list[tuple[Path, str]] = []
    for path in paths:
        text = read_document(path)
        try:
            parse_blocks(text)
        except DocumentError as error:
            raise DocumentError(f"{path}: {error}") from None
        texts.append((path, text))
    return texts


def check_analysis(root: Path, analysis: Analysis, documents: list[tuple[Path, str]],
                   rules: list[Rule]) -> CheckReport:
    """Check documents already read (:func:`read_documents`) and ``rules`` against an
    analysis of the repository at ``root``."""
    names = RepositoryNames(analysis.model)
    rendered: dict[str, str] = {}
    reports: list[DocumentReport] = []
    for path, text in documents:
        prefix = link_prefix(root, path)
        if prefix not in rendered:
            rendered[prefix] = render_markdown(analysis.model, analysis.sections,
                                               link_prefix=prefix)
        shown = shown_path(path, root)
        folder = shown.rpartition("/")[0] if not os.path.isabs(shown) else ""
        reports.append(check_document(text, shown, folder, names, rendered[prefix]))
    return CheckReport(reports, len(rules), check_rules(analysis.model, rules))


def check_repository(root: Path, analysis: Analysis,
                     documents: Sequence[Path] = ()) -> CheckReport | None:
    """The check on an analysis already made (for the HTML report and the MCP server):
    ``documents``, or else the repository's own documents; ``None`` when there is none.

    Raises :class:`DocumentError` and :class:`~syspatterns.model.rules.RulesError` as
    :func:`run_check` does.
    """
    targets = [d.absolute() for d in documents] or find_documents(root)
    if not targets:
        return None
    return check_analysis(root, analysis, read_documents(targets), load_rules(root))


def run_check(root: Path, documents: list[Path], *, jobs: int | None = None,
              use_cache: bool = True, cache_dir: Path | None = None,
              progress: Progress | None = None) -> CheckReport:
    """Check ``documents`` and the declared rules against the repository at ``root``.

    Raises :class:`DocumentError` for a document that cannot be read or whose markers are
    broken, and :class:`~syspatterns.model.rules.RulesError` for malformed rules: both
    are usage errors, found before the code is analysed.
    """
    texts = read_documents(documents)
    rules = load_rules(root)
    analysis = run_analysis(root, jobs=jobs, use_cache=use_cache, cache_dir=cache_dir,
                            progress=progress)
    return check_analysis(root, analysis, texts, rules)
