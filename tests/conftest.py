"""Fixture repositories are built in ``tmp_path`` from small dictionaries of files."""

from __future__ import annotations

import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from syspatterns.extract.runner import extract_all
from syspatterns.knowledge import load_knowledge
from syspatterns.model import SystemModel, build_model
from syspatterns.scan import scan_repository

MakeRepo = Callable[..., Path]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root, check=True, capture_output=True)


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo({"pkg/__init__.py": "..."}, git=True)`` -> the repository's root."""
    counter = iter(range(1000))

    def make(files: dict[str, str | bytes], *, use_git: bool = False) -> Path:
        root = tmp_path / f"repo{next(counter)}"
        root.mkdir()
        write_files(root, files)
        if use_git:
            git(root, "init", "-q")
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial")
        return root

    return make


@pytest.fixture
def analyse_repo(make_repo: MakeRepo) -> Callable[..., SystemModel]:
    """Build a repository and return its system model (no cache, no analysers)."""

    def analyse(files: dict[str, str | bytes], **kwargs: bool) -> SystemModel:
        scan = scan_repository(make_repo(files, **kwargs))
        return build_model(scan, extract_all(scan, None, jobs=1), load_knowledge())

    return analyse


@pytest.fixture(scope="session")
def knowledge():  # type: ignore[no-untyped-def]
    return load_knowledge()
