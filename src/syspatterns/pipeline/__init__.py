"""The pipeline in one place: scan -> extract -> model -> analyse -> render.

:func:`run_analysis` returns the model and sections for callers that want them;
:func:`generate_text` renders them, and on a repository whose files are all unchanged since a
previous run (same paths, sizes and modification times) returns the stored rendering without
importing or running the later stages at all. When files changed but their facts did not (a
comment, a blank line), the last rendering is reused after extraction
(:mod:`~syspatterns.pipeline.reuse`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from syspatterns.core.collector import collector_paused
from syspatterns.extract.cache import CacheUnavailable, FactCache
from syspatterns.pipeline.reuse import (
    StoredRun,
    inputs_key,
    load_run,
    reads_of,
    save_run,
    scan_digest,
)
from syspatterns.scan import ScanResult, scan_repository

if TYPE_CHECKING:
    from syspatterns.core.evidence import Section
    from syspatterns.extract.runner import Extraction
    from syspatterns.model import SystemModel

CACHE_FOLDER = ".syspatterns"
Progress = Callable[[str], None]


@dataclass
class RunStats:
    """What a run did, for progress and ``-v`` output (never part of the document)."""

    seconds: dict[str, float] = field(default_factory=dict)
    parsed: int = 0
    cached: int = 0
    cache_warning: str = ""


@dataclass
class Analysis:
    model: SystemModel
    sections: list[Section]
    stats: RunStats


@dataclass
class Generated:
    text: str
    summary: str  # one line: what the document covers
    stats: RunStats
    reused: bool  # the stored rendering of an unchanged repository


def cache_folder(root: Path, cache_dir: Path | None) -> Path:
    """``.syspatterns/`` in the repository, or a per-repository folder under ``cache_dir``."""
    if cache_dir is None:
        return root / CACHE_FOLDER
    key = hashlib.blake2b(str(root).encode(), digest_size=6).hexdigest()
    return cache_dir / f"{root.name}-{key}"


def _open_cache(root: Path, cache_dir: Path | None, stats: RunStats,
                say: Progress) -> FactCache | None:
    try:
        return FactCache(cache_folder(root, cache_dir))
    except CacheUnavailable as error:
        stats.cache_warning = f"{error}; running without a cache"
        say(stats.cache_warning)
        return None


def _scan(root: Path, stats: RunStats, say: Progress) -> ScanResult:
    started = time.perf_counter()
    scan = scan_repository(root)
    stats.seconds["scan"] = time.perf_counter() - started
    python_count = sum(path.endswith(".py") for path, _, _ in scan.listing)
    say(f"Scanned {len(scan.listing):,} files ({python_count:,} Python) with {scan.source}")
    return scan


def _prepare_analysis(cache: FactCache | None) -> None:
    """Import the later stages and load the knowledge tables: work for this process while
    worker processes parse, which :func:`_analyse` then finds done."""
    import syspatterns.analysers
    import syspatterns.model
    import syspatterns.render  # noqa: F401
    from syspatterns.knowledge import load_knowledge

    load_knowledge(cache)


def _extract(scan: ScanResult, cache: FactCache | None, jobs: int | None, stats: RunStats,
             say: Progress) -> Extraction:
    from syspatterns.extract.runner import extract_all

    mark = time.perf_counter()
    try:
        extraction = extract_all(
            scan, cache, jobs,
            progress=lambda done, total: say(f"Extracting facts: {done:,}/{total:,} files"),
            meanwhile=lambda: _prepare_analysis(cache))
    except CacheUnavailable as error:  # the cache could not be read: nothing was parsed yet
        stats.cache_warning = f"{error}; running without it"
        say(stats.cache_warning)
        extraction = extract_all(scan, None, jobs)
    if extraction.cache_error:
        stats.cache_warning = f"{extraction.cache_error}; the cache was not updated"
        say(stats.cache_warning)
    stats.seconds["extract"] = time.perf_counter() - mark
    stats.parsed, stats.cached = extraction.parsed, extraction.cached
    say(f"Extracted facts from {len(extraction.raw):,} files "
        f"({extraction.parsed:,} parsed, {extraction.cached:,} from the cache)")
    return extraction


def _analyse(scan: ScanResult, extraction: Extraction, cache: FactCache | None,
             jobs: int | None, stats: RunStats) -> Analysis:
    # Imported here so that reusing a stored rendering never loads the analysis stages.
    from syspatterns.analysers import analyse
    from syspatterns.knowledge import load_knowledge
    from syspatterns.model import build_model

    with collector_paused():
        mark = time.perf_counter()
        model = build_model(scan, extraction, load_knowledge(cache))
        stats.seconds["model"] = time.perf_counter() - mark
        mark = time.perf_counter()
        # The cache's log is moved into its database while the sections are analysed.
        sections = analyse(model, jobs or os.cpu_count() or 1,
                           meanwhile=cache.checkpoint if cache else None)
        stats.seconds["analyse"] = time.perf_counter() - mark
    return Analysis(model, sections, stats)


def run_analysis(root: Path, *, jobs: int | None = None, use_cache: bool = True,
                 cache_dir: Path | None = None, progress: Progress | None = None) -> Analysis:
    """Analyse the repository at ``root`` (an existing directory)."""
    stats = RunStats()
    say = progress or (lambda _message: None)
    scan = _scan(root, stats, say)
    cache = _open_cache(root, cache_dir, stats, say) if use_cache else None
    try:
        return _analyse(scan, _extract(scan, cache, jobs, stats, say), cache, jobs, stats)
    finally:
        if cache:
            cache.close()


def fingerprint(scan: ScanResult, *options: str, ignore: str = "") -> str:
    """A key that changes whenever any file is added, removed or modified, or the tool's
    version or the rendering options change. ``ignore`` is the document being written: its
    own modification must not invalidate the next run."""
    return scan_digest(scan, options, ignore, lambda _path, size, mtime_ns: f"{size}\0{mtime_ns}")


def _remember(cache: FactCache, key: str, run: StoredRun, stats: RunStats) -> None:
    """Store the rendering under the file-state ``key``: the next run on the same files
    reuses it after a scan alone."""
    try:
        cache.store_result(key, run.summary, run.text)
    except CacheUnavailable as error:
        stats.cache_warning = str(error)


def summarize(model: SystemModel) -> str:
    components = sum(c.is_code for c in model.components)
    passed = len(model.notes)
    return (f"{len(model.modules):,} modules, {components} components, "
            f"{passed} file{'' if passed == 1 else 's'} passed over")


def generate_text(root: Path, *, output_format: str, link_prefix: str = "",
                  jobs: int | None = None, use_cache: bool = True,
                  cache_dir: Path | None = None, progress: Progress | None = None,
                  output: Path | None = None) -> Generated:
    """The rendered document (``markdown`` or ``json``) for the repository at ``root``;
    ``output`` is where it will be written (left out of the change detection)."""
    stats = RunStats()
    say = progress or (lambda _message: None)
    scan = _scan(root, stats, say)
    cache = _open_cache(root, cache_dir, stats, say) if use_cache else None
    try:
        ignore = ""
        if output is not None and output.is_relative_to(root):
            ignore = output.relative_to(root).as_posix()
        key = fingerprint(scan, output_format, link_prefix, ignore=ignore)
        stored = cache.result(key) if cache else None
        if stored is not None:
            say("No file changed since the last run: reusing its result")
            return Generated(stored[1], stored[0], stats, reused=True)
        extraction = _extract(scan, cache, jobs, stats, say)
        options = (output_format, link_prefix, ignore)
        inputs = inputs_key(scan, extraction, options, ignore)
        previous = load_run(cache, options) if cache else None
        if cache and previous and previous.holds_for(inputs, extraction):
            say("The changed files hold the same facts as before: reusing the last result")
            _remember(cache, key, previous, stats)
            return Generated(previous.text, previous.summary, stats, reused=True)
        analysis = _analyse(scan, extraction, cache, jobs, stats)
        from syspatterns.render import render_json, render_markdown

        mark = time.perf_counter()
        if output_format == "json":
            text = render_json(analysis.model, analysis.sections)
        else:
            text = render_markdown(analysis.model, analysis.sections, link_prefix=link_prefix)
        stats.seconds["render"] = time.perf_counter() - mark
        summary = summarize(analysis.model)
        if cache:
            run = StoredRun(inputs, reads_of(analysis.model, extraction), summary, text)
            save_run(cache, options, run)
            _remember(cache, key, run, stats)
        return Generated(text, summary, stats, reused=False)
    finally:
        if cache:
            cache.close()
