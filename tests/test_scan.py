"""File discovery and classification."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syspatterns.scan import classify, scan_repository

from .conftest import MakeRepo, write_files


@pytest.mark.parametrize(("path", "kind"), [
    ("pkg/mod.py", "python"),
    ("tests/test_api.py", "python-test"),
    ("tests/helpers/factories.py", "python-test"),
    ("src/pkg/tests/utils.py", "python-test"),
    ("pkg/test_models.py", "python-test"),
    ("pkg/models_test.py", "python-test"),
    ("conftest.py", "python-test"),
    ("tests.py", "python-test"),  # a top-level test script
    ("blog/tests.py", "python-test"),  # a Django app's tests module
    ("test/unit.py", "python-test"),
    ("pyproject.toml", "manifest"),
    ("backend/requirements-dev.txt", "manifest"),
    ("requirements/base.txt", "manifest"),
    ("setup.py", "manifest"),
    (".github/workflows/ci.yml", "ci"),
    (".gitlab-ci.yml", "ci"),
    ("tox.ini", "ci"),
    ("noxfile.py", "ci"),
    ("Dockerfile", "docker"),
    ("docker/Dockerfile.prod", "docker"),
    ("docker-compose.override.yml", "compose"),
    ("compose.yaml", "compose"),
    ("deploy/k8s/deployment.yaml", "kubernetes"),
    ("charts/app/Chart.yaml", "kubernetes"),
    ("Procfile", "deployment"),
    ("infra/main.tf", "deployment"),
    ("docs/adr/0001-use-postgres.md", "adr"),
    ("README.md", "docs"),
    (".env.example", "environment"),
    ("pkg/stubs.pyi", "python-stub"),
    ("testdata/sample_project/sample/main.py", "python-test"),
    ("src/pkg/test_data/plugin.py", "python-test"),
    ("features/steps/cluster.py", "python-test"),
    ("plugins/dbt/test/fixtures/project/macros.py", "python-test"),
    ("acceptance/features/environment.py", "python-test"),
    (".github/scripts/release_notes.py", "ci"),
    ("templates/{{ cookiecutter.repo_name }}/src/app/main.py", "template"),
    ("{{cookiecutter.project_slug}}/pyproject.toml", "template"),
])
def test_classification_table(path: str, kind: str) -> None:
    assert classify(path) == kind


@pytest.mark.parametrize(("path", "kind"), [
    ("django/test/client.py", "python"),  # a library package named test is not a test suite
    ("pkg/testing/utils.py", "python"),
    ("pkg/latest.py", "python"),
    ("pkg/contests.py", "python"),
    ("ci.yml", "config"),  # a workflow only counts under .github/workflows
    ("sub/Jenkinsfile", "other"),
    ("logo.png", "other"),
    ("docs/requirements.md", "docs"),
    ("app/features/flags.py", "python"),  # a package's features, not behave's
    ("app/management/commands/test_emails.py", "python"),  # a command, not a test
    ("app/features/steps.py", "python"),
    ("templates/index.html", "other"),
])
def test_classification_negative_cases(path: str, kind: str) -> None:
    assert classify(path) == kind


def test_walk_honours_nested_gitignore_and_skips_tool_folders(make_repo: MakeRepo) -> None:
    root = make_repo({
        ".gitignore": "*.log\n/generated/\n",
        "app/.gitignore": "secret.py\n",
        "app/__init__.py": "",
        "app/secret.py": "",
        "app/main.py": "",
        "debug.log": "",
        "generated/out.py": "",
        "node_modules/lib/index.py": "",
        "build/lib/app.py": "",
        ".venv/lib/site.py": "",
        "env/pyvenv.cfg": "home = /usr",
        "env/lib/thing.py": "",
        "pkg.egg-info/PKG-INFO": "",
        ".hidden/tool.py": "",
        ".github/workflows/ci.yml": "on: push",
    })
    result = scan_repository(root)
    assert result.source == "walk"
    assert [f.path for f in result.files] == [
        ".github/workflows/ci.yml", ".gitignore", "app/.gitignore", "app/__init__.py",
        "app/main.py",
    ]


def test_git_checkout_lists_tracked_and_untracked_but_not_ignored(make_repo: MakeRepo) -> None:
    root = make_repo({".gitignore": "ignored.py\n", "tracked.py": "", "vendor/lib.py": ""},
                     use_git=True)
    write_files(root, {"untracked.py": "", "ignored.py": ""})
    (root / "tracked.py").unlink()  # deleted in the work tree, still in the index
    result = scan_repository(root)
    assert result.source == "git"
    assert [f.path for f in result.files] == [".gitignore", "untracked.py"]


def test_a_subfolder_of_a_checkout_is_scanned_relative_to_itself(make_repo: MakeRepo) -> None:
    root = make_repo({"service/app/__init__.py": "", "other/x.py": ""}, use_git=True)
    result = scan_repository(root / "service")
    assert [f.path for f in result.files] == ["app/__init__.py"]


def test_a_folder_the_checkout_ignores_is_walked(make_repo: MakeRepo) -> None:
    root = make_repo({".gitignore": "downloads/\n", "app.py": ""}, use_git=True)
    write_files(root, {"downloads/lib/__init__.py": "", "downloads/lib/core.py": "",
                       "downloads/.gitignore": "*.pyc\n", "downloads/lib/core.pyc": ""})
    result = scan_repository(root / "downloads")
    assert result.source == "walk"
    assert [f.path for f in result.files] == [".gitignore", "lib/__init__.py", "lib/core.py"]
    assert scan_repository(root).source == "git"  # the checkout itself is still git's list


def test_symlink_loops_and_broken_links_are_noted_not_fatal(make_repo: MakeRepo) -> None:
    root = make_repo({"real.py": "x = 1\n"})
    os.symlink("loop_b.py", root / "loop_a.py")
    os.symlink("loop_a.py", root / "loop_b.py")
    os.symlink("missing.py", root / "dangling.py")
    os.symlink(".", root / "again")  # a folder link back to the root
    result = scan_repository(root)
    assert [f.path for f in result.files] == ["real.py"]
    reasons = {n.path: n.reason for n in result.notes}
    assert reasons["loop_a.py"] == "skipped: symbolic link loop"
    assert reasons["dangling.py"] == "skipped: broken symbolic link"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_unreadable_folder_is_noted(make_repo: MakeRepo) -> None:
    root = make_repo({"locked/a.py": "", "ok.py": ""})
    (root / "locked").chmod(0)
    try:
        result = scan_repository(root)
    finally:
        (root / "locked").chmod(0o755)
    assert [f.path for f in result.files] == ["ok.py"]
    assert any(n.path == "locked" for n in result.notes)


def test_empty_folder(tmp_path: Path) -> None:
    result = scan_repository(tmp_path)
    assert result.files == []
    assert result.notes == []


def test_a_file_name_that_is_not_utf8_is_noted_not_fatal(make_repo: MakeRepo) -> None:
    root = make_repo({"ok.py": "x = 1\n"})
    (root / os.fsdecode(b"caf\xe9.py")).write_text("y = 2\n")
    result = scan_repository(root)
    assert [f.path for f in result.files] == ["ok.py"]
    assert [(n.path, n.reason) for n in result.notes] == [
        ("caf\ufffd.py", "skipped: the file name is not valid UTF-8")]


BUILD_FOLDERS = {
    "build/lib/pkg/__init__.py": "",  # setuptools' output: skipped
    "dist/pkg-1.0.tar.gz": "",
    "src/pkg/__init__.py": "",
    "src/pkg/build/__init__.py": "",  # a package named build: source
    "src/pkg/build/tracker.py": "",
    "src/pkg/dist/notes.py": "",  # not a package: skipped
    "src/pkg/_vendor/__init__.py": "",  # vendored code, a package or not: skipped
    "src/pkg/_vendor/lib.py": "",
}


@pytest.mark.parametrize("use_git", [False, True])
def test_a_package_named_build_is_kept_and_build_output_skipped(make_repo: MakeRepo,
                                                                 use_git: bool) -> None:
    root = make_repo(BUILD_FOLDERS, use_git=use_git)
    assert [f.path for f in scan_repository(root).files] == [
        "src/pkg/__init__.py", "src/pkg/build/__init__.py", "src/pkg/build/tracker.py"]
