"""The test suite, from the extracted facts of the test files: the tests defined, each with a
kind (unit, integration, end-to-end, performance) and the signal that gave it; the frameworks;
pytest's and coverage's configuration; benchmarks and load tests.

A test is a module-level function named ``test*`` or a ``test*`` method of a test class: a
class named ``Test*``, or one deriving (directly or through other test classes of the suite)
from a test-case base such as ``unittest.TestCase``; pytest's ``python_functions`` and
``python_classes`` settings replace those name rules where the configuration sets them. Test
files are the scan's ``python-test`` files whose names match pytest's and unittest's default
patterns (``test*.py``, ``*_test.py``, ``*_tests.py``) or the configured ``python_files``.

A test's kind comes from, in order: a folder of its path named for a kind (``tests/unit/``,
``e2e/``, ...), its pytest markers (decorators, class decorators, the module's
``pytestmark``), the ``benchmark`` fixture, the fixtures it takes as parameters (``client``,
``db``, ``live_server``, ``page``, ...), the imports of its file (a browser driver, an
in-process HTTP test client, service containers, a load or benchmark tool; see
``knowledge/test_signals.toml``); a test with none of these is a unit test by elimination, and
says so.
"""

from __future__ import annotations

import configparser
import fnmatch
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from syspatterns.core.evidence import Evidence
from syspatterns.extract.facts import ClassFact, FileFacts, FunctionFact
from syspatterns.knowledge import normalize
from syspatterns.knowledge.stack_tables import TEST_KINDS, SuiteSignals, load_test_signals
from syspatterns.model.components import PERIPHERAL_FOLDERS
from syspatterns.model.stack import is_central
from syspatterns.model.system import SystemModel

DEFAULT_TEST_FILES = ("test*.py", "*_test.py", "*_tests.py")
TEST_CATEGORIES = frozenset({"testing", "property-testing", "browser-testing", "load-testing",
                             "benchmarking"})
KIND_PRIORITY = {"end-to-end": 0, "performance": 1, "integration": 2, "unit": 3}
ELIMINATION = "no integration, end-to-end or performance signal"
_MARK = re.compile(r"(?:^|\.)mark\.([A-Za-z_]\w*)")
_PYTESTMARK = re.compile(r"^pytestmark\s*(?::[^=]*)?=", re.M)
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(test\w*)\s*\(([^)]*)\)", re.M)
_CONFIG_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*[=:]")


class CollectedTest(NamedTuple):
    """One test function or method, with its kind and what decided it."""

    path: str
    line: int
    name: str  # "test_x" or "TestClass.test_x"
    kind: str
    reason: str  # "folder `tests/unit/`", "marker `e2e`", ... or ELIMINATION
    location: str  # the folder that groups it in the document
    is_property: bool


class Setting(NamedTuple):
    """A configuration value (pytest or coverage) and where it is set."""

    tool: str  # "pytest" or "coverage"
    name: str
    value: str
    evidence: Evidence
    section: str = ""  # the table or INI section it is set in


class Framework(NamedTuple):
    name: str
    evidence: tuple[Evidence, ...]
    how: str  # "used by N test files", "configured", ...


class Benchmark(NamedTuple):
    """A benchmark or load test outside the collected tests (asv, locust, scripts)."""

    tool: str  # "asv", "locust", "benchmark script"
    name: str
    evidence: Evidence


class KindSignal(NamedTuple):
    kind: str
    reason: str


@dataclass
class Suite:
    tests: list[CollectedTest]
    test_files: list[str]  # files with at least one test
    frameworks: list[Framework]
    settings: list[Setting]
    benchmarks: list[Benchmark]
    conftests: list[str]
    patterns: tuple[str, ...]  # the test-file name patterns used
    frameworks_by_file: dict[str, list[str]] = field(default_factory=dict)
    function_patterns: tuple[str, ...] = ("test",)  # name prefixes (or globs) of tests
    class_patterns: tuple[str, ...] = ("Test",)

    def of_kind(self, kind: str) -> list[CollectedTest]:
        return [t for t in self.tests if t.kind == kind]

    def setting(self, tool: str, name: str) -> Setting | None:
        return next((s for s in self.settings if s.tool == tool and s.name == name), None)


