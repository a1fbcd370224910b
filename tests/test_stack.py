"""What the system is built from: libraries in use, declared but not imported, imported but
not declared, and when each dependency entered the manifests (git history)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from syspatterns.knowledge import Knowledge
from syspatterns.knowledge.stack_tables import load_distribution_aliases
from syspatterns.model import SystemModel
from syspatterns.model.stack import LibraryUse, canonical, is_central, read_history, stack_of
from syspatterns.pipeline import run_analysis

from .conftest import MakeRepo, git

Analyse = Callable[..., SystemModel]

PYPROJECT = """
    [project]
    name = "shop"
    dependencies = [
        "fastapi>=0.110",
        "psycopg2-binary==2.9.9",
        "uvicorn",
        "backports.zoneinfo; python_version < '3.9'",
    ]
    [project.optional-dependencies]
    test = ["pytest", "types-requests"]
"""

SHOP = {
    "pyproject.toml": PYPROJECT,
    "shop/__init__.py": "",
    "shop/api.py": "from fastapi import FastAPI\nimport fastapi.responses\n",
    "shop/db.py": "import psycopg2\nfrom backports import zoneinfo\n",
    "shop/extra.py": "import requests\ntry:\n    import ujson\n"
                     "except ImportError:\n    ujson = None\n",
    "tests/test_api.py": "import pytest\nfrom fastapi.testclient import TestClient\n",
    "examples/demo/requirements.txt": "django\n",
    "examples/demo/app.py": "import django\n",
}


def library(model: SystemModel, name: str) -> LibraryUse:
    return next(lib for lib in stack_of(model).libraries if lib.distribution == name)


def test_libraries_in_use_with_category_counts_and_components(analyse_repo: Analyse) -> None:
    model = analyse_repo(SHOP)
    fastapi = library(model, "FastAPI")
    assert fastapi.category == "web-framework"
    assert fastapi.statements == {"code": 2, "test": 1}
    assert [(c.name, c.imports) for c in fastapi.components] == [("shop", 2), ("tests/", 1)]
    assert [str(r.evidence) for r in fastapi.declared] == ["pyproject.toml:4"]
    assert str(fastapi.evidence[0]) == "shop/api.py:1"
    assert stack_of(model).libraries[0].distribution == "FastAPI"  # most imported by code


def test_alias_and_namespace_distributions_match_their_imports(analyse_repo: Analyse) -> None:
    model = analyse_repo(SHOP)
    psycopg = library(model, "psycopg2")
    assert [r.name for r in psycopg.declared] == ["psycopg2-binary"]
    assert psycopg.locked is not None and psycopg.locked.version == "2.9.9"
    zoneinfo = library(model, "backports.zoneinfo")
    assert [r.markers for r in zoneinfo.declared] == ["python_version < '3.9'"]


def test_declared_not_imported_leaves_out_stubs_and_examples(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo(SHOP))
    assert [(d.name, d.groups) for d in stack.declared_not_imported] == [("uvicorn", ("",))]
    assert [d.name for d in stack.stubs_left_out] == ["types-requests"]
    assert "examples/demo/requirements.txt" not in stack.manifests


def test_imported_not_declared_leaves_out_optional_imports(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo(SHOP))
    assert [lib.distribution for lib in stack.imported_not_declared] == ["requests"]
    assert library(analyse_repo(SHOP), "ujson").optional


def test_python_prefixed_distributions_match_their_imports(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo({
        "requirements.txt": "python-etcd>=0.4\nkazoo-python\npython-other\n",
        "app/__init__.py": "import etcd\nimport kazoo\nimport consul\n",
    }))
    assert [d.name for d in stack.declared_not_imported] == ["python-other"]
    assert [lib.distribution for lib in stack.imported_not_declared] == ["consul"]
    assert {lib.distribution for lib in stack.libraries} == {"python-etcd", "kazoo-python",
                                                             "consul"}


def test_nothing_is_undeclared_without_a_manifest(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo({"app.py": "import requests\n"}))
    assert [lib.distribution for lib in stack.libraries] == ["requests"]
    assert stack.imported_not_declared == [] and stack.declared_not_imported == []


def test_front_end_packages_and_build_backend(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo({
        "pyproject.toml": "[build-system]\nrequires = ['flit_core']\n"
                          "build-backend = 'flit_core.buildapi'\n",
        "web/package.json": '{"dependencies": {"vue": "^3", "left-pad": "1"}}',
        "docs/package.json": '{"dependencies": {"react": "^18"}}',
    }))
    assert [(f.dependency.name, f.category.key) for f in stack.frontend] == [
        ("vue", "frontend-framework")]
    assert [b.backend for b in stack.build_systems] == ["flit_core.buildapi"]


def test_history_names_the_commit_that_added_each_dependency(make_repo: MakeRepo) -> None:
    root = make_repo({"pyproject.toml": '[project]\nname = "x"\ndependencies = ["click"]\n',
                      "x/__init__.py": "import click\n"}, use_git=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = [\n    "click",\n    "redis>=5",\n]\n')
    (root / "x" / "cache.py").write_text("import redis\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Cache sessions in Redis")
    model = run_analysis(root, use_cache=False, jobs=1).model
    history = read_history(model, {canonical("redis"), canonical("click"), "absent"})
    assert history.status == "read" and not history.shallow
    assert history.introductions["redis"].subject == "Cache sessions in Redis"
    assert history.introductions["redis"].path == "pyproject.toml"
    assert history.introductions["click"].subject == "initial"
    assert "absent" not in history.introductions


def test_history_of_a_subfolder_gives_paths_relative_to_it(make_repo: MakeRepo) -> None:
    outer = make_repo({"svc/pyproject.toml": '[project]\nname = "x"\ndependencies = ["click"]\n',
                       "svc/x.py": "import click\n"}, use_git=True)
    model = run_analysis(outer / "svc", use_cache=False, jobs=1).model
    introduction = read_history(model, {"click"}).introductions["click"]
    assert introduction.path == "pyproject.toml"


def test_a_shallow_clone_does_not_credit_its_oldest_commit(make_repo: MakeRepo,
                                                          tmp_path: Path) -> None:
    root = make_repo({"requirements.txt": "click\n", "a.py": "import click\n"}, use_git=True)
    (root / "requirements.txt").write_text("click\nrich\n")
    git(root, "commit", "-q", "-am", "Add rich")
    (root / "b.py").write_text("x = 1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Unrelated")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)],
                   check=True, capture_output=True)
    model = run_analysis(clone, use_cache=False, jobs=1).model
    history = read_history(model, {"click", "rich"})
    assert history.shallow
    assert "click" not in history.introductions  # shown as added by the shallow boundary
    assert "rich" not in history.introductions  # added in the boundary commit itself


def test_no_history_outside_git(analyse_repo: Analyse) -> None:
    model = analyse_repo({"requirements.txt": "click\n", "a.py": "import click\n"})
    history = read_history(model, {"click"})
    assert (history.status, history.introductions) == ("no git", {})


def test_manifests_that_speak_for_the_repository() -> None:
    assert is_central("pyproject.toml") and is_central("backend/requirements.txt")
    assert is_central("tests/requirements.txt") and is_central("tests/requirements/py3.txt")
    assert not is_central("tests/fixtures/project/requirements.txt")
    assert not is_central("examples/app/pyproject.toml")
    assert not is_central("testdata/requirements.txt")
    assert not is_central("src/pkg/test_data/sample/setup.py")
    assert not is_central("templates/{{ cookiecutter.repo_name }}/pyproject.toml")


def test_every_alias_names_a_library_of_the_tables(knowledge: Knowledge) -> None:
    aliases = load_distribution_aliases()
    assert aliases["psycopg2-binary"] == "psycopg2"
    assert all(knowledge.library_for_distribution(target) for target in aliases.values())
    assert "psycopg2" not in aliases


def test_the_repository_own_declaration_comes_first(analyse_repo: Analyse) -> None:
    model = analyse_repo({"examples/a/pyproject.toml": '[project]\ndependencies = ["click"]\n',
                          "requirements-dev.txt": "click\n", "requirements.txt": "click>=8\n",
                          "app.py": "import click\n"})
    assert [str(r.evidence) for r in library(model, "click").declared] == [
        "requirements.txt:1", "requirements-dev.txt:1", "examples/a/pyproject.toml:2"]


def test_a_variant_distribution_provides_the_same_import(analyse_repo: Analyse) -> None:
    stack = stack_of(analyse_repo({
        "requirements.txt": "unicode-slugify==0.1.3\npython-magic-bin\n",
        "app/__init__.py": "from slugify import slugify\nimport magic\n",
    }))
    assert stack.declared_not_imported == [] and stack.imported_not_declared == []
    assert {lib.distribution: [r.name for r in lib.declared] for lib in stack.libraries} == {
        "python-slugify": ["unicode-slugify"], "python-magic": ["python-magic-bin"]}
