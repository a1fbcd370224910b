"""Which files a repository has: git's list in a checkout, else a walk honouring .gitignore.

Virtual environments, dependency and build folders, caches and vendored code are skipped in
both cases, as is anything that cannot be read as a regular file (each such file is noted).
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Any, NamedTuple

from syspatterns.core.evidence import Note
from syspatterns.scan.classify import classify

# Where builds put their output. A Python package of that name (a folder with an
# ``__init__.py``, such as ``pip/_internal/operations/build/``) is source, and kept.
OUTPUT_DIRS = frozenset({"build", "dist"})
# Where repositories keep copies of other projects' code.
VENDORED_DIRS = frozenset({"vendor", "vendored", "_vendor", "third_party", "third-party"})
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".syspatterns", "__pycache__", "node_modules", "site-packages", ".eggs",
    *OUTPUT_DIRS, *VENDORED_DIRS, "bower_components", ".idea", ".vscode", "htmlcov",
    # Documents about the code (syspatterns' own output among them) are not the code.
    "memory-bank", "memory_bank",
})
# Hidden folders are skipped, except those that hold CI and deployment configuration.
KEPT_HIDDEN_DIRS = frozenset({".github", ".gitlab", ".circleci", ".buildkite", ".devcontainer"})


class ScannedFile(NamedTuple):
    """A regular file of the repository."""

    path: str  # POSIX, relative to the repository root
    kind: str
    size: int
    mtime_ns: int


@dataclass
class ScanResult:
    """The files of a repository and what the scan passed over.

    ``listing`` holds ``(path, size, mtime_ns)`` in path order; the files are classified only
    when :attr:`files` is first read, so that a run that finds nothing changed never does."""

    root: Path
    listing: list[tuple[str, int, int]]
    notes: list[Note] = field(default_factory=list)
    source: str = "walk"  # "git" or "walk"
    head: str = ""  # the checked-out commit of a git checkout ("" before the first commit)
    # Folders skipped as copies of other projects' code (see VENDORED_DIRS), outermost only.
    vendored: list[str] = field(default_factory=list)

    @cached_property
    def files(self) -> list[ScannedFile]:
        return [ScannedFile(path, classify(path), size, mtime)
                for path, size, mtime in self.listing]

    def of_kind(self, *kinds: str) -> list[ScannedFile]:
        return [f for f in self.files if f.kind in kinds]


def _skipped_dir(name: str, is_package: Callable[[], bool]) -> bool:
    """Whether the folder ``name`` is skipped; ``is_package`` tells whether it holds an
    ``__init__.py`` (asked only for the names in :data:`OUTPUT_DIRS`)."""
    if name in SKIPPED_DIRS:
        return name not in OUTPUT_DIRS or not is_package()
    if name.endswith(".egg-info"):
        return True
    return name.startswith(".") and name not in KEPT_HIDDEN_DIRS


def _git_paths(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or ``None`` outside a git checkout and
    where git lists nothing: a folder the enclosing checkout ignores (a downloaded source
    tree inside a project) is walked like a plain folder."""
    if not (root / ".git").exists() and not _inside_git(root):
        return None
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"],
            capture_output=True, check=True, timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n}) or None


def _head_commit(root: Path) -> str:
    """The commit checked out at ``root``, or "" (no commit yet, or git failed)."""
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "-q", "HEAD"],
                                capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.decode("ascii", "replace").strip() if result.returncode == 0 else ""


