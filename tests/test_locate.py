"""Finding a repository's System Patterns document in the usual memory-bank folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from syspatterns.document.locate import find_documents

from .conftest import MakeRepo


@pytest.mark.parametrize("path", [
    "memory-bank/systemPatterns.md", "memory_bank/systemPatterns.md",
    "docs/memory-bank/systemPatterns.md", ".memory-bank/systemPatterns.md",
    "memory-bank/system-patterns.md", "memory_bank/SystemPatterns.md",
])
def test_each_usual_place_is_found(make_repo: MakeRepo, path: str) -> None:
    root = make_repo({path: "# x\n", "memory-bank/activeContext.md": "# y\n"})
    assert [p.relative_to(root).as_posix() for p in find_documents(root)] == [path]


def test_all_documents_are_found_in_a_fixed_order(make_repo: MakeRepo) -> None:
    root = make_repo({".memory-bank/systemPatterns.md": "a", "memory-bank/systemPatterns.md": "b",
                      "docs/memory-bank/systemPatterns.md": "c"})
    assert [p.relative_to(root).as_posix() for p in find_documents(root)] == [
        "memory-bank/systemPatterns.md", "docs/memory-bank/systemPatterns.md",
        ".memory-bank/systemPatterns.md"]


def test_the_exact_name_wins_over_variants_in_one_folder(make_repo: MakeRepo) -> None:
    root = make_repo({"memory-bank/system-patterns.md": "a", "memory-bank/systemPatterns.md": "b"})
    assert find_documents(root) == [root / "memory-bank" / "systemPatterns.md"]


def test_nothing_is_found_elsewhere(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"systemPatterns.md": "a", "notes/memory-bank/systemPatterns.md": "b",
                      "memory-bank/productContext.md": "c"})
    assert find_documents(root) == []
    assert find_documents(tmp_path / "missing") == []
