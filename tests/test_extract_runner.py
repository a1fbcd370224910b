"""Extracting the facts of a scan: paths stay relative to the repository, however its root
was given."""

from __future__ import annotations

import marshal
import sqlite3
from pathlib import Path

import pytest

from syspatterns.extract.cache import CacheUnavailable, FactCache, FactWriter
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


@pytest.mark.parametrize("jobs", [1, 2])
def test_facts_stored_while_parsing_are_read_back_by_the_next_run(
        make_repo: MakeRepo, tmp_path: Path, jobs: int) -> None:
    files = {f"pkg/m{i}.py": f"x = {i}\n" for i in range(PARALLEL_THRESHOLD)}
    root = make_repo({"pkg/__init__.py": "", "pkg/broken.py": "def (:\n", **files})
    first = extract_all(scan_repository(root), FactCache(tmp_path / "c"), jobs)
    again = extract_all(scan_repository(root), FactCache(tmp_path / "c"), jobs)
    assert (first.parsed, first.cached) == (PARALLEL_THRESHOLD + 2, 0)
    assert (again.parsed, again.cached) == (0, PARALLEL_THRESHOLD + 2)
    assert again.facts == first.facts and again.notes == first.notes
    assert first.cache_error == again.cache_error == ""


def test_a_failed_cache_write_keeps_the_facts_and_leaves_the_cache_as_it_was(
        make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"pkg/__init__.py": "", "pkg/a.py": "import pkg\n"})
    cache = FactCache(tmp_path / "c")
    extract_all(scan_repository(root), cache, 1)
    (root / "pkg" / "b.py").write_text("import os\n")

    def full_disk(self: FactWriter) -> None:
        self._error = sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(FactWriter, "_flush", full_disk)
    failed = extract_all(scan_repository(root), cache, 1)
    assert failed.cache_error == "cache could not be written: database or disk is full"
    assert sorted(failed.facts) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]
    monkeypatch.undo()
    # The rows of the failed run were rolled back: the file table is the first run's.
    assert sorted(FactCache(tmp_path / "c").file_digests()) == ["pkg/__init__.py", "pkg/a.py"]


def test_a_checkpoint_moves_the_log_into_the_database(make_repo: MakeRepo,
                                                      tmp_path: Path) -> None:
    root = make_repo({"pkg/__init__.py": "", "pkg/a.py": "import pkg\n" * 2000})
    cache = FactCache(tmp_path / "c")
    extraction = extract_all(scan_repository(root), cache, 1)
    database = tmp_path / "c" / "facts.sqlite3"
    assert (tmp_path / "c" / "facts.sqlite3-wal").stat().st_size > 0
    before = database.stat().st_size
    cache.checkpoint()
    assert database.stat().st_size - before >= len(extraction.raw["pkg/a.py"])
    assert sorted(cache.file_digests()) == ["pkg/__init__.py", "pkg/a.py"]


def test_an_unreadable_cache_is_reported_before_anything_is_parsed(
        make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({"pkg/__init__.py": ""})
    cache = FactCache(tmp_path / "c")
    cache._db.execute("DROP TABLE files")
    with pytest.raises(CacheUnavailable, match="cache could not be read"):
        extract_all(scan_repository(root), cache, 1)


def test_a_blob_stored_while_facts_are_written_joins_their_transaction(
        tmp_path: Path) -> None:
    cache = FactCache(tmp_path / "c")
    writer = cache.writer()
    writer.add("d1", True, b"facts")
    writer._flush()
    cache.put_blob("knowledge", b"tables")  # as the knowledge tables are, while parsing
    writer._db.rollback()  # the run fails before the writer finishes
    fresh = FactCache(tmp_path / "c")
    assert fresh.facts(["d1"]) == {} and fresh.get_blob("knowledge") is None
    cache.put_blob("knowledge", b"tables")  # outside a transaction: committed at once
    assert FactCache(tmp_path / "c").get_blob("knowledge") == b"tables"
