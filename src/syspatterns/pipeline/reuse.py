"""Early cutoff: a stored rendering still holds when everything its analysis read is the same.

When files changed since the last run, their facts are extracted again (cheap for a few
files). The later stages see a Python source or test module only through its facts, and
through the files whose text or size they read (:attr:`SystemModel.reads`); every other file
through its size and modification time, and the git history through the checked-out commit.
When all of those equal what a stored rendering was made from, the rendering is the same, so
the model and the analysers are not run again: a comment or a blank line added to a module
changes its bytes, not its facts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Protocol

from syspatterns.extract.cache import CACHE_VERSION
from syspatterns.scan.classify import MODULE_KINDS

if TYPE_CHECKING:
    from syspatterns.extract.runner import Extraction
    from syspatterns.model import SystemModel
    from syspatterns.scan import ScanResult

BLOB_PREFIX = "run:"


class BlobStore(Protocol):
    def get_blob(self, key: str) -> bytes | None: ...

    def put_blob(self, key: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class StoredRun:
    """A rendering with what it was made from."""

    inputs: str  # :func:`inputs_key` of the run
    reads: dict[str, str]  # fact-known file read as text -> digest of its bytes
    summary: str
    text: str

    def holds_for(self, inputs: str, extraction: Extraction) -> bool:
        """Whether this rendering is what an analysis of ``inputs`` would produce."""
        return self.inputs == inputs and all(
            extraction.digests.get(path, ("",))[0] == digest
            for path, digest in self.reads.items())


def scan_digest(scan: ScanResult, options: tuple[str, ...], ignore: str,
                state_of: Callable[[str, int, int], str]) -> str:
    """A digest of the tool's version, the scan (its source, the commit checked out, each
    file's path and ``state_of(path, size, mtime_ns)``, its notes, the vendored folders it
    skipped) and ``options``; the file ``ignore`` (the document being written) is left
    out."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{CACHE_VERSION}\0{scan.source}\0{scan.head}\0{chr(0).join(options)}\n"
                  .encode())
    for path, size, mtime_ns in scan.listing:
        if path != ignore:
            digest.update(f"{path}\0{state_of(path, size, mtime_ns)}\n".encode(
                "utf-8", "surrogateescape"))
    for note in scan.notes:
        digest.update(f"{note.path}\0{note.reason}\n".encode("utf-8", "surrogateescape"))
    for folder in scan.vendored:
        digest.update(f"{folder}\0vendored\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def inputs_key(scan: ScanResult, extraction: Extraction, options: tuple[str, ...],
               ignore: str = "") -> str:
    """A digest of what the model and the analysers see, bar the texts they read: the facts
    of each Python module, the size and modification time of every other file, the scan's
    notes, the commit checked out and the rendering options."""
    modules = {f.path for f in scan.files if f.kind in MODULE_KINDS}

    def state_of(path: str, size: int, mtime_ns: int) -> str:
        known = extraction.digests.get(path) if path in modules else None
        return f"facts {known[1]}" if known else f"{size}\0{mtime_ns}"

    return scan_digest(scan, options, ignore, state_of)


def reads_of(model: SystemModel, extraction: Extraction) -> dict[str, str]:
    """The fact-known files whose text or size the analysis read, with their digests (the
    other files it read are in :func:`inputs_key` already)."""
    kinds = {f.path: f.kind for f in model.scan.files}
    return {path: extraction.digests[path][0] for path in sorted(model.reads)
            if kinds.get(path) in MODULE_KINDS and path in extraction.digests}


def _blob_key(options: tuple[str, ...]) -> str:
    key = hashlib.blake2b("\0".join(options).encode(), digest_size=12).hexdigest()
    return BLOB_PREFIX + key


def load_run(store: BlobStore, options: tuple[str, ...]) -> StoredRun | None:
    """The last run stored with these rendering options, if any."""
    data = store.get_blob(_blob_key(options))
    if data is None:
        return None
    try:
        return StoredRun(**json.loads(data))
    except (ValueError, TypeError):
        return None


def save_run(store: BlobStore, options: tuple[str, ...], run: StoredRun) -> None:
    store.put_blob(_blob_key(options), json.dumps(asdict(run)).encode())
