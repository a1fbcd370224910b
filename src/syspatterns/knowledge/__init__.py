"""What libraries and frameworks mean, as data.

``categories.toml`` names each category and the document sections it informs;
``libraries/*.toml`` maps distributions (with their import names) to a category, and to
another where the code imports one of their modules (``roles``);
``applications.toml`` lists the callables that create WSGI/ASGI application objects.
Adding a library is adding a row; no code changes.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol


class Category(NamedTuple):
    key: str
    title: str
    sections: tuple[str, ...]


class Library(NamedTuple):
    """A distribution as published (``PyYAML``) with the import names it provides (``yaml``).

    ``roles`` are the categories it takes instead of ``category`` when the code imports one
    of its modules: ``("aiohttp.web", "web-framework")`` makes aiohttp a web framework, not
    an HTTP client, where the code imports ``aiohttp.web``. The first that applies counts."""

    name: str
    imports: tuple[str, ...]
    category: str
    roles: tuple[tuple[str, str], ...] = ()

    def category_for(self, targets: Collection[str]) -> str:
        """Its category for code that imports ``targets`` (dotted names)."""
        for module, category in self.roles:
            prefix = module + "."
            if any(t == module or t.startswith(prefix) for t in targets):
                return category
        return self.category


class ApplicationFactory(NamedTuple):
    """A callable whose result is an application object: ``fastapi.FastAPI`` -> ASGI."""

    callable: str
    interface: str  # "ASGI" or "WSGI" or another protocol
    framework: str


def normalize(distribution: str) -> str:
    """PEP 503 normalisation: ``PyYAML`` and ``pyyaml`` and ``py_yaml`` compare equal."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


@dataclass
class Knowledge:
    categories: dict[str, Category]
    libraries: tuple[Library, ...]
    applications: tuple[ApplicationFactory, ...]
    by_import: dict[str, Library] = field(init=False)
    by_distribution: dict[str, Library] = field(init=False)

    def __post_init__(self) -> None:
        self.by_import = {name: lib for lib in self.libraries for name in lib.imports}
        self.by_distribution = {normalize(lib.name): lib for lib in self.libraries}

    def library_for_import(self, top: str) -> Library | None:
        return self.by_import.get(top)

    def library_for_distribution(self, name: str) -> Library | None:
        return self.by_distribution.get(normalize(name))


FOLDER = Path(__file__).parent
_LOADED: dict[str, Knowledge] = {}


class BlobStore(Protocol):
    """Somewhere to keep the parsed tables between runs (the repository's cache)."""

    def get_blob(self, key: str) -> bytes | None: ...

    def put_blob(self, key: str, data: bytes) -> None: ...


# Every table parsed in this process, by path relative to FOLDER; :func:`load_knowledge`
# fills it from the store when the tables were parsed by an earlier run.
_PARSED: dict[str, dict[str, Any]] = {}


def read_table(name: str) -> dict[str, Any]:
    """One packaged table (``security.toml``, ...), parsed once per process."""
    table = _PARSED.get(name)
    if table is None:
        table = _PARSED[name] = tomllib.loads((FOLDER / name).read_text("utf-8"))
    return table


def _table_files() -> dict[str, bytes]:
    """The raw bytes of every table, by path relative to this folder."""
    files = [*sorted(FOLDER.glob("*.toml")), *sorted((FOLDER / "libraries").glob("*.toml"))]
    return {f.relative_to(FOLDER).as_posix(): f.read_bytes() for f in files}


def _parse(raw: dict[str, bytes]) -> dict[str, Any]:
    return {name: tomllib.loads(data.decode("utf-8")) for name, data in raw.items()}


def _build(tables: dict[str, Any]) -> Knowledge:
    """The tables, validated: unknown categories and duplicates are errors."""
    categories = {
        key: Category(key, str(value["title"]), tuple(value.get("sections", ())))
        for key, value in tables["categories.toml"].items()
    }
    libraries: list[Library] = []
    for name in sorted(n for n in tables if n.startswith("libraries/")):
        for row in tables[name].get("library", []):
            library = Library(row["name"], tuple(row["imports"]), row["category"],
                              tuple(row.get("roles", {}).items()))
            for category in (library.category, *(c for _, c in library.roles)):
                if category not in categories:
                    raise ValueError(f"{name}: {library.name}: unknown category "
                                     f"{category!r}")
            libraries.append(library)
    seen: set[str] = set()
    for library in libraries:
        key = normalize(library.name)
        if key in seen:
            raise ValueError(f"library {library.name!r} is listed twice")
        seen.add(key)
    applications = tuple(
        ApplicationFactory(row["callable"], row["interface"], row["framework"])
        for row in tables["applications.toml"].get("application", [])
    )
    return Knowledge(categories, tuple(libraries), applications)


# Where the parsed tables are kept beside the package, as Python keeps bytecode: one file per
# version of the tables (a digest of their bytes) and of the interpreter (marshal's format).
PARSED_FOLDER = FOLDER / "__pycache__"


def _beside_package(digest: str) -> Path:
    return PARSED_FOLDER / f"tables.{sys.implementation.cache_tag}.{digest}.marshal"


def _parsed_beside_package(digest: str) -> dict[str, Any] | None:
    try:
        tables = marshal.loads(_beside_package(digest).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return tables if isinstance(tables, dict) else None


def _keep_beside_package(digest: str, tables: dict[str, Any]) -> None:
    """Write the parsed tables beside the package (not when Python is told to write no
    bytecode); a folder that cannot be written only costs speed."""
    if sys.dont_write_bytecode:
        return
    target = _beside_package(digest)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        PARSED_FOLDER.mkdir(exist_ok=True)
        partial.write_bytes(marshal.dumps(tables))
        partial.replace(target)  # readers never see half a file
    except OSError:
        partial.unlink(missing_ok=True)


def load_knowledge(store: BlobStore | None = None) -> Knowledge:
    """The library tables, validated. Parsing TOML is slow next to the rest of a run, so
    every packaged table is kept parsed in ``store`` (the repository's cache, keyed by a
    digest of their bytes) when one is given, and beside the package for every repository;
    :func:`read_table` takes them from there."""
    raw = _table_files()
    digest = hashlib.blake2b(b"\0".join(raw[name] for name in sorted(raw)),
                             digest_size=16).hexdigest()
    if digest in _LOADED:
        return _LOADED[digest]
    key = f"knowledge:{digest}"
    blob = store.get_blob(key) if store else None
    if blob is not None:
        tables = marshal.loads(blob)
    else:
        tables = _parsed_beside_package(digest)
        if tables is None:
            tables = _parse(raw)
            _keep_beside_package(digest, tables)
        if store:
            store.put_blob(key, marshal.dumps(tables))
    for name, table in tables.items():
        _PARSED.setdefault(name, table)
    knowledge = _LOADED[digest] = _build(tables)
    return knowledge
