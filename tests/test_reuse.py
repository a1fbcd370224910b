"""A stored result is reused exactly when everything its analysis read is unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from syspatterns.extract.cache import FactWriter
from syspatterns.pipeline import Generated, generate_text
from tests.conftest import MakeRepo, git, write_files

PROJECT = {
    "shop/__init__.py": '"""The shop."""\n',
    "shop/orders.py": '''
        """Orders."""
        import requests


        def fetch(url):
            return requests.get(url, timeout=5)
    ''',
    "tests/test_orders.py": '''
        import pytest

        pytestmark = [pytest.mark.integration]


        def test_fetch():
            assert True
    ''',
    "Dockerfile": "FROM python:3.12-slim\nEXPOSE 8000\n",
    "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["requests>=2"]\n',
}


def generate(root: Path, *, use_cache: bool = True) -> Generated:
    return generate_text(root, output_format="markdown", jobs=1, use_cache=use_cache)


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def assert_fresh(root: Path, generated: Generated) -> None:
    """The result equals what an analysis without any cache gives."""
    assert generated.text == generate(root, use_cache=False).text


def test_unchanged_files_reuse_the_result_after_a_scan(make_repo: MakeRepo) -> None:
    root = make_repo(PROJECT)
    first = generate(root)
    second = generate(root)
    assert not first.reused and second.reused
    assert second.text == first.text
    assert "extract" not in second.stats.seconds


def test_a_comment_changes_bytes_not_facts_and_the_result_is_reused(
        make_repo: MakeRepo) -> None:
    root = make_repo(PROJECT)
    first = generate(root)
    append(root / "shop/orders.py", "# a comment at the end\n")
    second = generate(root)
    assert second.reused
    assert second.stats.parsed == 1  # the file was read again; only the later stages were not
    assert second.text == first.text
    assert_fresh(root, second)


def test_changed_facts_are_analysed_again(make_repo: MakeRepo) -> None:
    root = make_repo(PROJECT)
    first = generate(root)
    append(root / "shop/orders.py", "\n\nimport yaml\n")
    second = generate(root)
    assert not second.reused
    assert second.text != first.text
    assert_fresh(root, second)


def test_a_module_read_as_text_is_tracked_beyond_its_facts(make_repo: MakeRepo) -> None:
    # The test suite's markers come from the test module's text, not from its facts.
    root = make_repo(PROJECT)
    first = generate(root)
    path = root / "tests/test_orders.py"
    path.write_text(path.read_text().replace("mark.integration", "mark.e2e"))
    second = generate(root)
    assert not second.reused
    assert second.text != first.text
    assert_fresh(root, second)


def test_a_non_python_file_is_analysed_again(make_repo: MakeRepo) -> None:
    root = make_repo(PROJECT)
    first = generate(root)
    write_files(root, {"Dockerfile": "FROM python:3.12-slim\nEXPOSE 9000\n"})
    second = generate(root)
    assert not second.reused
    assert "9000" in second.text and "9000" not in first.text


def test_a_new_commit_is_a_change_even_with_the_same_files(make_repo: MakeRepo) -> None:
    # The decisions section cites commits: a new commit may change it.
    root = make_repo(PROJECT, use_git=True)
    generate(root)
    assert generate(root).reused
    git(root, "commit", "-q", "--allow-empty", "-m", "empty")
    assert not generate(root).reused


def test_a_failed_cache_write_is_reported_and_the_document_still_written(
        make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo(PROJECT)

    def full_disk(self: FactWriter) -> None:
        self._error = sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FactWriter, "_flush", full_disk)
    failed = generate(root)
    assert failed.stats.cache_warning == (
        "cache could not be written: database or disk is full; the cache was not updated")
    monkeypatch.undo()
    assert failed.text == generate(root, use_cache=False).text == generate(root).text
