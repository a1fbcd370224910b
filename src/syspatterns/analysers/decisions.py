"""Key Technical Decisions: one decision per library category in use (the libraries the code
imports, by the knowledge tables), the build backend, the front end's packages, and one per
architecture decision record.

For a library: Decision (library, declared constraint, locked version, how widely imported),
Alternatives (the other libraries of its category in the knowledge tables, worded as such and
never as a record of what was considered), Rationale (an ADR that names it; the commit that
first added it to a manifest, from one ``git log``; else "not recorded"), Implications (the
components that import it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import ClassVar

from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding, Section, Subsection
from syspatterns.knowledge import normalize
from syspatterns.knowledge.stack_tables import load_frontend_packages
from syspatterns.model import Dependency, SystemModel
from syspatterns.model.adr import DecisionRecord, DecisionRecords, adrs_of
from syspatterns.model.stack import (
    FrontendUse,
    History,
    LibraryUse,
    Stack,
    canonical,
    own_names,
    read_history,
    stack_of,
)
from syspatterns.scan.classify import RULES

ALTERNATIVES_LIMIT = 8
ROLE_WORDS = {"code": "the code", "test": "tests", "example": "examples", "docs": "docs",
              "benchmark": "benchmarks"}
COMPONENT_LIMIT = 6
TEST_SECTION = "testing"
ALTERNATIVES_WORDING = "Other libraries in this category (not a record of what was considered)"


def _adr_patterns() -> str:
    patterns = next(p for kind, p in RULES if kind == "adr")
    return names(list(patterns), limit=len(patterns))


class DecisionsAnalyser:
    key: ClassVar[str] = "decisions"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        stack = stack_of(model)
        adrs = adrs_of(model)
        chosen = self._chosen(model, stack)
        if stack.build_systems:
            chosen.pop("build-backend", None)  # the build decision below covers it
        wanted = {_canonical_key(lib) for libs in chosen.values() for lib in libs
                  if lib.declared}
        wanted |= {normalize(n) for b in stack.build_systems for n in b.requires}
        wanted |= {normalize(f.dependency.name) for f in stack.frontend}
        history = model.memo("stack.history", lambda m: read_history(m, wanted))
        section.summary.append(self._overview(model, stack, adrs, chosen))
        section.summary.extend(self._declared_not_imported(stack))
        section.summary.extend(self._imported_not_declared(stack))
        section.summary.extend(self._uncategorised(model, stack))
        section.summary.extend(self._type_only(stack))
        decisions: list[tuple[str, list[Finding]]] = []
        for category, libraries in chosen.items():
            title = model.knowledge.categories[category].title
            decisions.append((title, self._library_decision(model, category, libraries,
                                                            adrs, history)))
        if stack.build_systems:
            decisions.append(("Packaging and build backend", self._build_decision(
                model, stack, history)))
        decisions += self._frontend_decisions(stack, history)
        for record in adrs.records:
            label = f"ADR {record.number}" if record.number is not None else "ADR"
            decisions.append((f"{record.title} ({label})", self._adr_decision(record)))
        for number, (title, findings) in enumerate(decisions, 1):
            section.subsections.append(Subsection(f"Decision {number}: {title}", findings))
        return section

    # -- choosing -------------------------------------------------------------------------

    @staticmethod
    def _chosen(model: SystemModel, stack: Stack) -> dict[str, list[LibraryUse]]:
        """Category -> the libraries that make its decision: those the code imports, and for
        test-related categories those the tests or benchmarks import; most imported first."""
        chosen: dict[str, list[LibraryUse]] = defaultdict(list)
        for library in stack.libraries:
            category = model.knowledge.categories.get(library.category)
            if category is None or "decisions" not in category.sections or library.type_only:
                continue
            if library.imported_by("code") or (TEST_SECTION in category.sections
                                               and library.imported_by("test", "benchmark")):
                chosen[category.key].append(library)
        weight = {key: (-sum(lib.code_statements for lib in libs),
                        -sum(lib.total for lib in libs), model.knowledge.categories[key].title)
                  for key, libs in chosen.items()}
        return {key: chosen[key] for key in sorted(chosen, key=weight.__getitem__)}

    # -- summary --------------------------------------------------------------------------

    @staticmethod
    def _overview(model: SystemModel, stack: Stack, adrs: DecisionRecords,
                  chosen: dict[str, list[LibraryUse]]) -> Finding:
        statements = sum(1 for x in model.externals if not x.is_stdlib)
        if not chosen and not stack.build_systems and not stack.frontend and not adrs.records:
            return Finding("Overview", (
                "No technical decision found: the code's "
                f"{plural(statements, 'third-party import statement')} name no library of a "
                "category in the knowledge tables, no manifest declares a build backend or a "
                "front-end package, and no architecture decision record was found (looked for "
                f"Markdown files matching {_adr_patterns()})."))
        sources = []
        if chosen:
            sources.append(f"the third-party libraries the code imports, one decision per "
                           f"category of the knowledge tables "
                           f"({plural(len(chosen), 'category', 'categories')} in use)")
        declared = (["build backend"] if stack.build_systems else []) + (
            ["front-end packages"] if stack.frontend else [])
        if declared:
            sources.append("the " + " and ".join(declared) + " that the manifests declare")
        if adrs.records:
            sources.append(plural(len(adrs.records), "architecture decision record"))
        text = "Decisions come from " + "; ".join(sources) + "."
        if not adrs.records:
            text += (" No architecture decision record was found (looked for Markdown files "
                     f"matching {_adr_patterns()}).")
        if chosen or stack.build_systems or stack.frontend:
            text += (" Rationale comes from ADRs and from git history (the commit that first "
                     "added a dependency to a manifest); alternatives are the other libraries "
                     "of the same category, not a record of what was considered.")
        return Finding("Overview", text)

    @staticmethod
    def _declared_not_imported(stack: Stack) -> list[Finding]:
        if not stack.declared_not_imported:
            return []
        by_group: dict[str, list[tuple[str, Evidence]]] = defaultdict(list)
        for declaration in stack.declared_not_imported:
            by_group[declaration.groups[0]].append((declaration.name, declaration.evidence[0]))
        parts = []
        evidence: list[Evidence] = []
        for group in sorted(by_group, key=lambda g: (g != "", g)):
            items = sorted(by_group[group], key=lambda i: i[0].lower())
            label = "main dependencies" if group == "" else f"group `{group}`"
            parts.append(f"{label}: {names([n for n, _ in items], limit=12)}")
            evidence += [e for _, e in items]
        text = ("Declared, but no import statement names them (they may still be used without "
                "an import: a server or tool run by command, a plugin, a driver named in a "
                "URL): " + "; ".join(parts) + ".")
        if stack.stubs_left_out:
            text += (" Type-stub distributions are left out: "
                     f"{names([d.name for d in stack.stubs_left_out])}.")
        return [Finding("Declared, not imported", text, tuple(evidence))]

    @staticmethod
    def _imported_not_declared(stack: Stack) -> list[Finding]:
        if not stack.imported_not_declared:
            return []
        parts = []
        for library in stack.imported_not_declared:
            roles = ", ".join(f"{count:,} in {ROLE_WORDS.get(role, role)}"
                              for role, count in library.statements.items())
            parts.append(f"{code(library.distribution)} ({roles})")
        return [Finding(
            "Imported, not declared",
            f"Imported (import statements) but declared by no manifest among "
            f"{names(stack.manifests, limit=4)}: {plain_list(parts, 12)}. Imports only "
            "inside `try` blocks (optional) or under `if TYPE_CHECKING:`, and private modules "
            "(`_name`), are left out.",
            tuple(lib.evidence[0] for lib in stack.imported_not_declared))]

    @staticmethod
    def _type_only(stack: Stack) -> list[Finding]:
        typing = [lib for lib in stack.libraries if lib.type_only and lib.imported_by("code")]
        if not typing:
            return []
        return [Finding(
            "Type checking only",
            "Imported by the code only under `if TYPE_CHECKING:`, for type annotations, and "
            "so no decision of its own: "
            + plain_list([f"`{lib.distribution}` ({lib.code_statements})" for lib in typing],
                         12) + " (import statements).",
            tuple(lib.evidence[0] for lib in typing))]

    @staticmethod
    def _uncategorised(model: SystemModel, stack: Stack) -> list[Finding]:
        unknown = [lib for lib in stack.libraries if lib.imported_by("code")
                   and not lib.type_only
                   and (not lib.category or "decisions" not in
                        model.knowledge.categories[lib.category].sections)]
        if not unknown:
            return []
        return [Finding(
            "Other libraries",
            "The code also imports "
            + plain_list([f"`{lib.distribution}` ({lib.code_statements})" for lib in unknown],
                         12)
            + " (import statements in the code), which no decision category of the knowledge "
            "tables covers.", tuple(lib.evidence[0] for lib in unknown))]

    # -- library decisions ----------------------------------------------------------------

    def _library_decision(self, model: SystemModel, category: str,
                          libraries: list[LibraryUse], adrs: DecisionRecords,
                          history: History) -> list[Finding]:
        findings = [Finding("Decision", self._usage(model, lib), self._decision_evidence(lib))
                    for lib in libraries]
        used = {normalize(lib.distribution) for lib in libraries}
        own = own_names(model)  # (Flask is no alternative to Werkzeug in Flask's repository)
        others = [lib.name for lib in model.knowledge.libraries
                  if lib.category == category and normalize(lib.name) not in used | own]
        if others:
            findings.append(Finding(
                "Alternatives considered",
                f"{ALTERNATIVES_WORDING}: {names(others, ALTERNATIVES_LIMIT)}.",
                libraries[0].evidence[:1]))
        else:
            findings.append(Finding(
                "Alternatives considered",
                "The knowledge tables list no other library in this category; none is recorded "
                "as considered.", libraries[0].evidence[:1]))
        findings += _merge_unrecorded([self._rationale(lib, adrs, history) for lib in libraries])
        testing = TEST_SECTION in model.knowledge.categories[category].sections
        findings += [self._implications(model, lib, testing) for lib in libraries]
        return findings

    @staticmethod
    def _usage(model: SystemModel, library: LibraryUse) -> str:
        parts = []
        code_count = library.code_statements
        code_components = _code_components(model, library)
        if code_count:
            parts.append(f"{plural(code_count, 'import statement')} in "
                         f"{plural(len(code_components), 'code component')}")
        for role, label in (("test", "tests"), ("example", "examples"), ("docs", "docs"),
                            ("benchmark", "benchmarks")):
            if library.statements.get(role):
                count = library.statements[role]
                parts.append(f"{count:,} in {label}" if parts else
                             f"{plural(count, 'import statement')} in {label}")
        text = f"{code(library.distribution)}: " + ", ".join(parts)
        if library.declared:
            requirement = library.declared[0]
            spec = f"`{requirement.name}{requirement.specifier}`"
            where = "main dependencies" if not requirement.group else (
                f"group `{requirement.group}`")
            text += f"; declared as {spec} ({where})"
            if requirement.markers:
                text += f" when `{requirement.markers}`"
        else:
            text += "; declared in no manifest"
        if library.locked is not None:
            text += f"; locked at {library.locked.version} in `{library.locked.evidence.path}`"
        if library.optional:
            text += "; every import is inside a `try` block (optional)"
        return text + "."

    @staticmethod
    def _decision_evidence(library: LibraryUse) -> tuple[Evidence, ...]:
        evidence = list(library.evidence[:2])
        if library.declared:
            evidence.insert(0, library.declared[0].evidence)
        if library.locked is not None:
            evidence.insert(1, library.locked.evidence)
        return tuple(dict.fromkeys(evidence))

    @staticmethod
    def _rationale(library: LibraryUse, adrs: DecisionRecords, history: History) -> Finding:
        mentions = _adr_mentions(adrs, [library.distribution, *library.import_names])
        if mentions:
            record = mentions[0]
            status = f", status {record.status.text}" if record.status else ""
            return Finding("Rationale", (
                f"{code(library.distribution)}: ADR {code(record.path)} (\"{record.title}\""
                f"{status}) mentions it in its title, context, decision or options."),
                (record.evidence,))
        return _commit_rationale(library.distribution, _canonical_key(library),
                                 library.declared[0].evidence if library.declared else None,
                                 history)

    @staticmethod
    def _implications(model: SystemModel, library: LibraryUse, testing: bool) -> Finding:
        # a test tool the code itself imports (selenium driving a crawler) couples the code
        testing = testing and not library.imported_by("code")
        code_components = [] if testing else _code_components(model, library)
        shown = code_components or list(library.components)
        listed = plain_list([f"`{c.name}` ({c.imports})" for c in shown], COMPONENT_LIMIT)
        if testing:
            text = (f"{code(library.distribution)}: the tests depend on it; imported by "
                    f"{listed} (import statements).")
        elif not code_components:
            text = (f"{code(library.distribution)}: used outside the code only, by {listed} "
                    "(import statements).")
        elif len(code_components) == 1:
            text = (f"{code(library.distribution)}: confined to one component, {listed} "
                    "(import statements); replacing it touches that component only.")
        else:
            text = (f"{code(library.distribution)}: couples {plural(len(shown), 'component')} "
                    f"to it: {listed} (import statements).")
        return Finding("Implications", text,
                       tuple(c.evidence[0] for c in shown[:COMPONENT_LIMIT] if c.evidence))

    # -- build backend and front end ------------------------------------------------------

    @staticmethod
    def _build_decision(model: SystemModel, stack: Stack, history: History) -> list[Finding]:
        findings = []
        for build in stack.build_systems:
            if build.declared:
                claim = (f"`{build.evidence.path}` builds with the backend "
                         f"{code(build.backend)} (requires {names(list(build.requires))}).")
            else:
                claim = (f"`{build.evidence.path}` with no `[build-system]` table in a "
                         "`pyproject.toml` beside it: pip builds it with setuptools, through "
                         "`setup.py`.")
            findings.append(Finding("Decision", claim, (build.evidence,)))
        backends = {normalize(n) for b in stack.build_systems for n in b.requires}
        others = [lib.name for lib in model.knowledge.libraries
                  if lib.category == "build-backend" and normalize(lib.name) not in backends]
        findings.append(Finding("Alternatives considered",
                                f"{ALTERNATIVES_WORDING}: {names(others, ALTERNATIVES_LIMIT)}.",
                                (stack.build_systems[0].evidence,)))
        findings += _merge_unrecorded([
            _commit_rationale(requirement, normalize(requirement), build.evidence, history)
            for build in stack.build_systems for requirement in build.requires[:1]])
        findings.append(Finding(
            "Implications",
            "Building the sdist and wheel (`pip install .`, `python -m build`) runs "
            + plain_list([code(b.backend) for b in stack.build_systems if b.declared]
                         or ["setuptools through `setup.py`"]) + ".",
            tuple(b.evidence for b in stack.build_systems)))
        return findings

    @staticmethod
    def _frontend_decisions(stack: Stack, history: History) -> list[tuple[str,
                                                                         list[Finding]]]:
        table = load_frontend_packages()
        by_category: dict[str, list[FrontendUse]] = defaultdict(list)
        for use in stack.frontend:
            if use.category.decision:
                by_category[use.category.key].append(use)
        result = []
        for key in sorted(by_category, key=lambda k: list(table.categories).index(k)):
            uses = by_category[key]
            used = {u.dependency.name for u in uses}
            others = [name for name, category in table.packages.items()
                      if category == key and name not in used]
            findings = [Finding(
                "Decision",
                f"{code(u.dependency.name)} `{u.dependency.version}` in "
                f"`{u.dependency.evidence.path}` ({u.dependency.group}).",
                (u.dependency.evidence,)) for u in uses]
            findings.append(Finding("Alternatives considered",
                                    f"{ALTERNATIVES_WORDING}: {names(others, ALTERNATIVES_LIMIT)}.",
                                    (uses[0].dependency.evidence,)))
            findings += _merge_unrecorded([
                _commit_rationale(u.dependency.name, normalize(u.dependency.name),
                                  u.dependency.evidence, history) for u in uses])
            folders = sorted({u.dependency.evidence.path.rpartition("/")[0] or "."
                              for u in uses})
            findings.append(Finding(
                "Implications",
                f"The front end in {names([f'{f}/' for f in folders])} is built on it; "
                "syspatterns does not analyse JavaScript imports, so which of its files use it "
                "is not shown.", tuple(u.dependency.evidence for u in uses)))
            result.append((uses[0].category.title, findings))
        return result

    # -- ADRs -----------------------------------------------------------------------------

    @staticmethod
    def _adr_decision(record: DecisionRecord) -> list[Finding]:
        state = []
        if record.status:
            state.append(f"status: {record.status.text}")
        if record.date:
            state.append(f"date: {record.date.text}")
        state_text = f" ({'; '.join(state)})" if state else ""
        place = [p.line for p in (record.status, record.date) if p]
        if record.decision:
            decision = Finding("Decision", f"{sentence(record.decision.text)}{state_text}",
                               (Evidence(record.path, record.decision.line),
                                *(Evidence(record.path, line) for line in place)))
        else:
            decision = Finding("Decision", f"\"{record.title}\"{state_text}; the record has no "
                               "Decision section.", (record.evidence,))
        if record.options:
            alternatives = Finding(
                "Alternatives considered",
                f"Considered options (from the ADR): {'; '.join(o.text for o in record.options)}.",
                tuple(Evidence(record.path, o.line) for o in record.options))
        else:
            alternatives = Finding(
                "Alternatives considered",
                f"not recorded: the {record.format} record has no considered-options section.",
                (record.evidence,))
        if record.context:
            rationale = Finding("Rationale", f"Context: {sentence(record.context.text)}",
                                (Evidence(record.path, record.context.line),))
        else:
            rationale = Finding("Rationale", "not recorded: the record has no Context section.",
                                (record.evidence,))
        if record.consequences:
            implications = [Finding("Implications", sentence(p.text),
                                    (Evidence(record.path, p.line),))
                            for p in record.consequences]
        else:
            implications = [Finding("Implications",
                                    "not recorded: the record has no Consequences section.",
                                    (record.evidence,))]
        return [decision, alternatives, rationale, *implications]


_ABBREVIATION = re.compile(r"(?:^|\W)(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp|no)\.$", re.I)
SENTENCE_LIMIT = 300


def sentence(text: str) -> str:
    """The first sentence of ``text`` (not cut after "e.g." and the like), at most
    :data:`SENTENCE_LIMIT` characters."""
    flat = " ".join(text.split())
    for match in re.finditer(r"[.!?](?=\s)", flat):
        head = flat[:match.end()]
        if not _ABBREVIATION.search(head):
            flat = head
            break
    return flat if len(flat) <= SENTENCE_LIMIT else flat[:SENTENCE_LIMIT - 3].rstrip() + "..."


def plain_list(items: list[str], limit: int = 8) -> str:
    """``a, b and c`` (items as given, no quoting) with ``and N more`` past ``limit``."""
    shown = items[:limit]
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def _canonical_key(library: LibraryUse) -> str:
    return canonical(library.declared[0].name if library.declared else library.distribution)


def _code_components(model: SystemModel, library: LibraryUse) -> list[Dependency]:
    """The code components (not tests, examples, docs or benchmarks) that import it."""
    return [c for c in library.components
            if (component := model.component_by_name.get(c.name)) and component.is_code]


def _adr_mentions(adrs: DecisionRecords, words: list[str]) -> list[DecisionRecord]:
    patterns = [re.compile(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", re.I) for w in words if w]
    return [r for r in adrs.records if any(p.search(r.text()) for p in patterns)]


def _commit_rationale(name: str, key: str, declared: Evidence | None,
                      history: History) -> Finding:
    introduction = history.introductions.get(key)
    if introduction is not None and declared is not None:
        return Finding("Rationale", (
            f"{code(name)}: no ADR mentions it; it was first added to "
            f"`{introduction.path}` in commit `{introduction.commit}` ({introduction.date}): "
            f"\"{introduction.subject}\"."), (declared,))
    if declared is None:
        reason = "no manifest declares it, so no commit adding it could be looked for"
    elif history.status == "no git":
        reason = "the repository is not a git checkout, so its history cannot be read"
    elif history.status == "failed":
        reason = "`git log` could not be run"
    elif history.shallow:
        reason = ("the git history is shallow (a partial clone) and shows no commit adding it "
                  "after its oldest commit")
    elif history.status == "truncated":
        reason = "the git history was read only in part (time or size budget)"
    else:
        reason = "no commit in the git history of the manifests adds it"
    return Finding("Rationale", f"{code(name)}{_UNRECORDED}{reason}.",
                   (declared,) if declared else ())


_UNRECORDED = ": not recorded; no ADR mentions it and "


def _merge_unrecorded(findings: list[Finding]) -> list[Finding]:
    """The rationale findings, those of several libraries not recorded for one reason
    merged into one (in the place of the first)."""
    groups: dict[str, list[tuple[str, Finding]]] = defaultdict(list)
    for finding in findings:
        name, found, reason = finding.claim.partition(_UNRECORDED)
        if found:
            groups[reason].append((name, finding))
    merged: list[Finding] = []
    for finding in findings:
        name, found, reason = finding.claim.partition(_UNRECORDED)
        if not found or len(groups[reason]) == 1:
            merged.append(finding)
        elif groups[reason][0][1] is finding:
            names_ = list(dict.fromkeys(n for n, _ in groups[reason]))
            evidence = tuple(dict.fromkeys(e for _, f in groups[reason] for e in f.evidence))
            plural_reason = re.sub(r"\b(declares|adding|adds) it\b", r"\1 them", reason)
            merged.append(Finding("Rationale", f"{plain_list(names_)}: not recorded; no ADR "
                                  f"mentions them and {plural_reason}", evidence))
    return merged