def _name(path: str) -> str:
    """A repository path's file name."""
    return path.rpartition("/")[2]


def _line_in_section(lines: list[str], header: re.Pattern[str], key: str) -> int:
    """1-based line of ``key =`` inside the section whose header matches, else the header's
    line, else 1."""
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return 1
    for index in range(start + 1, len(lines)):
        if lines[index].lstrip().startswith("["):
            break
        match = _CONFIG_LINE.match(lines[index])
        if match and match.group(1) == key:
            return index + 1
    return start + 1


def _header(name: str) -> re.Pattern[str]:
    return re.compile(r"^\s*\[\s*" + re.escape(name).replace(r"\.", r"\s*\.\s*") + r"\s*\]")


def _settings_from_table(tool: str, path: str, lines: list[str], section: str,
                         values: dict[str, object]) -> list[Setting]:
    result = []
    header = _header(section)
    for key, value in sorted(values.items()):
        if isinstance(value, list):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = " ".join(str(value).split())
        line = _line_in_section(lines, header, key)
        result.append(Setting(tool, key, text, Evidence(path, line), section))
    return result


COVERAGE_KEYS = ("source", "branch", "fail_under", "omit", "include", "source_pkgs",
                 "parallel", "concurrency", "plugins", "relative_files", "show_missing",
                 "skip_covered", "precision")
PYTEST_KEYS = ("testpaths", "markers", "addopts", "python_files", "python_classes",
               "python_functions", "asyncio_mode", "DJANGO_SETTINGS_MODULE")


def read_settings(model: SystemModel) -> list[Setting]:
    """pytest and coverage settings from pyproject.toml, pytest.ini, setup.cfg, tox.ini and
    .coveragerc (outside examples, docs and test fixtures)."""
    settings: list[Setting] = []
    files = sorted(f.path for f in model.scan.files if is_central(f.path)
                   and _name(f.path) in ("pyproject.toml", "pytest.ini",
                                                      "setup.cfg", "tox.ini", ".coveragerc"))
    for path in files:
        text = model.read_text(path)
        if text is None:
            continue
        lines = text.splitlines()
        name = _name(path)
        if name == "pyproject.toml":
            try:
                tool = tomllib.loads(text).get("tool", {})
            except tomllib.TOMLDecodeError:
                continue  # noted by the manifest reader
            pytest_table = tool.get("pytest", {}).get("ini_options", {})
            settings += _settings_from_table(
                "pytest", path, lines, "tool.pytest.ini_options",
                {k: v for k, v in pytest_table.items() if k in PYTEST_KEYS})
            if "pytest" in tool and not pytest_table:
                settings.append(Setting("pytest", "[tool.pytest]", "", Evidence(path, 1)))
            for part in ("run", "report"):
                table = tool.get("coverage", {}).get(part, {})
                settings += _settings_from_table(
                    "coverage", path, lines, f"tool.coverage.{part}",
                    {k: v for k, v in table.items() if k in COVERAGE_KEYS})
            continue
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        sections = {"pytest.ini": [("pytest", "pytest")],
                    "setup.cfg": [("pytest", "tool:pytest"), ("coverage", "coverage:run"),
                                  ("coverage", "coverage:report")],
                    "tox.ini": [("pytest", "pytest"), ("coverage", "coverage:run"),
                                ("coverage", "coverage:report")],
                    ".coveragerc": [("coverage", "run"), ("coverage", "report")]}[name]
        for tool_name, section in sections:
            if not parser.has_section(section):
                continue
            keys = PYTEST_KEYS if tool_name == "pytest" else COVERAGE_KEYS
            values = {k: v for k, v in parser.items(section) if k in keys}
            settings += _settings_from_table(tool_name, path, lines, section, dict(values))
            if tool_name == "pytest" and not values:
                header = _header(section)
                settings.append(Setting("pytest", f"[{section}]", "",
                                        Evidence(path, _line_in_section(lines, header, ""))))
    for setting in list(settings):
        if setting.tool == "pytest" and setting.name == "addopts":
            match = re.search(r"--cov-fail-under[= ](\d+(?:\.\d+)?)", setting.value)
            if match:
                settings.append(Setting("coverage", "fail_under", match.group(1),
                                        setting.evidence, setting.section))
    return sorted(set(settings), key=lambda s: (s.tool, s.name, s.evidence))


