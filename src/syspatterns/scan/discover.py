"""Which files a repository has: git's list in a checkout, else a walk honouring .gitignore.

Virtual environments, dependency and build folders, caches and vendored code are skipped in
both cases, as is anything that cannot be read as a regular file (each such file is noted).
"""

from __future__ import annotations

import os
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from syspatterns.evidence import Note
from syspatterns.scan.classify import classify

SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", ".mypy_cache", ".pytest_cache",
    ".ruff_cache", ".syspatterns", "__pycache__", "node_modules", "site-packages", ".eggs",
    "build", "dist", "vendor", "vendored", "_vendor", "third_party", "third-party",
    "bower_components", ".idea", ".vscode", "htmlcov",
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
    """The files of a repository and what the scan passed over."""

    root: Path
    files: list[ScannedFile]
    notes: list[Note] = field(default_factory=list)
    source: str = "walk"  # "git" or "walk"

    def of_kind(self, *kinds: str) -> list[ScannedFile]:
        return [f for f in self.files if f.kind in kinds]


def _skipped_dir(name: str) -> bool:
    if name in SKIPPED_DIRS or name.endswith(".egg-info"):
        return True
    return name.startswith(".") and name not in KEPT_HIDDEN_DIRS


def _git_paths(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, or ``None`` outside a git checkout."""
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
    return sorted({n for n in names if n})


def _inside_git(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and result.stdout.strip() == b"true"


def _walk_paths(root: Path, notes: list[Note]) -> list[str]:
    """Every file below ``root``, honouring nested .gitignore files; symlinked folders are
    not followed, so link loops cannot trap the walk, and virtual environments (folders with
    a ``pyvenv.cfg``) are left out."""
    import pathspec  # only needed outside git checkouts

    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    found: list[str] = []

    def ignored(rel: str, is_dir: bool) -> bool:
        for base, spec in specs:
            if base and not rel.startswith(base + "/"):
                continue
            local = rel[len(base) + 1:] if base else rel
            if spec.match_file(local + "/" if is_dir else local):
                return True
        return False

    def on_error(error: OSError) -> None:
        notes.append(Note(_relative(root, error.filename), f"unreadable folder: {error.strerror}"))

    top = str(root)
    for dirpath, dirnames, filenames in os.walk(top, onerror=on_error):
        rel_dir = dirpath[len(top) + 1:].replace(os.sep, "/")
        if "pyvenv.cfg" in filenames:
            dirnames.clear()
            continue
        if ".gitignore" in filenames:
            try:
                lines = (Path(dirpath) / ".gitignore").read_text("utf-8", "replace").splitlines()
                specs.append((rel_dir, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass
        prefix = f"{rel_dir}/" if rel_dir else ""
        dirnames[:] = sorted(
            d for d in dirnames if not _skipped_dir(d) and not (specs and ignored(prefix + d, True))
        )
        if specs:
            found.extend(prefix + f for f in filenames if not ignored(prefix + f, False))
        else:
            found.extend(prefix + f for f in filenames)
    return sorted(found)


def _relative(root: Path, path: str | os.PathLike[str]) -> str:
    rel = os.path.relpath(path, root)
    return "" if rel == "." else Path(rel).as_posix()


def scan_repository(root: Path) -> ScanResult:
    """List and classify the files of the repository at ``root``."""
    notes: list[Note] = []
    git_paths = _git_paths(root)
    paths = git_paths if git_paths is not None else _walk_paths(root, notes)
    files: list[ScannedFile] = []
    venv_dirs: dict[str, bool] = {}
    skipped_dirs: dict[str, bool] = {}
    top = str(root)
    for rel in paths:
        folder, _, _ = rel.rpartition("/")
        if folder:
            skipped = skipped_dirs.get(folder)
            if skipped is None:
                skipped = skipped_dirs[folder] = any(map(_skipped_dir, folder.split("/")))
            if skipped:
                continue
            if git_paths is not None and _in_virtualenv(root, rel.split("/"), venv_dirs):
                continue
        full = os.path.join(top, rel)
        try:
            info = os.stat(full)
        except FileNotFoundError:
            if os.path.islink(full):
                notes.append(Note(rel, "skipped: broken symbolic link"))
            continue  # tracked by git but deleted in the work tree
        except OSError as error:
            reason = "symbolic link loop" if error.errno == 40 else error.strerror
            notes.append(Note(rel, f"skipped: {reason}"))
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        files.append(ScannedFile(rel, classify(rel), info.st_size, info.st_mtime_ns))
    return ScanResult(root, files, notes, "git" if git_paths is not None else "walk")


def _in_virtualenv(root: Path, parts: list[str], known: dict[str, bool]) -> bool:
    """Whether a folder on the path holds a ``pyvenv.cfg`` (a committed virtualenv)."""
    for depth in range(1, len(parts)):
        folder = "/".join(parts[:depth])
        if folder not in known:
            known[folder] = (root / folder / "pyvenv.cfg").is_file()
        if known[folder]:
            return True
    return False
