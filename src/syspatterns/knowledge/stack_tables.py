"""Loaders of the tables about what a system is built and tested with: front-end packages
(``frontend.toml``), signals of a test's kind (``test_signals.toml``) and distribution aliases
(``distribution_aliases.toml``). Each table is validated as it loads."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from syspatterns.knowledge import normalize, read_table

TEST_KINDS = ("unit", "integration", "end-to-end", "performance")


def _read(name: str) -> dict[str, Any]:
    return read_table(name)


def _kind(value: object, where: str) -> str:
    if value not in TEST_KINDS:
        raise ValueError(f"{where}: unknown test kind {value!r}")
    return str(value)


class FrontendCategory(NamedTuple):
    key: str
    title: str
    decision: bool  # worth a Key Technical Decision of its own
    test_kind: str  # "" or one of TEST_KINDS


@dataclass(frozen=True)
class FrontendPackages:
    categories: dict[str, FrontendCategory]
    packages: dict[str, str]  # npm package name -> category key

    def category_of(self, package: str) -> FrontendCategory | None:
        key = self.packages.get(package)
        return self.categories[key] if key else None


@cache
def load_frontend_packages() -> FrontendPackages:
    raw = _read("frontend.toml")
    categories = {
        key: FrontendCategory(key, str(value["title"]), bool(value.get("decision", False)),
                              _kind(value["test_kind"], f"frontend.toml: {key}")
                              if "test_kind" in value else "")
        for key, value in raw["categories"].items()
    }
    packages = {str(name): str(category) for name, category in raw["packages"].items()}
    for name, category in packages.items():
        if category not in categories:
            raise ValueError(f"frontend.toml: {name}: unknown category {category!r}")
    return FrontendPackages(categories, packages)


class ImportSignal(NamedTuple):
    """Importing ``name`` (or something below it) in a test file makes it a ``kind`` test."""

    name: str
    kind: str
    label: str


@dataclass(frozen=True)
class SuiteSignals:
    folders: dict[str, str]  # folder name -> kind
    markers: dict[str, str]  # pytest marker -> kind
    fixtures: dict[str, str]  # pytest fixture (a test's parameter) -> kind
    imports: tuple[ImportSignal, ...]
    property_decorators: frozenset[str]
    property_imports: frozenset[str]
    benchmark_fixtures: tuple[str, ...]
    benchmark_plugins: tuple[str, ...]  # distributions that provide the fixtures
    asv_prefixes: tuple[str, ...]
    asv_config: tuple[str, ...]
    load_files: tuple[str, ...]
    test_case_bases: frozenset[str]
    frameworks: dict[str, str]  # imported name (prefix) -> framework label, "" for none
    imports_by_name: dict[str, ImportSignal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.imports_by_name.update((signal.name, signal) for signal in self.imports)

    def framework(self, target: str) -> str | None:
        """The framework an imported dotted name stands for: ``None`` when the table does not
        say, "" when it says the name is no framework."""
        parts = target.split(".")
        for end in range(len(parts), 0, -1):
            label = self.frameworks.get(".".join(parts[:end]))
            if label is not None:
                return label
        return None

    def import_signal(self, target: str) -> ImportSignal | None:
        """The signal of an imported dotted name: the longest table name that is it or a
        prefix of it by whole segments."""
        by_name = self.imports_by_name
        parts = target.split(".")
        for end in range(len(parts), 0, -1):
            signal = by_name.get(".".join(parts[:end]))
            if signal is not None:
                return signal
        return None


@cache
def load_test_signals() -> SuiteSignals:
    raw = _read("test_signals.toml")
    folders = {str(k): _kind(v, f"test_signals.toml: folder {k}")
               for k, v in raw["folders"].items()}
    markers = {str(k): _kind(v, f"test_signals.toml: marker {k}")
               for k, v in raw["markers"].items()}
    fixtures = {str(k): _kind(v, f"test_signals.toml: fixture {k}")
                for k, v in raw["fixtures"].items()}
    imports = tuple(
        ImportSignal(str(row["name"]), _kind(row["kind"], f"test_signals.toml: {row['name']}"),
                     str(row["label"]))
        for row in raw["import"])
    benchmark = raw["benchmark"]
    return SuiteSignals(
        folders=folders,
        markers=markers,
        fixtures=fixtures,
        imports=imports,
        property_decorators=frozenset(raw["property"]["decorators"]),
        property_imports=frozenset(raw["property"]["imports"]),
        benchmark_fixtures=tuple(benchmark["fixtures"]),
        benchmark_plugins=tuple(benchmark["fixture_plugins"]),
        asv_prefixes=tuple(benchmark["asv_prefixes"]),
        asv_config=tuple(benchmark["asv_config"]),
        load_files=tuple(benchmark["load_files"]),
        test_case_bases=frozenset(raw["test_cases"]["bases"]),
        frameworks={str(k): str(v) for k, v in raw["frameworks"].items()},
    )


@cache
def load_distribution_aliases() -> dict[str, str]:
    """Normalised alias distribution -> the library-table distribution it stands for."""
    raw = _read("distribution_aliases.toml")
    return {normalize(str(alias)): str(target) for alias, target in raw["aliases"].items()}
