"""Resolve import statements to the repository's modules, as grimp does.

An imported object ``a.b.c`` is the module ``a.b.c`` if it exists, else its parent ``a.b``
(``from a.b import c`` where ``c`` is a function). Relative imports are made absolute from the
importer's package. Anything that resolves to no module of the repository is external: the
standard library, a third-party distribution, or (when its first segment is one of the
repository's own top-level names) a module the repository does not have.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from syspatterns.extract.facts import ImportFact
from syspatterns.model.modules import Module

# The standard library of any Python 3 the code may target, whichever runs the analysis:
# modules added in 3.12-3.14 and those removed by 3.12 and 3.13 count too.
STDLIB = frozenset(sys.stdlib_module_names) | {
    "__future__", "annotationlib", "compression", "asynchat", "asyncore", "distutils", "imp",
    "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3",
    "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
    "telnetlib", "uu", "xdrlib"}


class ImportEdge(NamedTuple):
    """``importer`` imports ``imported`` (both repository modules) at ``line``."""

    importer: str
    imported: str
    line: int
    flags: int
    target: str  # the absolute imported object, e.g. "pkg.mod.Name"


class ExternalImport(NamedTuple):
    """``importer`` imports the top-level module ``top`` from outside the repository."""

    importer: str
    top: str
    line: int
    flags: int
    is_stdlib: bool


def absolute_target(importer: Module, fact: ImportFact) -> str | None:
    """The absolute dotted name a (possibly relative) import refers to."""
    if not fact.level:
        return fact.target
    base = importer.relative_base(fact.level)
    if base is None:
        return None  # beyond the top-level package, or from a script
    return f"{base}.{fact.target}" if fact.target else base


def resolve(name: str, modules: dict[str, Module] | set[str]) -> str | None:
    """The repository module that the imported object ``name`` designates, if any."""
    if name in modules:
        return name
    parent = name.rpartition(".")[0]
    if parent and parent in modules:
        return parent
    return None


@dataclass
class ResolvedImports:
    edges: list[ImportEdge]
    externals: list[ExternalImport]
    missing: list[tuple[str, str, int]]  # importer, absolute target, line


def resolve_imports(modules: dict[str, Module],
                    imports: dict[str, tuple[ImportFact, ...]]) -> ResolvedImports:
    """Resolve every import of every module (``imports`` is keyed by module name)."""
    # (a script's name is a top only where its folder is on the path: see _visible)
    internal_tops = {name.partition(".")[0] for name, m in modules.items() if not m.is_script}
    by_path = {m.path: m.name for m in modules.values()}
    edges: list[ImportEdge] = []
    externals: list[ExternalImport] = []
    missing: list[tuple[str, str, int]] = []
    for importer_name, facts in imports.items():
        importer = modules[importer_name]
        for fact in facts:
            target = absolute_target(importer, fact)
            if target is None:
                missing.append((importer_name, "." * fact.level + fact.target, fact.line))
                continue
            imported = resolve(target, modules)
            if imported is not None and not _visible(modules[imported], importer):
                imported = None
            if imported is None and not fact.level and (importer.is_test or importer.is_script):
                imported = _sibling(importer, target, by_path, modules)
            if imported is not None:
                edges.append(ImportEdge(importer_name, imported, fact.line, fact.flags, target))
                continue
            top = target.partition(".")[0]
            if fact.level or top in internal_tops:
                missing.append((importer_name, target, fact.line))
            elif top:
                externals.append(
                    ExternalImport(importer_name, top, fact.line, fact.flags, top in STDLIB))
    edges.sort()
    externals.sort()
    missing.sort()
    return ResolvedImports(edges, externals, missing)


def _visible(module: Module, importer: Module) -> bool:
    """Whether ``importer`` can import ``module`` by its name: a package's module always; a
    loose script only from the folder it lies in, when that folder is on the path (the
    importer's source root, or the importer's own folder): ``dev/cli/stripe.py`` is not what
    ``import stripe`` in a package means."""
    if not module.is_script:
        return True
    folder = module.path.rpartition("/")[0]
    return folder == importer.root or folder == importer.path.rpartition("/")[0]


def _sibling(importer: Module, target: str, by_path: dict[str, str],
             modules: dict[str, Module]) -> str | None:
    """The module a script or a test imports from its own folder by a bare name (``from
    conftest import Server``, ``import helpers``): that folder is on ``sys.path`` when the
    script runs, and pytest puts a test's folder there."""
    top, _, rest = target.partition(".")
    folder = importer.path.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    for path in (f"{prefix}{top}.py", f"{prefix}{top}/__init__.py"):
        name = by_path.get(path)
        if name is not None:
            return resolve(f"{name}.{rest}", modules) if rest else name
    return None


class VendoredImport(NamedTuple):
    """``importer`` imports ``target`` from ``folder``, a copy of another project's code kept
    in the repository, which the scan skips (see ``scan.discover.VENDORED_DIRS``)."""

    importer: str
    target: str
    line: int
    folder: str


def vendored_packages(modules: dict[str, Module],
                      vendored_folders: Collection[str]) -> dict[str, str]:
    """Dotted name -> folder of each vendored folder that lies in one of the repository's
    packages (``pip._vendor`` -> ``src/pip/_vendor`` when the package ``pip`` is
    ``src/pip/``); ``vendored_folders`` are the folders the scan skipped as such."""
    by_path = {m.path: m.name for m in modules.values() if m.is_package}
    found = {}
    for folder in vendored_folders:
        parent, _, name = folder.rpartition("/")
        package = by_path.get(f"{parent}/__init__.py" if parent else "__init__.py")
        if package is not None:
            found[f"{package}.{name}"] = folder
    return found


def split_vendored(missing: list[tuple[str, str, int]], vendored: dict[str, str]
                   ) -> tuple[list[tuple[str, str, int]], list[VendoredImport]]:
    """The unresolved imports that point into a vendored folder (``vendored``, as
    :func:`vendored_packages` gives), apart from the others."""
    others: list[tuple[str, str, int]] = []
    found: list[VendoredImport] = []
    for importer, target, line in missing:
        folder = next((folder for name, folder in vendored.items()
                       if target == name or target.startswith(name + ".")), None)
        if folder is None:
            others.append((importer, target, line))
        else:
            found.append(VendoredImport(importer, target, line, folder))
    return others, found
