"""What libraries and frameworks mean, as data.

``categories.toml`` names each category and the document sections it informs;
``libraries/*.toml`` maps distributions (with their import names) to a category;
``applications.toml`` lists the callables that create WSGI/ASGI application objects.
Adding a library is adding a row; no code changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, NamedTuple


class Category(NamedTuple):
    key: str
    title: str
    sections: tuple[str, ...]


class Library(NamedTuple):
    """A distribution as published (``PyYAML``) with the import names it provides (``yaml``)."""

    name: str
    imports: tuple[str, ...]
    category: str


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


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text("utf-8"))


@cache
def load_knowledge() -> Knowledge:
    """The packaged tables, validated: unknown categories and duplicates are errors."""
    raw_categories = _read("categories.toml")
    categories = {
        key: Category(key, str(value["title"]), tuple(value.get("sections", ())))
        for key, value in raw_categories.items()
    }
    libraries: list[Library] = []
    folder = resources.files(__package__).joinpath("libraries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        table = tomllib.loads(entry.read_text("utf-8"))
        for row in table.get("library", []):
            library = Library(row["name"], tuple(row["imports"]), row["category"])
            if library.category not in categories:
                raise ValueError(f"{entry.name}: {library.name}: unknown category "
                                 f"{library.category!r}")
            libraries.append(library)
    seen: dict[str, str] = {}
    for library in libraries:
        key = normalize(library.name)
        if key in seen:
            raise ValueError(f"library {library.name!r} is listed twice")
        seen[key] = library.name
    applications = tuple(
        ApplicationFactory(row["callable"], row["interface"], row["framework"])
        for row in _read("applications.toml").get("application", [])
    )
    return Knowledge(categories, tuple(libraries), applications)
