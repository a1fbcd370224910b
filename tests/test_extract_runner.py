"""Extracting the facts of a scan: paths stay relative to the repository, however its root
was given."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from syspatterns.extract.cache import FactCache
from syspatterns.extract.facts import FileFacts
from syspatterns.extract.runner import PARALLEL_THRESHOLD, extract_all
from syspatterns.scan import scan_repository
from tests.conftest import MakeRepo

FILES = {"pkg/__init__.py": "", "pkg/a.py": "import pkg\n", "pkg/broken.py": "def (:\n"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_relative_root_gives_the_same_paths(make_repo: MakeRepo, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    files = dict(FILES)
    if jobs > 1:  # enough files for the process pool
        files.update({f"pkg/m{i}.py": f"x = {i}\n" for i in range(PARALLEL_THRESHOLD)})
    root = make_repo(files)
    absolute = extract_all(scan_repository(root), None, jobs)
    monkeypatch.chdir(root)
    relative = extract_all(scan_repository(Path(".")), FactCache(tmp_path / "c"), jobs)
    assert sorted(relative.facts) == sorted(absolute.facts) and "pkg/a.py" in relative.facts
    assert [n.path for n in relative.notes] == ["pkg/broken.py"]
    assert relative.digests == absolute.digests


@pytest.mark.parametrize("jobs", [1, 2])
def test_work_meanwhile_runs_only_beside_worker_processes(make_repo: MakeRepo,
                                                          jobs: int) -> None:
    files = {f"pkg/m{i}.py": f"x = {i}\n" for i in range(PARALLEL_THRESHOLD)}
    root = make_repo({"pkg/__init__.py": "", **files})
    calls: list[int] = []
    extraction = extract_all(scan_repository(root), None, jobs,
                             meanwhile=lambda: calls.append(len(calls)))
    assert calls == ([0] if jobs > 1 else [])
    # Beside workers, each file's facts are decoded as they arrive; alone, when first read.
    assert sorted(extraction.decoded) == (sorted(extraction.raw) if jobs > 1 else [])
    assert len(extraction.facts) == PARALLEL_THRESHOLD + 1
    assert extraction.facts == {path: FileFacts.from_raw(marshal.loads(data))
                                for path, data in extraction.raw.items()}
