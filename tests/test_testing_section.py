"""The Testing Strategy section."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers import testing
from syspatterns.core.evidence import Finding, Section
from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]

PROJECT = {
    "pyproject.toml": """
        [project]
        name = "app"
        dependencies = []
        [project.optional-dependencies]
        test = ["pytest", "pytest-benchmark", "hypothesis"]
        [tool.pytest.ini_options]
        markers = ["integration: needs the database"]
        [tool.coverage.report]
        fail_under = 85
    """,
    "app/__init__.py": "",
    "tests/unit/test_a.py": """
        from hypothesis import given, strategies as st
        def test_one(): pass
        @given(st.integers())
        def test_two(x): pass
    """,
    "tests/test_db.py": "import pytest\n@pytest.mark.integration\ndef test_db(): pass\n",
    "tests/test_speed.py": "def test_fast(benchmark): pass\n",
    "tests/test_misc.py": "def test_misc(): pass\n",
    ".github/workflows/ci.yml": """
        on: push
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: pytest -q
    """,
}


def section(model: SystemModel) -> Section:
    return testing.TestingAnalyser().analyse(model)


def of(found: Section, aspect: str) -> list[Finding]:
    return [f for f in found.findings if f.aspect == aspect]


def test_the_four_kinds_come_in_the_template_order(analyse_repo: Analyse) -> None:
    found = section(analyse_repo(PROJECT))
    aspects = list(dict.fromkeys(f.aspect for f in found.findings))
    assert aspects == ["Unit testing", "Integration testing", "End-to-end testing",
                       "Performance testing", "Coverage", "In CI"]


def test_kinds_with_counts_locations_and_reasons(analyse_repo: Analyse) -> None:
    found = section(analyse_repo(PROJECT))
    unit = [f.claim for f in of(found, "Unit testing")]
    assert unit[0] == "2 tests in 1 file, by folder `tests/unit/`."
    assert unit[1] == ("1 test in 1 file has no integration, end-to-end or performance signal "
                       "and is counted here by elimination; in `tests/` (1).")
    assert "Of these, 1 property-based (hypothesis `@given`) in 1 file." in unit
    (integration, *_) = of(found, "Integration testing")
    assert integration.claim == "1 test in 1 file, by marker `integration`; in `tests/` (1)."
    assert [str(e) for e in integration.evidence] == ["tests/test_db.py:3"]
    (performance, *_) = of(found, "Performance testing")
    assert performance.claim.startswith("1 test in 1 file, by the `benchmark` fixture")


def test_kinds_without_tests_say_what_was_looked_for(analyse_repo: Analyse) -> None:
    (e2e,) = of(section(analyse_repo(PROJECT)), "End-to-end testing")
    assert e2e.claim.startswith("none found: looked for folders such as `e2e/`")
    assert e2e.evidence == ()


def test_coverage_threshold_and_ci(analyse_repo: Analyse) -> None:
    found = section(analyse_repo(PROJECT))
    (coverage,) = of(found, "Coverage")
    assert coverage.claim == ("threshold: a coverage run fails below 85 % (`fail_under` in "
                              "`pyproject.toml`).")
    assert [str(e) for e in coverage.evidence] == ["pyproject.toml:9"]
    (ci,) = of(found, "In CI")
    assert ci.claim.startswith("`.github/workflows/ci.yml` (GitHub Actions), job `test` runs "
                               "`pytest -q`")


def test_a_threshold_on_a_command_line_or_in_a_script_the_ci_runs(
        analyse_repo: Analyse) -> None:
    found = section(analyse_repo({
        "app.py": "x = 1\n",
        ".github/workflows/ci.yml": """
            on: push
            jobs:
              test:
                steps:
                  - run: pytest --cov=app --cov-fail-under 80
                  - run: scripts/coverage
                  - run: echo "coverage is checked elsewhere"
        """,
        "scripts/coverage": "#!/bin/sh -e\n\ncoverage report --show-missing --fail-under=100\n",
    }))
    assert [(f.claim, [str(e) for e in f.evidence]) for f in of(found, "Coverage")] == [
        ("threshold: a coverage run fails below 80 % (`--fail-under` on a command in "
         "`.github/workflows/ci.yml`).", [".github/workflows/ci.yml:5"]),
        ("threshold: a coverage run fails below 100 % (`--fail-under` on a command in "
         "`scripts/coverage`).", ["scripts/coverage:3"]),
    ]


def test_behaviour_driven_scenarios_are_end_to_end(analyse_repo: Analyse) -> None:
    found = section(analyse_repo({
        "app.py": "x = 1\n",
        "features/login.feature": "Feature: login\n\n  Scenario: a user logs in\n"
                                  "    Given a user\n\n  Scenario Outline: bad input\n"
                                  "    Given <input>\n",
        "features/empty.feature": "Feature: nothing yet\n",
        "features/steps/login.py": "from behave import given\n@given('a user')\n"
                                   "def step(context):\n    pass\n",
        "docs/notes.md": "Scenario: not a feature file\n",
    }))
    (e2e,) = of(found, "End-to-end testing")
    assert e2e.claim == ("2 behaviour-driven scenarios in 1 `.feature` file (`features/`), "
                         "run with `behave`.")
    assert [str(e) for e in e2e.evidence] == ["features/login.feature:3",
                                              "features/login.feature:6"]


def test_no_tests_and_no_coverage(analyse_repo: Analyse) -> None:
    found = section(analyse_repo({"app.py": "x = 1\n"}))
    (overview,) = found.summary
    assert overview.claim.startswith("No tests found: the scan classified no file as a test")
    assert of(found, "Unit testing")[0].claim.startswith("none found")
    assert of(found, "Coverage")[0].claim.startswith("No coverage configuration found")
    assert of(found, "In CI")[0].claim.startswith("No CI or automation step")


def test_front_end_test_tools(analyse_repo: Analyse) -> None:
    found = section(analyse_repo({
        "app.py": "x = 1\n",
        "web/package.json": '{"scripts": {"e2e": "cypress run"},\n'
                            ' "devDependencies": {"cypress": "^13"}}\n',
    }))
    (e2e,) = of(found, "End-to-end testing")
    assert e2e.claim == ("Front end: `cypress ^13` declared in `web/package.json`; scripts: "
                         "`e2e: cypress run`.")
    assert [str(e) for e in e2e.evidence] == ["web/package.json:2", "web/package.json:1"]
