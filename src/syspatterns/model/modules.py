"""Which module name each Python file has.

A file inside a chain of folders with ``__init__.py`` gets its dotted name from the top of that
chain, whose parent is its source root (``src/pkg/a.py`` is ``pkg.a``, ``backend/app/main.py``
is ``app.main``); as in grimp, a folder without ``__init__.py`` inside a package is not part of
it. Folders without ``__init__.py`` above any package are namespace packages when the code
imports them by name: if ``from app.core import config`` appears and ``backend/app/core/config.py``
exists with no ``__init__.py`` files, the file is ``app.core.config``. Any other file is a
top-level module named by its stem in its own folder (a script). Scripts whose names collide
are named by their dotted path from the repository root instead, so every name is unique.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import NamedTuple


class Module(NamedTuple):
    """A Python module of the repository."""

    name: str
    path: str
    is_package: bool
    root: str  # source root folder, "" for the repository root
    is_test: bool

    @property
    def package(self) -> str:
        """The package a relative import in this module starts from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


def _parents(folder: str) -> Iterable[str]:
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def find_modules(python_paths: Iterable[tuple[str, bool]],
                 imported_pairs: set[tuple[str, str]]) -> dict[str, Module]:
    """``name -> Module`` for files given as ``(path, is_test)``.

    ``imported_pairs`` holds the first two segments of every absolute import in the repository
    (``("app", "core")`` for ``from app.core import config``): a folder ``app`` without
    ``__init__.py`` is a namespace package when the code imports one of its children that way.
    """
    files = [(p, t) for p, t in python_paths if PurePosixPath(p).name.count(".") == 1]
    package_dirs = {
        p.rpartition("/")[0] for p, _ in files if p.endswith("/__init__.py") or p == "__init__.py"
    }
    package_dirs.discard("")
    children: dict[str, set[str]] = {}
    for path, _ in files:
        parts = path[:-3].split("/")
        for depth in range(1, len(parts)):
            children.setdefault("/".join(parts[:depth]), set()).add(parts[depth])

    def imported_as_namespace(folder: str) -> bool:
        name = folder.rpartition("/")[2]
        return any((name, child) in imported_pairs for child in children.get(folder, ()))

    placed: list[tuple[str, str, str, bool, bool]] = []  # name, path, root, is_package, is_test
    for path, is_test in files:
        folder = path.rpartition("/")[0]
        top = ""
        for parent in _parents(folder):
            if parent in package_dirs:
                top = parent
            else:
                break
        # A namespace package: the highest folder above that the code imports by name. A
        # folder without ``__init__.py`` inside a regular package is not part of it (as in
        # grimp): its files are loose scripts.
        search_from = top.rpartition("/")[0] if top else folder
        if top or not any(parent in package_dirs for parent in _parents(folder)):
            for parent in _parents(search_from):
                if parent in package_dirs:
                    break
                if imported_as_namespace(parent):
                    top = parent
        stem = PurePosixPath(path).stem
        is_package = stem == "__init__"
        if top:
            root = top.rpartition("/")[0]
            relative = path[len(root) + 1:] if root else path
            parts = relative[:-3].split("/")
            if is_package:
                parts.pop()
            name = ".".join(parts)
        else:
            root, name = folder, stem
            if is_package:  # an __init__.py directly at the repository root
                continue
        placed.append((name, path, root, is_package, is_test))
    counts = Counter(name for name, *_ in placed)
    modules: dict[str, Module] = {}
    for name, path, root, is_package, is_test in sorted(placed, key=lambda m: m[1]):
        if counts[name] > 1 or name in modules:
            name = path[:-3].replace("/", ".")
        if name in modules:
            continue
        modules[name] = Module(name, path, is_package, root, is_test)
    return modules
