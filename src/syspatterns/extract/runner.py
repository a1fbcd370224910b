"""Extract facts for every Python file of a scan: from the cache where the content is known,
else in a pool of worker processes."""

from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from syspatterns.core.collector import collector_paused
from syspatterns.core.evidence import Note
from syspatterns.extract.cache import CacheUnavailable, FactCache
from syspatterns.extract.facts import FileFacts
from syspatterns.extract.python import ExtractionError, extract_python
from syspatterns.scan import ScanResult

MAX_FILE_BYTES = 2_000_000
# Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 48

Progress = Callable[[int, int], None]
Meanwhile = Callable[[], None]
Result = tuple[str, str, bool, bytes]  # path, content digest, analysed, facts or error
Received = Callable[[Result], None]


@dataclass
class Extraction:
    """Facts per Python file, the files that could not be analysed, and what was cached.

    ``digests`` maps each Python file read to the digests of its bytes and of its extracted
    facts (or of its error): two versions of a file with equal facts digests told the later
    stages the same thing. The facts are decoded when first read: a run that finds nothing
    new in them only needs the digests."""

    raw: dict[str, bytes] = field(default_factory=dict)  # marshalled facts by path
    notes: list[Note] = field(default_factory=list)
    parsed: int = 0
    cached: int = 0
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Why the cache could not be updated ("" when it was, or when there is none).
    cache_error: str = ""
    # Facts decoded while worker processes were still parsing other files.
    decoded: dict[str, FileFacts] = field(default_factory=dict, repr=False)

    @cached_property
    def facts(self) -> dict[str, FileFacts]:
        """Facts per Python file that could be analysed, by path."""
        decoded = self.decoded
        return {path: decoded[path] if path in decoded else _decode(data)
                for path, data in self.raw.items()}


def _decode(data: bytes) -> FileFacts:
    return FileFacts.from_raw(marshal.loads(data))


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _extract_file(path: str) -> Result:
    """Worker: ``(path, digest, ok, data)``; ``data`` is marshalled facts or the error text."""
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        return path, "", False, f"unreadable: {error.strerror}".encode()
    digest = digest_of(source)
    try:
        facts = extract_python(source)
    except ExtractionError as error:
        return path, digest, False, str(error).encode()
    return path, digest, True, marshal.dumps(facts.to_raw())


def _pooled(jobs: int, files: int) -> bool:
    """Whether ``files`` are parsed by a pool of worker processes."""
    return jobs > 1 and files >= PARALLEL_THRESHOLD


def _run(paths: list[str], jobs: int, progress: Progress | None,
         meanwhile: Meanwhile | None = None, received: Received | None = None) -> list[Result]:
    """Extract ``paths`` in this process or a pool (see :func:`_pooled`), calling
    ``received`` on each result as it arrives. With a pool, this process first runs
    ``meanwhile`` while the workers parse.
    The cyclic garbage collector is off while parsing: syntax trees hold no cycles, and
    collections triggered by their many allocations (over the whole inherited heap, in
    forked workers) cost up to half the parse time."""
    total = len(paths)
    if not _pooled(jobs, total):
        results = []
        with collector_paused():
            for done, path in enumerate(paths, 1):
                result = _extract_file(path)
                results.append(result)
                if received:
                    received(result)
                if progress and done % 50 == 0:
                    progress(done, total)
        return results
    # Imported here: a warm run never starts workers and should not pay for these imports.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork starts workers in milliseconds; it is only safe on Linux.
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunksize = max(1, min(32, total // (jobs * 8)))
    results = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=gc.disable) as pool:
        pending = pool.map(_extract_file, paths, chunksize=chunksize)  # every task submitted
        if meanwhile:
            meanwhile()
        for done, result in enumerate(pending, 1):
            results.append(result)
            if received:
                received(result)
            if progress and done % 50 == 0:
                progress(done, total)
    return results


def extract_all(scan: ScanResult, cache: FactCache | None, jobs: int | None = None,
                progress: Progress | None = None,
                meanwhile: Meanwhile | None = None) -> Extraction:
    """Facts for every ``.py`` file of ``scan``, reading the cache first. ``meanwhile`` is
    work for this process while worker processes parse (run only when they do)."""
    jobs = jobs or os.cpu_count() or 1
    root = scan.root
    # A project template's files are not Python yet (``{{ cookiecutter.name }}`` in them).
    python_files = [f for f in scan.files if f.path.endswith(".py") and f.kind != "template"]
    extraction = Extraction()
    known = cache.file_digests() if cache else {}
    digests: dict[str, str] = {}
    todo: list[str] = []
    for file in python_files:
        if file.size > MAX_FILE_BYTES:
            extraction.notes.append(Note(
                file.path, f"skipped: {file.size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit"))
            continue
        seen = known.get(file.path)
        if seen and seen[0] == file.size and seen[1] == file.mtime_ns:
            digests[file.path] = seen[2]
        else:
            todo.append(file.path)
    # A file whose size or time changed may still hold known content (a checkout, a touch):
    # hashing it here is far cheaper than parsing it again.
    if cache and known:
        for path in [p for p in todo if p in known]:
            try:
                digests[path] = digest_of((root / path).read_bytes())
            except OSError:
                continue
            todo.remove(path)
    stored = cache.facts(digests.values()) if cache else {}
    results: list[Result] = []
    for path, digest in digests.items():
        hit = stored.get(digest)
        if hit is None:
            todo.append(path)
        else:
            results.append((path, digest, hit[0], hit[1]))
    extraction.cached = len(results)
    # Largest first: the last tasks handed out are small, so the workers finish together.
    files = {f.path: f for f in python_files}
    relative = {str(root / p): p for p in sorted(todo, key=lambda p: (-files[p].size, p))}

    pooled = _pooled(jobs, len(relative))
    writer = cache.writer() if cache else None

    def arrived(result: Result) -> None:
        """Decode (beside workers) and store fresh facts while other files are parsed,
        instead of afterwards."""
        path, digest, ok, data = result
        if ok and pooled:
            extraction.decoded[relative[path]] = _decode(data)
        if writer is not None and digest:
            writer.add(digest, ok, data)

    fresh = [(relative[p], d, ok, data)
             for p, d, ok, data in _run(list(relative), jobs, progress, meanwhile, arrived)]
    extraction.parsed = len(fresh)
    results.extend(fresh)
    for path, digest, ok, data in sorted(results):
        extraction.digests[path] = (digest, digest_of(data))
        if ok:
            extraction.raw[path] = data
        else:
            extraction.notes.append(Note(path, f"skipped: {data.decode()}"))
    if writer is not None:
        try:
            writer.finish(
                files=[(p, files[p].size, files[p].mtime_ns, d) for p, d, _, _ in results if d],
                live_digests={d for _, d, _, _ in results})
        except CacheUnavailable as error:
            extraction.cache_error = str(error)
    extraction.notes.sort(key=lambda n: n.path)
    return extraction