def _patterns(settings: list[Setting]) -> tuple[str, ...]:
    configured = [s.value for s in settings if s.tool == "pytest" and s.name == "python_files"]
    extra = tuple(p for value in configured for p in re.split(r"[\s,]+", value) if p)
    return tuple(sorted(set(DEFAULT_TEST_FILES + extra)))


def _marks(decorators: Iterable[str]) -> list[str]:
    return [m.group(1) for d in decorators if (m := _MARK.search(d))]


class NameRule(NamedTuple):
    """pytest's ``python_classes`` / ``python_functions``: prefixes, or globs when they
    hold a wildcard."""

    patterns: tuple[str, ...]

    def __call__(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, p) if any(c in p for c in "*?[")
                   else name.startswith(p) for p in self.patterns)


def _name_rule(settings: list[Setting], key: str, default: str) -> NameRule:
    configured = [s.value for s in settings if s.tool == "pytest" and s.name == key]
    values = tuple(p for value in configured for p in re.split(r"[\s,]+", value) if p)
    return NameRule(values or (default,))


def _test_classes(files: dict[str, FileFacts], signals: SuiteSignals,
                  is_test_class: NameRule) -> set[str]:
    """Names of the suite's test classes: classes named as pytest collects them (``Test*``
    by default) and classes deriving, directly or through each other, from a test-case
    base."""
    classes = [cls for facts in files.values() for cls in facts.classes]
    known = {cls.name for cls in classes if is_test_class(cls.name)}
    bases = set(signals.test_case_bases)
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name in known:
                continue
            tails = {b.rpartition(".")[2] for b in cls.bases}
            if tails & (bases | known) or any(t.endswith("TestCase") for t in tails):
                known.add(cls.name)
                changed = True
    return known


def _module_marks(model: SystemModel, path: str) -> list[str]:
    """Markers of the module-level ``pytestmark`` assignment (read from the text: the facts
    keep only calls)."""
    text = model.read_text(path)
    if not text or "pytestmark" not in text:
        return []
    match = _PYTESTMARK.search(text)
    if not match:
        return []
    depth = 0
    end = match.end()
    for end in range(match.end(), min(len(text), match.end() + 2000)):
        char = text[end]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "\n" and depth <= 0:
            break
    return [m.group(1) for m in _MARK.finditer(text[match.end():end])]


def _benchmark_tests(model: SystemModel, path: str, fixtures: tuple[str, ...]) -> set[str]:
    """Names of the test functions of a file that take a benchmark fixture."""
    text = model.read_text(path) or ""
    wanted = re.compile(r"\b(?:" + "|".join(map(re.escape, fixtures)) + r")\b")
    return {m.group(1) for m in _DEF.finditer(text) if wanted.search(m.group(2))}


def _folder_signal(path: str, signals: SuiteSignals) -> KindSignal | None:
    parts = path.split("/")[:-1]
    for index in range(len(parts) - 1, -1, -1):
        kind = signals.folders.get(parts[index].lower())
        if kind:
            return KindSignal(kind, f"folder `{'/'.join(parts[:index + 1])}/`")
    return None


def _marker_signal(marks: Iterable[str], signals: SuiteSignals) -> KindSignal | None:
    found = sorted({(KIND_PRIORITY[signals.markers[m]], m) for m in marks
                    if m in signals.markers})
    if not found:
        return None
    marker = found[0][1]
    return KindSignal(signals.markers[marker], f"marker `{marker}`")


def _fixture_signal(function: FunctionFact, signals: SuiteSignals) -> KindSignal | None:
    """The kind told by the pytest fixtures a test takes (its parameters)."""
    found = sorted((KIND_PRIORITY[signals.fixtures[name]], name)
                   for name, _ in function.params if name in signals.fixtures)
    if not found:
        return None
    fixture = found[0][1]
    return KindSignal(signals.fixtures[fixture], f"fixture `{fixture}`")


