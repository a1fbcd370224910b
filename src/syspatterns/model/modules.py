"""Which module name each Python file has.

A file inside a chain of folders with ``__init__.py`` gets its dotted name from the top of that
chain, whose parent is its source root (``src/pkg/a.py`` is ``pkg.a``, ``backend/app/main.py``
is ``app.main``). Folders without ``__init__.py`` are namespace packages when the code imports
them by name, which is the evidence Python itself would need:

- above any package: if ``from app.core import config`` appears and
  ``backend/app/core/config.py`` exists with no ``__init__.py`` files, it is ``app.core.config``;
- inside a package (Flask's ``flask/sansio/``, imported as ``from .sansio.app import App``):
  ``flask.sansio.app``. grimp leaves such folders out of its graph; where nothing imports
  them, so does this rule, and the two graphs agree.

Any other file is a top-level module named by its stem in its own folder (a script). A script
whose name another script also has, or a package (which Python imports in its place: ``tool/``
wins over ``tool.py``), is named by its file path instead (``tool.py``,
``db/revisions/core/env.py``), which no import resolves to. Modules of packages whose names
collide (one package under several source roots) are named by their dotted path from the
repository root, so every name is unique.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import NamedTuple

from syspatterns.extract.facts import ImportFact


class Module(NamedTuple):
    """A Python module of the repository."""

    name: str
    path: str
    is_package: bool
    root: str  # source root folder, "" for the repository root
    is_test: bool

    @property
    def is_script(self) -> bool:
        """Whether this is a loose script: a top-level module of its own folder, in no
        package."""
        return not self.is_package and self.root == self.path.rpartition("/")[0]

    @property
    def package(self) -> str:
        """The package a relative import in this module starts from ("" for a script)."""
        if self.is_package:
            return self.name
        return "" if self.is_script else self.name.rpartition(".")[0]

    def relative_base(self, level: int) -> str | None:
        """The package a relative import of this ``level`` (``..`` is 2) names; ``None``
        beyond the top-level package, and always for a script."""
        parts = self.package.split(".") if self.package else []
        keep = len(parts) - level + 1
        return ".".join(parts[:keep]) if keep > 0 else None


def _parents(folder: str) -> Iterable[str]:
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def _prefixes(dotted: str) -> Iterable[str]:
    parts = dotted.split(".")
    for depth in range(1, len(parts) + 1):
        yield ".".join(parts[:depth])


def find_modules(python_paths: Iterable[tuple[str, bool]],
                 imports: Mapping[str, Iterable[ImportFact]]) -> dict[str, Module]:
    """``name -> Module`` for files given as ``(path, is_test)``; ``imports`` holds each
    file's import facts by path, the evidence for namespace packages."""
    files = [(p, t) for p, t in python_paths if PurePosixPath(p).name.count(".") == 1]
    # (a folder whose name is no identifier, ``graphql-demo/``, cannot be imported: its
    # ``__init__.py`` makes no package, and the packages inside it are top-level ones)
    package_dirs = {
        p.rpartition("/")[0] for p, _ in files if p.endswith("/__init__.py")
        and p.rpartition("/")[0].rpartition("/")[2].isidentifier()
    }
    children: dict[str, set[str]] = {}
    for path, _ in files:
        parts = path[:-3].split("/")
        for depth in range(1, len(parts)):
            children.setdefault("/".join(parts[:depth]), set()).add(parts[depth])
    absolute = {f.target for path, _ in files for f in imports.get(path, ()) if not f.level}
    pairs = {tuple(t.split(".", 2)[:2]) for t in absolute if "." in t}

    def imported_as_namespace(folder: str) -> bool:
        name = folder.rpartition("/")[2]
        return any((name, child) in pairs for child in children.get(folder, ()))

    placed: dict[str, Module] = {}  # by path
    nested: list[tuple[str, bool, str]] = []  # files in a plain folder inside a package
    for path, is_test in files:
        folder = path.rpartition("/")[0]
        is_package = path.endswith("__init__.py")
        if is_package and folder not in package_dirs:
            continue  # at the root, or in a folder no import can name: no module
        top = ""
        for parent in _parents(folder):
            if parent in package_dirs:
                top = parent
            else:
                break
        if not top:
            inside = next((p for p in _parents(folder) if p in package_dirs), None)
            if inside is not None:
                nested.append((path, is_test, inside))
                continue
        search_from = top.rpartition("/")[0] if top else folder
        for parent in _parents(search_from):
            if imported_as_namespace(parent):
                top = parent
        if top:
            root = top.rpartition("/")[0]
            relative = path[len(root) + 1:] if root else path
            parts = relative[:-3].split("/")
            if is_package:
                parts.pop()
            placed[path] = Module(".".join(parts), path, is_package, root, is_test)
        else:
            placed[path] = Module(PurePosixPath(path).stem, path, False, folder, is_test)

    # Namespace subpackages inside packages, from absolute and relative imports.
    imported = {prefix for target in absolute for prefix in _prefixes(target)}
    for path, module in placed.items():
        for fact in imports.get(path, ()):
            if fact.level:
                base = module.relative_base(fact.level)
                if base:
                    imported.update(_prefixes(f"{base}.{fact.target}"))
    for path, is_test, package_dir in nested:
        package = placed.get(f"{package_dir}/__init__.py")
        folder = path.rpartition("/")[0]
        if package is not None:
            dotted = package.name + "." + folder[len(package_dir) + 1:].replace("/", ".")
            if dotted in imported:
                placed[path] = Module(f"{dotted}.{PurePosixPath(path).stem}", path, False,
                                      package.root, is_test)
                continue
        placed[path] = Module(PurePosixPath(path).stem, path, False, folder, is_test)

    return _unique([placed[path] for path in sorted(placed)])


def _unique(found: list[Module]) -> dict[str, Module]:
    """``name -> Module`` with every name unique (see the module's docstring)."""
    in_packages = Counter(m.name for m in found if not m.is_script)
    scripts = Counter(m.name for m in found if m.is_script)
    modules: dict[str, Module] = {}
    for module in found:
        if module.is_script:
            if scripts[module.name] > 1 or module.name in in_packages:
                module = module._replace(name=module.path)
        elif in_packages[module.name] > 1 or module.name in modules:
            module = module._replace(name=module.path[:-3].replace("/", "."))
        modules.setdefault(module.name, module)
    return modules
