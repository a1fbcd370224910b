"""The test suite model: which tests exist, their kind and why, frameworks, configuration,
benchmarks and load tests."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.knowledge.stack_tables import TEST_KINDS, load_test_signals
from syspatterns.model import SystemModel
from syspatterns.model.testsuite import ELIMINATION, Suite, suite_of

Analyse = Callable[..., SystemModel]


def suite(analyse_repo: Analyse, files: dict[str, str | bytes]) -> Suite:
    return suite_of(analyse_repo(files))


def kinds(found: Suite) -> dict[str, tuple[str, str]]:
    return {t.name: (t.kind, t.reason) for t in found.tests}


def test_test_functions_methods_and_test_case_classes(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "tests/test_a.py": """
            import unittest
            def test_one(): pass
            def helper(): pass
            class TestThing:
                def test_two(self): pass
                def setup_method(self): pass
            class Base(unittest.TestCase):
                def test_three(self): pass
            class Derived(Base):
                def test_four(self): pass
            class NotATest:
                def test_ignored(self): pass
        """,
        "tests/conftest.py": "def test_not_collected(): pass\n",
        "tests/helpers.py": "def test_not_a_test_file(): pass\n",
    })
    assert sorted(t.name for t in found.tests) == [
        "Base.test_three", "Derived.test_four", "TestThing.test_two", "test_one"]
    assert found.test_files == ["tests/test_a.py"]
    assert found.conftests == ["tests/conftest.py"]


def test_configured_collection_rules_replace_the_defaults(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "pyproject.toml": """
            [tool.pytest.ini_options]
            python_classes = "test_*"
            python_functions = "check_*"
            python_files = "checks.py"
        """,
        "tests/checks.py": """
            class test_Worker:
                def check_start(self): pass
                def test_old(self): pass
            class TestIgnored:
                def check_x(self): pass
            def check_top(): pass
        """,
    })
    assert sorted(t.name for t in found.tests) == ["check_top", "test_Worker.check_start"]
    assert found.function_patterns == ("check_*",)
    assert "checks.py" in found.patterns


def test_kind_from_folders_markers_and_imports(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "tests/unit/test_u.py": "import pytest\n@pytest.mark.integration\ndef test_u(): pass\n",
        "tests/integration/test_i.py": "def test_i(): pass\n",
        "tests/e2e/test_e.py": "def test_e(): pass\n",
        "tests/test_marked.py": """
            import pytest
            pytestmark = [
                pytest.mark.slow,
                pytest.mark.e2e,
            ]
            def test_module_marked(): pass
        """,
        "tests/test_class_marked.py": """
            import pytest
            @pytest.mark.integration
            class TestDb:
                def test_db(self): pass
            @pytest.mark.benchmark
            def test_fast(): pass
        """,
        "tests/test_api.py": "from fastapi.testclient import TestClient\ndef test_api(): pass\n",
        "tests/test_ui.py": "from selenium import webdriver\nfrom fastapi.testclient import "
                            "TestClient\ndef test_ui(): pass\n",
        "tests/test_plain.py": "def test_plain(): pass\n",
    })
    assert kinds(found) == {
        "test_u": ("unit", "folder `tests/unit/`"),
        "test_i": ("integration", "folder `tests/integration/`"),
        "test_e": ("end-to-end", "folder `tests/e2e/`"),
        "test_module_marked": ("end-to-end", "marker `e2e`"),
        "TestDb.test_db": ("integration", "marker `integration`"),
        "test_fast": ("performance", "marker `benchmark`"),
        "test_api": ("integration", "imports `fastapi.testclient` (in-process HTTP test client)"),
        "test_ui": ("end-to-end", "imports `selenium` (browser driver)"),
        "test_plain": ("unit", ELIMINATION),
    }
    locations = {t.name: t.location for t in found.tests}
    assert locations["test_u"] == "tests/unit/" and locations["test_plain"] == "tests/"


def test_benchmark_fixture_counts_only_with_its_plugin(analyse_repo: Analyse) -> None:
    files: dict[str, str | bytes] = {
        "tests/test_speed.py": "def test_sort(\n    benchmark,\n):\n    benchmark(sorted, [])\n"
                               "def test_other(tmp_path): pass\n",
    }
    without = suite(analyse_repo, files)
    assert {t.kind for t in without.tests} == {"unit"}
    files["requirements-dev.txt"] = "pytest-benchmark\n"
    with_plugin = suite(analyse_repo, files)
    assert kinds(with_plugin) == {"test_sort": ("performance", "the `benchmark` fixture"),
                                  "test_other": ("unit", ELIMINATION)}


def test_property_based_tests(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"tests/test_p.py": """
        from hypothesis import given, strategies as st
        @given(st.integers())
        def test_prop(x): pass
        def test_example(): pass
    """, "tests/test_q.py": "def given(f): return f\n@given\ndef test_not_property(): pass\n"})
    assert {t.name: t.is_property for t in found.tests} == {
        "test_prop": True, "test_example": False, "test_not_property": False}


def test_frameworks_from_imports_and_configuration(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "setup.cfg": "[tool:pytest]\ntestpaths = tests\n",
        "tests/test_a.py": "from unittest import mock\ndef test_a(): pass\n",
        "tests/test_b.py": "import unittest\nclass B(unittest.TestCase):\n"
                           "    def test_b(self): pass\n",
        # through a base of its own: unittest without an import of it
        "tests/test_c.py": "from tests.base import ApiTestCase\n"
                           "class TestC(ApiTestCase):\n    def test_c(self): pass\n",
        "tests/base.py": "import unittest\nclass ApiTestCase(unittest.TestCase):\n    pass\n",
    })
    assert [(f.name, f.how) for f in found.frameworks] == [
        ("unittest", "used by 2 test files"), ("pytest", "configured")]
    assert found.frameworks_by_file == {"tests/test_b.py": ["unittest"],
                                        "tests/test_c.py": ["unittest"]}


def test_benchmarks_and_load_tests_outside_the_tests(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "asv.conf.json": "{}",
        "benchmarks/bench_parse.py": """
            def time_parse(): pass
            def setup(): pass
            class Suite:
                def peakmem_load(self): pass
        """,
        "tests/perf/locustfile.py": """
            from locust import HttpUser, task
            class Shopper(HttpUser):
                @task
                def browse(self): pass
        """,
    })
    assert [(b.tool, b.name, str(b.evidence)) for b in found.benchmarks] == [
        ("asv", "time_parse", "benchmarks/bench_parse.py:1"),
        ("asv", "Suite.peakmem_load", "benchmarks/bench_parse.py:4"),
        ("locust", "Shopper", "tests/perf/locustfile.py:2")]


def test_benchmark_scripts_without_asv(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"benchmarks/bench.py": "def main(): pass\n"
                                                        "if __name__ == '__main__':\n    main()\n",
                                 "src/app.py": "def time_it(): pass\n"})
    assert [(b.tool, b.name, str(b.evidence)) for b in found.benchmarks] == [
        ("benchmark script", "benchmarks/bench.py", "benchmarks/bench.py:2")]


def test_coverage_and_pytest_settings_from_every_file(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {
        "pyproject.toml": """
            [tool.pytest.ini_options]
            addopts = "--cov=app --cov-fail-under=90"
            markers = ["slow: slow tests"]
            [tool.coverage.run]
            branch = true
        """,
        ".coveragerc": "[run]\nsource = app\n[report]\nfail_under = 80\n",
        "tox.ini": "[tox]\nenvlist = py311\n[coverage:report]\nshow_missing = true\n",
        "tests/test_a.py": "def test_a(): pass\n",
    })
    settings = {(s.tool, s.name, s.value, str(s.evidence), s.section) for s in found.settings}
    assert settings == {
        ("pytest", "addopts", "--cov=app --cov-fail-under=90", "pyproject.toml:2",
         "tool.pytest.ini_options"),
        ("pytest", "markers", "slow: slow tests", "pyproject.toml:3", "tool.pytest.ini_options"),
        ("coverage", "branch", "true", "pyproject.toml:5", "tool.coverage.run"),
        ("coverage", "fail_under", "90", "pyproject.toml:2", "tool.pytest.ini_options"),
        ("coverage", "source", "app", ".coveragerc:2", "run"),
        ("coverage", "fail_under", "80", ".coveragerc:4", "report"),
        ("coverage", "show_missing", "true", "tox.ini:4", "coverage:report"),
    }
    fail_under = found.setting("coverage", "fail_under")
    assert fail_under is not None and fail_under.value in ("80", "90")


def test_no_settings_and_no_tests(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"app.py": "def test_like_name(): pass\n",
                                 "pyproject.toml": "[project]\nname = 'x'\n"})
    assert found.tests == [] and found.settings == [] and found.frameworks == []


def test_tests_of_examples_and_docs_are_left_out(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"examples/app/tests/test_x.py": "def test_x(): pass\n",
                                 "docs/tests/test_y.py": "def test_y(): pass\n",
                                 "tests/test_z.py": "def test_z(): pass\n"})
    assert [t.name for t in found.tests] == ["test_z"]


def test_signal_tables_match_by_whole_segments() -> None:
    signals = load_test_signals()
    assert signals.import_signal("fastapi.testclient.TestClient") is not None
    assert signals.import_signal("fastapi.testclientx") is None
    assert signals.import_signal("django.test.LiveServerTestCase") == signals.import_signal(
        "django.test.LiveServerTestCase.x")
    assert signals.framework("django.test.TestCase") == "django.test"
    assert signals.framework("unittest.mock.patch") == ""
    assert signals.framework("requests") is None
    assert set(signals.folders.values()) | set(signals.markers.values()) <= set(TEST_KINDS)


def test_framework_table_names_django_test(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"tests/test_v.py": "from django.test import TestCase\n"
                                                    "class V(TestCase):\n"
                                                    "    def test_v(self): pass\n"})
    assert [f.name for f in found.frameworks] == ["django.test"]
    assert found.frameworks_by_file == {"tests/test_v.py": ["django.test", "unittest"]}


def test_the_repository_own_modules_are_no_framework(analyse_repo: Analyse) -> None:
    found = suite(analyse_repo, {"flask/__init__.py": "", "flask/testing.py": "x = 1\n",
                                 "tests/test_f.py": "from flask.testing import x\n"
                                                    "def test_f(): pass\n"})
    assert found.frameworks == [] and found.frameworks_by_file == {}


def test_fixtures_a_test_takes_tell_its_kind(analyse_repo) -> None:  # type: ignore[no-untyped-def]
    from syspatterns.model.testsuite import build_suite

    model = analyse_repo({
        "app/__init__.py": "",
        "tests/test_views.py": """
            def test_home(client):
                assert client.get("/").status_code == 200
            def test_checkout(live_server, page):
                page.goto(live_server.url)
            def test_pure(tmp_path):
                assert tmp_path
            class TestOrders:
                def test_saved(self, db):
                    assert db
        """,
    })
    kinds = {t.name: (t.kind, t.reason) for t in build_suite(model).tests}
    assert kinds == {
        "test_home": ("integration", "fixture `client`"),
        "test_checkout": ("end-to-end", "fixture `live_server`"),
        "test_pure": ("unit", "no integration, end-to-end or performance signal"),
        "TestOrders.test_saved": ("integration", "fixture `db`"),
    }