def _import_signal(facts: FileFacts, signals: SuiteSignals) -> KindSignal | None:
    found = []
    for fact in facts.imports:
        if fact.level:
            continue
        signal = signals.import_signal(fact.target)
        if signal is not None:
            found.append((KIND_PRIORITY[signal.kind], signal.name, signal))
    if not found:
        return None
    _, _, signal = min(found)
    return KindSignal(signal.kind, f"imports `{signal.name}` ({signal.label})")


def _location(path: str, folder: KindSignal | None) -> str:
    """The folder that groups a file's tests: the kind's folder, else its first two
    folders."""
    if folder is not None:
        return folder.reason.removeprefix("folder `").removesuffix("`")
    parts = path.split("/")[:-1]
    return "/".join(parts[:2]) + "/" if parts else "./"


def _collect(model: SystemModel, path: str, facts: FileFacts, test_classes: set[str],
             is_test: NameRule, signals: SuiteSignals, benchmark_fixture: bool
             ) -> list[CollectedTest]:
    functions: list[tuple[str, FunctionFact, list[str]]] = [
        (f.name, f, _marks(f.decorators)) for f in facts.functions if is_test(f.name)]
    cls: ClassFact
    for cls in facts.classes:
        if cls.name in test_classes:
            class_marks = _marks(cls.decorators)
            functions += [(f"{cls.name}.{m.name}", m, class_marks + _marks(m.decorators))
                          for m in cls.methods if is_test(m.name)]
    if not functions:
        return []
    module_marks = _module_marks(model, path) if any(
        f.target.split(".")[0] == "pytest" for f in facts.imports) else []
    benchmarked = (_benchmark_tests(model, path, signals.benchmark_fixtures)
                   if benchmark_fixture else set())
    folder = _folder_signal(path, signals)
    location = _location(path, folder)
    imported = _import_signal(facts, signals)
    property_file = any(f.target.split(".")[0] in signals.property_imports
                        for f in facts.imports)
    result = []
    for name, function, marks in functions:
        signal = folder or _marker_signal(marks + module_marks, signals)
        if signal is None and function.name in benchmarked:
            signal = KindSignal("performance", "the `benchmark` fixture")
        signal = signal or _fixture_signal(function, signals) or imported
        result.append(CollectedTest(
            path, function.line, name, signal.kind if signal else "unit",
            signal.reason if signal else ELIMINATION, location,
            property_file and any(d in signals.property_decorators
                                  for d in function.decorators)))
    return result


def _frameworks(model: SystemModel, files: dict[str, FileFacts], settings: list[Setting],
                conftests: list[str], test_classes: set[str], signals: SuiteSignals) -> tuple[
                    list[Framework], dict[str, list[str]]]:
    places: dict[str, set[Evidence]] = defaultdict(set)
    by_file: dict[str, set[str]] = defaultdict(set)
    own = {name for name in model.modules if "." not in name}
    for path, facts in files.items():
        for fact in facts.imports:
            if fact.level or fact.target.split(".")[0] in own:
                continue  # the repository's own code (Flask's tests importing flask.testing)
            name = signals.framework(fact.target)
            if name is None:
                library = model.knowledge.library_for_import(fact.target.split(".")[0])
                name = library.name if library and library.category in TEST_CATEGORIES else ""
            if name:
                places[name].add(Evidence(path, fact.line))
                by_file[path].add(name)
        imported = bool(by_file.get(path))
        for cls in facts.classes:
            if cls.name in test_classes and any(b.rpartition(".")[2].endswith("TestCase")
                                                for b in cls.bases):
                by_file[path].add("unittest")
                if not imported:  # a ``TestCase`` base of the repository's own
                    places["unittest"].add(Evidence(path, cls.line))
    frameworks = [Framework(name, tuple(sorted(found)),
                            f"used by {_files(len({e.path for e in found}))}")
                  for name, found in places.items()]
    pytest_config = [s.evidence for s in settings if s.tool == "pytest"]
    if "pytest" not in places and (pytest_config or conftests):
        evidence = tuple(sorted(set(pytest_config))) or tuple(Evidence(c, 1) for c in conftests)
        frameworks.append(Framework("pytest", evidence, "configured" if pytest_config
                                    else "conftest.py files"))
    frameworks.sort(key=lambda f: (-len(f.evidence), normalize(f.name)))
    return frameworks, {path: sorted(names) for path, names in by_file.items()}


