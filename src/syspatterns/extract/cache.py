"""A content-addressed cache of extracted facts in SQLite.

Facts are keyed by the hash of a file's bytes, so a moved or reverted file is still a hit. A
second table remembers each file's size and modification time with its hash, so that a warm run
on an unchanged repository only has to ``stat`` its files. The cache is dropped whole when the
tool's version changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from syspatterns.core.version import __version__
from syspatterns.extract.facts import FACTS_VERSION


def _code_fingerprint() -> str:
    """A digest of the package's own files (names, sizes, modification times), so that a
    source checkout whose code changed without a version bump never reads stale rows."""
    digest = hashlib.blake2b(digest_size=8)
    root = Path(__file__).parents[1]  # the syspatterns package
    for folder, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.endswith((".py", ".toml", ".js", ".css")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# Cached rows are valid for one tool version, one shape of the facts and one build of the code.
CACHE_VERSION = f"{__version__}+facts{FACTS_VERSION}+{_code_fingerprint()}"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS facts (
    digest TEXT PRIMARY KEY, ok INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, summary TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
RESULTS_KEPT = 4
CACHE_FILE = "facts.sqlite3"


class CacheUnavailable(Exception):
    """The cache folder or database cannot be used; the message says why."""


class FactCache:
    """Stored facts of one repository (one cache folder per repository)."""

    def __init__(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by syspatterns: its cache is never committed.\n*\n")
            self._db = sqlite3.connect(folder / CACHE_FILE, timeout=10)
            # A cache may lose its last write on power loss, but never be corrupted; WAL with
            # NORMAL sync gives that without an fsync on every commit.
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if row is None or row[0] != CACHE_VERSION:
                with self._db:
                    self._db.execute("DELETE FROM files")
                    self._db.execute("DELETE FROM facts")
                    self._db.execute("DELETE FROM results")
                    self._db.execute("DELETE FROM blobs")
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('version', ?)", (CACHE_VERSION,))
        except (OSError, sqlite3.Error) as error:
            raise CacheUnavailable(f"cache at {folder} cannot be used: {error}") from None

    def file_digests(self) -> dict[str, tuple[int, int, str]]:
        """``path -> (size, mtime_ns, digest)`` as last seen."""
        try:
            rows = self._db.execute("SELECT path, size, mtime_ns, digest FROM files").fetchall()
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cache could not be read: {error}") from None
        return {path: (size, mtime, digest) for path, size, mtime, digest in rows}

    def facts(self, digests: Iterable[str]) -> dict[str, tuple[bool, bytes]]:
        """Stored ``digest -> (ok, data)`` for the digests that are present."""
        wanted = set(digests)
        try:
            rows = self._db.execute("SELECT digest, ok, data FROM facts").fetchall()
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cache could not be read: {error}") from None
        return {d: (bool(ok), data) for d, ok, data in rows if d in wanted}

    def writer(self) -> FactWriter:
        """A transaction that records new facts as they are extracted (see
        :class:`FactWriter`)."""
        return FactWriter(self._db)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database now, so that neither the next small
        write nor closing the cache has to; without waiting for another process that reads
        the cache (what is left, and a failure, only leave that work to them)."""
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def result(self, key: str) -> tuple[str, str] | None:
        """A stored ``(summary, text)`` rendering for ``key``, if any."""
        row = self._db.execute("SELECT summary, text FROM results WHERE key = ?", (key,))
        found = row.fetchone()
        return (found[0], found[1]) if found else None

    def store_result(self, key: str, summary: str, text: str) -> None:
        """Remember a rendering; only the few newest are kept."""
        try:
            with self._db:
                self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                                 (key, summary, text))
                self._db.execute(
                    "DELETE FROM results WHERE rowid NOT IN "
                    "(SELECT rowid FROM results ORDER BY rowid DESC LIMIT ?)", (RESULTS_KEPT,))
        except sqlite3.Error as error:
            raise CacheUnavailable(f"cache could not be written: {error}") from None

    def get_blob(self, key: str) -> bytes | None:
        row = self._db.execute("SELECT data FROM blobs WHERE key = ?", (key,)).fetchone()
        return bytes(row[0]) if row else None

    def put_blob(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``; a failed write only costs speed next time. While a
        :class:`FactWriter` is writing, the blob joins its transaction instead of committing
        the facts written so far."""
        joined = contextlib.nullcontext() if self._db.in_transaction else self._db
        with contextlib.suppress(sqlite3.Error), joined:
            self._db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (key, data))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


class FactWriter:
    """Facts written to the cache while files are still being parsed, in one transaction that
    :meth:`finish` commits with the table of files: a failed run leaves the cache as it was.
    A write error stops the writing; :meth:`finish` then reports it."""

    BATCH = 64  # facts written at a time

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._rows: list[tuple[str, bool, bytes]] = []
        self._error: sqlite3.Error | None = None

    def add(self, digest: str, ok: bool, data: bytes) -> None:
        """Record the facts (or the error text) extracted from content ``digest``."""
        if self._error is None:
            self._rows.append((digest, ok, data))
            if len(self._rows) >= self.BATCH:
                self._flush()

    def _flush(self) -> None:
        try:
            self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", self._rows)
        except sqlite3.Error as error:
            self._error = error
        self._rows = []

    def finish(self, files: Iterable[tuple[str, int, int, str]], live_digests: set[str]) -> None:
        """Record each file's digest, forget facts no file has any more, and commit; raises
        :class:`CacheUnavailable` (and writes nothing) when any write failed."""
        if self._rows:
            self._flush()
        try:
            if self._error is not None:
                raise self._error
            self._db.execute("DELETE FROM files")
            self._db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)", files)
            stale = [(d,) for (d,) in self._db.execute("SELECT digest FROM facts")
                     if d not in live_digests]
            self._db.executemany("DELETE FROM facts WHERE digest = ?", stale)
            self._db.commit()
        except sqlite3.Error as error:
            with contextlib.suppress(sqlite3.Error):
                self._db.rollback()
            raise CacheUnavailable(f"cache could not be written: {error}") from None
