"""The analysis of one repository, kept up to date between questions.

Every question starts with a scan (file names, sizes and modification times only). When
nothing changed since the previous answer, the analysis held in memory answers again; when
something changed, the repository is analysed again, and the fact cache makes that cost a
parse of the changed files only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from syspatterns.pipeline import Analysis, fingerprint, run_analysis
from syspatterns.scan import scan_repository

T = TypeVar("T")


class RepositoryUnavailable(Exception):
    """The repository's folder is gone or cannot be read; the message says which."""


@dataclass
class Snapshot:
    """One analysis and what was derived from it (renderings), dropped together when a file
    changes."""

    key: str
    analysis: Analysis
    derived: dict[str, Any] = field(default_factory=dict)

    def memo(self, name: str, build: Callable[[Analysis], T]) -> T:
        if name not in self.derived:
            self.derived[name] = build(self.analysis)
        result: T = self.derived[name]
        return result


class LiveAnalysis:
    """The current analysis of the repository at ``root``; safe to use from several threads."""

    def __init__(self, root: Path, *, use_cache: bool = True,
                 cache_dir: Path | None = None) -> None:
        self.root = root
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.analyses = 0  # how many times the repository was analysed
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def current(self) -> Snapshot:
        """The analysis of the repository as it is now; raises
        :class:`RepositoryUnavailable`."""
        with self._lock:
            if not self.root.is_dir():
                raise RepositoryUnavailable(
                    f"the repository {self.root} no longer exists or is not a folder")
            try:
                key = fingerprint(scan_repository(self.root))
                if self._snapshot is None or self._snapshot.key != key:
                    analysis = run_analysis(self.root, use_cache=self.use_cache,
                                            cache_dir=self.cache_dir)
                    self.analyses += 1
                    # The key of the files that were analysed, in case one changed meanwhile.
                    self._snapshot = Snapshot(fingerprint(analysis.model.scan), analysis)
            except OSError as error:
                raise RepositoryUnavailable(
                    f"the repository {self.root} cannot be read: {error}") from None
            return self._snapshot