def _files(count: int) -> str:
    return f"{count:,} test file" + ("" if count == 1 else "s")


def _benchmarks(model: SystemModel, signals: SuiteSignals) -> list[Benchmark]:
    result: list[Benchmark] = []
    names = {_name(f.path): f.path for f in model.scan.files}
    asv = any(n in names for n in signals.asv_config)
    for path, facts in sorted(model.facts.items()):
        file_name = _name(path)
        imports = {f.target.split(".")[0] for f in facts.imports if not f.level}
        if file_name in signals.load_files or "locust" in imports:
            for cls in facts.classes:
                if any(b.rpartition(".")[2] in ("HttpUser", "FastHttpUser", "User")
                       for b in cls.bases):
                    result.append(Benchmark("locust", cls.name, Evidence(path, cls.line)))
        top = path.split("/", 1)[0]
        in_benchmarks = "/" in path and signals.folders.get(top.lower()) == "performance"
        if asv and in_benchmarks:
            members = [(f.name, f.line) for f in facts.functions]
            members += [(f"{c.name}.{m.name}", m.line) for c in facts.classes
                        for m in c.methods]
            result += [Benchmark("asv", name, Evidence(path, line)) for name, line in members
                       if name.rpartition(".")[2].startswith(signals.asv_prefixes)]
        elif in_benchmarks and not file_name.startswith("test") and file_name != "conftest.py":
            line = facts.main_block_line or (facts.functions[0].line if facts.functions else 1)
            result.append(Benchmark("benchmark script", path, Evidence(path, line)))
    return sorted(result, key=lambda b: (b.tool, b.evidence))


def _example_or_docs(path: str, examples_are_code: bool) -> bool:
    """Tests of the examples or the documentation, not of the system (the examples' are the
    system's when the examples are its code)."""
    kinds = ("docs",) if examples_are_code else ("example", "docs")
    return "/" in path and PERIPHERAL_FOLDERS.get(path.split("/", 1)[0]) in kinds


def build_suite(model: SystemModel) -> Suite:
    """The test suite of ``model``'s repository; use :func:`suite_of` to compute it once."""
    signals = load_test_signals()
    settings = read_settings(model)
    patterns = _patterns(settings)
    kinds = {f.path: f.kind for f in model.scan.files}
    files = {path: facts for path, facts in sorted(model.facts.items())
             if kinds.get(path) == "python-test"
             and not _example_or_docs(path, model.examples_are_code)
             and any(fnmatch.fnmatch(_name(path), p) for p in patterns)}
    conftests = sorted(p for p in model.facts if _name(p) == "conftest.py")
    is_test_class = _name_rule(settings, "python_classes", "Test")
    test_classes = _test_classes(files, signals, is_test_class)
    is_test = _name_rule(settings, "python_functions", "test")
    plugins = {normalize(p) for p in signals.benchmark_plugins}
    benchmark_fixture = any(normalize(r.name) in plugins for r in model.manifests.requirements)
    tests: list[CollectedTest] = []
    for path, facts in files.items():
        tests += _collect(model, path, facts, test_classes, is_test, signals, benchmark_fixture)
    frameworks, by_file = _frameworks(model, files, settings, conftests, test_classes, signals)
    test_files = sorted({t.path for t in tests})
    return Suite(tests, test_files, frameworks, settings, _benchmarks(model, signals),
                 conftests, patterns, by_file, is_test.patterns, is_test_class.patterns)


def suite_of(model: SystemModel) -> Suite:
    return model.memo("testsuite", build_suite)


__all__ = ["TEST_KINDS", "Benchmark", "CollectedTest", "Framework", "Setting", "Suite",
           "build_suite", "read_settings", "suite_of"]