def _inside_git(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and result.stdout.strip() == b"true"


def _walk_files(root: Path, notes: list[Note],
                vendored: list[str]) -> list[tuple[str, int, int]]:
    """``(path, size, mtime_ns)`` of every file below ``root``, honouring nested .gitignore
    files. Symlinked folders are not followed, so link loops cannot trap the walk, and virtual
    environments (folders with a ``pyvenv.cfg``) are left out. One ``scandir`` pass: each
    file is stat-ed once, and .gitignore matching is loaded only where there is one."""
    specs: list[tuple[str, Any]] = []  # (folder, pathspec.GitIgnoreSpec)
    found: list[tuple[str, int, int]] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        for base, spec in specs:
            if base and not rel.startswith(base + "/"):
                continue
            local = rel[len(base) + 1:] if base else rel
            if spec.match_file(local + "/" if is_dir else local):
                return True
        return False

    pending = [("", str(root))]
    while pending:
        rel_dir, full_dir = pending.pop()
        try:
            with os.scandir(full_dir) as listing:
                entries = list(listing)
        except OSError as error:
            notes.append(Note(rel_dir or ".", f"unreadable folder: {error.strerror}"))
            continue
        names = {entry.name for entry in entries}
        if rel_dir and "pyvenv.cfg" in names:
            continue
        if ".gitignore" in names:
            import pathspec  # only where a walk meets a .gitignore

            try:
                lines = Path(full_dir, ".gitignore").read_text("utf-8", "replace").splitlines()
                specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in entries:
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if _skipped_dir(entry.name, partial(_holds_init, entry.path)):
                    if entry.name in VENDORED_DIRS and not (specs and ignored(rel, True)):
                        vendored.append(rel)
                elif not (specs and ignored(rel, True)):
                    pending.append((rel, entry.path))
                continue
            if specs and ignored(rel, False):
                continue
            info = _stat(entry.path, rel, notes)
            if info is not None:
                found.append((rel, info.st_size, info.st_mtime_ns))
    found.sort()
    return found


def _holds_init(folder: str) -> bool:
    """Whether ``folder`` is a Python package (holds an ``__init__.py``)."""
    return os.path.isfile(os.path.join(folder, "__init__.py"))


def _is_utf8(path: str) -> bool:
    """Whether a name read from the file system (undecodable bytes kept as surrogates) is
    valid UTF-8, as every path in the document and the cache must be."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _stat(full: str, rel: str, notes: list[Note]) -> os.stat_result | None:
    """The file's status following links, or ``None`` (noted) when it cannot be had; ``None``
    without a note for anything that is not a regular file."""
    try:
        info = os.stat(full)
    except FileNotFoundError:
        if os.path.islink(full):
            notes.append(Note(rel, "skipped: broken symbolic link"))
        return None  # also: tracked by git but deleted in the work tree
    except OSError as error:
        reason = "symbolic link loop" if error.errno == errno.ELOOP else error.strerror
        notes.append(Note(rel, f"skipped: {reason}"))
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _stat_listed(root: Path, paths: list[str], notes: list[Note],
                 vendored: list[str]) -> list[tuple[str, int, int]]:
    """``(path, size, mtime_ns)`` for git's list, minus skipped folders and virtualenvs."""
    found: list[tuple[str, int, int]] = []
    venv_dirs: dict[str, bool] = {}
    skipped_dirs: dict[str, bool] = {}
    packages = {p[:-len("/__init__.py")] for p in paths if p.endswith("/__init__.py")}
    top = str(root)
    for rel in paths:
        folder = rel.rpartition("/")[0]
        if folder:
            skipped = skipped_dirs.get(folder)
            if skipped is None:
                skipped_at = _first_skipped(folder, packages)
                skipped = skipped_dirs[folder] = skipped_at is not None
                if skipped_at is not None and skipped_at.rpartition("/")[2] in VENDORED_DIRS:
                    vendored.append(skipped_at)
            if skipped or _in_virtualenv(root, rel.split("/"), venv_dirs):
                continue
        info = _stat(os.path.join(top, rel), rel, notes)
        if info is not None:
            found.append((rel, info.st_size, info.st_mtime_ns))
    return found


def scan_repository(root: Path) -> ScanResult:
    """List and classify the files of the repository at ``root``."""
    notes: list[Note] = []
    vendored: list[str] = []
    git_paths = _git_paths(root)
    found = (_walk_files(root, notes, vendored) if git_paths is None
             else _stat_listed(root, git_paths, notes, vendored))
    listing = []
    for rel, size, mtime in found:
        if not _is_utf8(rel):
            shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            notes.append(Note(shown, "skipped: the file name is not valid UTF-8"))
            continue
        listing.append((rel, size, mtime))
    notes.sort()
    vendored = sorted(set(vendored))
    if git_paths is None:
        return ScanResult(root, listing, notes, "walk", vendored=vendored)
    return ScanResult(root, listing, notes, "git", _head_commit(root), vendored)


def _first_skipped(folder: str, packages: set[str]) -> str | None:
    """The outermost skipped folder on the path ``folder`` (``folder`` itself included), if
    any; ``packages`` holds the folders with an ``__init__.py``."""
    parts = folder.split("/")
    for depth, name in enumerate(parts, 1):
        path = "/".join(parts[:depth])
        if _skipped_dir(name, partial(packages.__contains__, path)):
            return path
    return None


def _in_virtualenv(root: Path, parts: list[str], known: dict[str, bool]) -> bool:
    """Whether a folder on the path holds a ``pyvenv.cfg`` (a committed virtualenv)."""
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder not in known:
            known[folder] = (root / folder / "pyvenv.cfg").is_file()
        if known[folder]:
            return True
    return False
