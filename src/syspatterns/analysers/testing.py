"""Testing Strategy: the template's four kinds of testing (unit, integration, end-to-end,
performance), each with its tests' count, files, folders, frameworks and the signal that gave
their kind; then coverage configuration. Tests are those of :mod:`syspatterns.model.testsuite`;
front-end test tools come from ``package.json``."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import ClassVar

from syspatterns.analysers.decisions import plain_list
from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Evidence, Finding, Section
from syspatterns.model import SystemModel
from syspatterns.model.ci import PIPELINE_KINDS, SYSTEM_NAMES, read_ci
from syspatterns.model.stack import stack_of
from syspatterns.model.testsuite import ELIMINATION, CollectedTest, Setting, Suite, suite_of

ASPECTS = {"unit": "Unit testing", "integration": "Integration testing",
           "end-to-end": "End-to-end testing", "performance": "Performance testing"}
LOOKED_FOR = {
    "integration": "folders such as `integration/`, markers such as `integration` or `db`, "
                   "fixtures such as `client` or `db`, or imports of an in-process HTTP test "
                   "client, service containers or a real-database fixture",
    "end-to-end": "folders such as `e2e/` or `acceptance/`, markers such as `e2e`, fixtures "
                  "such as `live_server` or `page`, or imports of a browser driver (Selenium, "
                  "Playwright, ...), a live-server test case or "
                  "behaviour-driven scenarios; front-end tools such as Cypress or Playwright in "
                  "package.json",
    "performance": "folders such as `perf/` or `benchmarks/`, markers such as `benchmark`, "
                   "the `benchmark` fixture of pytest-benchmark, asv benchmarks, locust load "
                   "tests, benchmark scripts under a top-level `benchmarks/` folder",
}
COVERAGE_LOOKED_FOR = ("`[tool.coverage.*]` in pyproject.toml, `.coveragerc`, `[coverage:*]` in "
                       "setup.cfg and tox.ini, and `--cov-fail-under` in pytest's addopts")
LOCATION_LIMIT = 5
CI_STEP_LIMIT = 6
SCENARIO = re.compile(r"^[ \t]*Scenario(?: Outline| Template)?:", re.MULTILINE)
FEATURE_BYTES = 1_000_000
BDD_RUNNERS = {"behave": "behave", "pytest_bdd": "pytest-bdd"}  # import name -> distribution
# A threshold given on a command line: ``coverage report --fail-under=90``, ``pytest
# --cov-fail-under 80``.
FAIL_UNDER = re.compile(r"--(?:cov-)?fail-under(?:=|\s+)(\d+(?:\.\d+)?)")
REASON_LIMIT = 6


VALUE_LIMIT = 80


def _short(value: str) -> str:
    return value if len(value) <= VALUE_LIMIT else value[:VALUE_LIMIT - 3].rstrip() + "..."


def _glob(pattern: str) -> str:
    return pattern if any(c in pattern for c in "*?[") else pattern + "*"


def _rule(suite: Suite) -> str:
    """How tests were recognised, in words."""
    functions = " or ".join(f"`{_glob(p)}`" for p in suite.function_patterns)
    classes = " or ".join(f"`{_glob(p)}`" for p in suite.class_patterns)
    return (f"module-level functions named {functions}, and such methods of classes named "
            f"{classes} or deriving from a test-case base such as `unittest.TestCase`")


class TestingAnalyser:
    key: ClassVar[str] = "testing"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        suite = suite_of(model)
        section.summary.append(self._overview(model, suite))
        for kind, aspect in ASPECTS.items():
            findings = self._kind(model, suite, kind, aspect)
            section.findings.extend(findings or [self._none(model, suite, kind, aspect)])
        section.findings.extend(self._coverage(suite, _command_thresholds(model)))
        section.findings.extend(self._ci(model))
        return section

    @staticmethod
    def _ci(model: SystemModel) -> list[Finding]:
        """The CI and automation steps that run tests (from :mod:`syspatterns.model.ci`)."""
        ci = read_ci(model)
        steps = ci.steps_with("test")
        if not steps:
            return [Finding("In CI", "No CI or automation step that runs tests was found in "
                            f"{plain_list(list(SYSTEM_NAMES.values()), 20)} files.")]
        findings = []
        for workflow, job, step in steps[:CI_STEP_LIMIT]:
            system = SYSTEM_NAMES.get(workflow.kind, workflow.kind)
            if sum(w.path == workflow.path for w in ci.workflows) > 1:  # one of several
                word = "pipeline" if workflow.kind == "bitbucket-pipelines" else "workflow"
                system += f", {word} `{workflow.name}`"
            where = f"`{workflow.path}` ({system}), "
            pipeline = workflow.kind in PIPELINE_KINDS
            where += f"job `{job.name}`" if pipeline else f"`{job.name}`"
            extras = []
            if job.services:
                extras.append(f"services {names(list(job.services), 4)}")
            if job.matrix:
                extras.append("matrix " + "; ".join(
                    f"{axis}: {', '.join(values)}" for axis, values in job.matrix))
            detail = f" ({'; '.join(extras)})" if extras else ""
            findings.append(Finding("In CI", f"{where} runs {code(_short(step.text))}{detail}.",
                                    (step.evidence,)))
        if len(steps) > CI_STEP_LIMIT:
            rest = plural(len(steps) - CI_STEP_LIMIT, "more step")
            findings.append(Finding("In CI", f"and {rest} that run tests.",
                                    (steps[CI_STEP_LIMIT][2].evidence,)))
        return findings

    @staticmethod
    def _overview(model: SystemModel, suite: Suite) -> Finding:
        test_kind_files = model.files_of_kind("python-test")
        patterns = names(list(suite.patterns), limit=len(suite.patterns))
        if not test_kind_files:
            return Finding("Overview", (
                "No tests found: the scan classified no file as a test (looked for files "
                "under `tests/`, named `test_*.py`, `*_test.py`, `*_tests.py` or `conftest.py`, "
                "and under a top-level `test/` or `testing/` folder)."))
        if not suite.tests:
            return Finding("Overview", (
                f"No tests found: looked for {_rule(suite)} in the "
                f"{plural(len(test_kind_files), 'file')} "
                "classified as tests (under `tests/`, `test_*.py`, `*_test.py`, conftest.py) "
                f"whose names match {patterns}."))
        frameworks = [f"{f.name} ({f.how})" for f in suite.frameworks]
        text = (f"{plural(len(suite.tests), 'test')} ({_rule(suite)}) in "
                f"{plural(len(suite.test_files), 'file')} matching {patterns}")
        if frameworks:
            text += f"; frameworks: {plain_list(frameworks)}"
        return Finding("Overview", text + ".",
                       tuple(f.evidence[0] for f in suite.frameworks[:3]))

    def _kind(self, model: SystemModel, suite: Suite, kind: str, aspect: str) -> list[Finding]:
        findings = []
        tests = suite.of_kind(kind)
        by_reason: dict[str, list[CollectedTest]] = defaultdict(list)
        for test in tests:
            by_reason[test.reason].append(test)
        ordered = sorted(by_reason, key=lambda r: (r == ELIMINATION, -len(by_reason[r]), r))
        for reason in ordered[:REASON_LIMIT]:
            findings.append(self._group(aspect, reason, by_reason[reason]))
        if len(ordered) > REASON_LIMIT:
            rest = [t for r in ordered[REASON_LIMIT:] for t in by_reason[r]]
            findings.append(Finding(aspect, (
                f"and {plural(len(rest), 'test')} with "
                f"{plural(len(ordered) - REASON_LIMIT, 'other signal')}."),
                (Evidence(rest[0].path, rest[0].line),)))
        if tests:
            findings.extend(self._styles(suite, tests, aspect))
            properties = [t for t in tests if t.is_property]
            if properties:
                files = sorted({t.path for t in properties})
                findings.append(Finding(aspect, (
                    f"Of these, {len(properties):,} property-based (hypothesis `@given`) in "
                    f"{plural(len(files), 'file')}."),
                    tuple(Evidence(t.path, t.line) for t in properties[:3])))
        if kind == "performance":
            findings.extend(self._benchmarks(suite))
        if kind == "end-to-end":
            findings.extend(_scenarios(model, aspect))
        findings.extend(self._frontend(model, kind, aspect))
        return findings

    @staticmethod
    def _group(aspect: str, reason: str, tests: list[CollectedTest]) -> Finding:
        files = sorted({t.path for t in tests})
        locations = Counter(t.location for t in tests)
        ranked = sorted(locations, key=lambda loc: (-locations[loc], loc))
        first: dict[str, Evidence] = {}
        for test in sorted(tests, key=lambda t: (t.path, t.line)):
            first.setdefault(test.location, Evidence(test.path, test.line))
        lead = (f"{plural(len(tests), 'test')} in {plural(len(files), 'file')}")
        where = plain_list([f"`{loc}` ({locations[loc]:,})" for loc in ranked], LOCATION_LIMIT)
        if reason == ELIMINATION:
            verb = ("has", "is") if len(tests) == 1 else ("have", "are")
            claim = (f"{lead} {verb[0]} {ELIMINATION} and {verb[1]} counted here by "
                     f"elimination; in {where}.")
        elif reason.startswith("folder ") and len(ranked) == 1:
            claim = f"{lead}, by {reason}."
        else:
            claim = f"{lead}, by {reason}; in {where}."
        return Finding(aspect, claim, tuple(first[loc] for loc in ranked[:3]))

    @staticmethod
    def _styles(suite: Suite, tests: list[CollectedTest], aspect: str) -> list[Finding]:
        """The frameworks the files of these tests import, and their plain test functions."""
        used: dict[str, set[str]] = defaultdict(set)
        for test in tests:
            for name in suite.frameworks_by_file.get(test.path, []):
                used[name].add(test.path)
        listed = sorted(used, key=lambda n: (-len(used[n]), n))
        parts = [f"{n} ({plural(len(used[n]), 'file')})" for n in listed]
        plain = sorted({t.path for t in tests if "." not in t.name})
        evidence = [Evidence(min(used[n]), 1) for n in listed[:2]]
        if plain and any(f.name == "pytest" for f in suite.frameworks):
            parts.append(f"plain `test*` functions, collected by pytest "
                         f"({plural(len(plain), 'file')})")
        if not parts:
            return []
        first_lines = {t.path: t.line for t in sorted(tests, key=lambda t: (t.path, -t.line))}
        evidence = [Evidence(e.path, first_lines.get(e.path, 1)) for e in evidence]
        return [Finding(aspect, "Frameworks: " + plain_list(parts) + ".",
                        tuple(dict.fromkeys(evidence)))]

    @staticmethod
    def _benchmarks(suite: Suite) -> list[Finding]:
        findings = []
        by_tool: dict[str, list[Evidence]] = defaultdict(list)
        labels: dict[str, list[str]] = defaultdict(list)
        for benchmark in suite.benchmarks:
            by_tool[benchmark.tool].append(benchmark.evidence)
            labels[benchmark.tool].append(benchmark.name)
        wording = {"asv": ("asv benchmark", "asv benchmarks"),
                   "locust": ("locust user class (load test)",
                              "locust user classes (load tests)"),
                   "benchmark script": ("benchmark script", "benchmark scripts")}
        for tool in sorted(by_tool):
            evidence = by_tool[tool]
            folders = sorted({e.path.rpartition("/")[0] + "/" for e in evidence})
            findings.append(Finding(
                "Performance testing",
                f"{plural(len(evidence), *wording[tool])}: {names(labels[tool], limit=6)}, in "
                f"{names(folders, limit=4)}.", tuple(evidence[:3])))
        return findings

    @staticmethod
    def _frontend(model: SystemModel, kind: str, aspect: str) -> list[Finding]:
        stack = stack_of(model)
        uses = [u for u in stack.frontend if u.category.test_kind == kind]
        if not uses:
            return []
        scripts = [s for s in model.manifests.node_scripts
                   if any(u.dependency.name.split("/")[-1] in s.command for u in uses)]
        claim = ("Front end: " + names([f"{u.dependency.name} {u.dependency.version}"
                                         for u in uses])
                 + " declared in " + names(sorted({u.dependency.evidence.path for u in uses})))
        if scripts:
            claim += "; scripts: " + names([f"{s.name}: {s.command}" for s in scripts], 4)
        return [Finding(aspect, claim + ".", tuple(
            [u.dependency.evidence for u in uses] + [s.evidence for s in scripts]))]

    @staticmethod
    def _none(model: SystemModel, suite: Suite, kind: str, aspect: str) -> Finding:
        if kind == "unit":
            return Finding(aspect, "none found: no test without an integration, end-to-end or "
                           "performance signal, and no `unit/` folder or `unit` marker.")
        return Finding(aspect, f"none found: looked for {LOOKED_FOR[kind]}.")

    @staticmethod
    def _coverage(suite: Suite, commands: list[tuple[str, Evidence]]) -> list[Finding]:
        """Coverage settings, and the thresholds of ``commands`` (value, where)."""
        settings = [s for s in suite.settings if s.tool == "coverage"]
        command_findings = [Finding("Coverage", (
            f"threshold: a coverage run fails below {value} % (`--fail-under` on a command in "
            f"`{where.path}`)."), (where,)) for value, where in commands]
        if not settings:
            return command_findings or [Finding(
                "Coverage", f"No coverage configuration found: looked for "
                f"{COVERAGE_LOOKED_FOR} and `--fail-under` in CI commands.")]
        findings = list(command_findings)
        threshold = [s for s in settings if s.name == "fail_under"]
        for setting in threshold:
            findings.append(Finding("Coverage", (
                f"threshold: a coverage run fails below {setting.value} % (`fail_under` in "
                f"`{setting.evidence.path}`)."), (setting.evidence,)))
        others = [s for s in settings if s.name != "fail_under"]
        by_section: dict[tuple[str, str], list[Setting]] = defaultdict(list)
        for setting in others:
            by_section[setting.evidence.path, setting.section].append(setting)
        for (path, section), group in sorted(by_section.items()):
            findings.append(Finding("Coverage", f"`[{section}]` in `{path}`: " + ", ".join(
                f"`{s.name}` = {code(_short(s.value))}" for s in group) + ".",
                tuple(s.evidence for s in group)))
        if not threshold and not commands:
            findings.append(Finding("Coverage", "no minimum coverage (`fail_under`, "
                                    "`--cov-fail-under`) is set.",
                                    (settings[0].evidence,)))
        return findings


def _command_thresholds(model: SystemModel) -> list[tuple[str, Evidence]]:
    """``(value, where)`` of each ``--fail-under`` in a CI or automation command, or in a
    repository script one runs, once per place."""
    found: dict[Evidence, str] = {}
    for workflow in read_ci(model).workflows:
        for job in workflow.jobs:
            for step in job.steps:
                for match in FAIL_UNDER.finditer(step.command):
                    found.setdefault(step.evidence, match.group(1))
                for script in step.scripts:
                    text = model.read_text(script) or ""
                    for match in FAIL_UNDER.finditer(text):
                        line = text.count("\n", 0, match.start()) + 1
                        found.setdefault(Evidence(script, line), match.group(1))
    return [(value, where) for where, value in sorted(found.items())]


def _scenarios(model: SystemModel, aspect: str) -> list[Finding]:
    """Behaviour-driven scenarios: the ``Scenario:`` blocks of Gherkin ``.feature`` files,
    with the runner the tests import (behave, pytest-bdd)."""
    places: list[Evidence] = []
    files = 0
    for path in sorted(f.path for f in model.scan.files if f.path.endswith(".feature")):
        text = (model.read_text(path) if model.size_of(path) <= FEATURE_BYTES else None) or ""
        found = [text.count("\n", 0, m.start()) + 1 for m in SCENARIO.finditer(text)]
        files += bool(found)
        places += [Evidence(path, line) for line in found]
    if not places:
        return []
    runners = sorted({BDD_RUNNERS[x.top] for x in model.externals if x.top in BDD_RUNNERS})
    runner = f", run with {plain_list([code(r) for r in runners])}" if runners else ""
    folders = sorted({p.path.rpartition("/")[0] or "." for p in places})
    return [Finding(aspect, (
        f"{plural(len(places), 'behaviour-driven scenario')} in "
        f"{plural(files, '`.feature` file')} ({names([f'{f}/' for f in folders], 4)}){runner}."),
        tuple(places[:3]))]
