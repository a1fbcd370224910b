"""The facts extracted from one Python file.

Facts are small named tuples so that they convert to and from plain tuples cheaply: the cache
stores them with :mod:`marshal`, which is far faster to load than JSON or pickle.
"""

from __future__ import annotations

from typing import Any, NamedTuple

# Bit flags describing where an import statement stands.
IN_TYPE_CHECKING = 1
IN_FUNCTION = 2
IN_TRY = 4


class ImportFact(NamedTuple):
    """One imported object, as grimp counts them.

    ``target`` is the dotted name without leading dots: ``pkg.mod`` for ``import pkg.mod``,
    ``pkg.mod.name`` for ``from pkg.mod import name``, ``name`` for ``from . import name``.
    ``alias`` is the local name the statement binds (``None`` for ``*``).
    """

    target: str
    level: int
    line: int
    is_from: bool
    alias: str | None
    flags: int


class FunctionFact(NamedTuple):
    """A function or method definition."""

    name: str
    line: int
    decorators: tuple[str, ...]
    is_async: bool


class ClassFact(NamedTuple):
    """A class definition with its bases and decorators as dotted source names."""

    name: str
    line: int
    bases: tuple[str, ...]
    decorators: tuple[str, ...]
    methods: tuple[FunctionFact, ...]
    docstring: str | None


class AssignFact(NamedTuple):
    """An assignment whose value is a call: ``app = FastAPI()``.

    At module level every such assignment is kept; inside a function (``scope`` names it) only
    calls of capitalised names, i.e. likely class instantiations such as ``Flask(__name__)``.
    """

    targets: tuple[str, ...]
    callee: str
    line: int
    scope: str


class FileFacts(NamedTuple):
    """Everything the later stages need to know about one Python file."""

    docstring: str | None
    docstring_line: int
    imports: tuple[ImportFact, ...]
    classes: tuple[ClassFact, ...]
    functions: tuple[FunctionFact, ...]
    assignments: tuple[AssignFact, ...]
    all_names: tuple[str, ...] | None
    all_line: int
    main_block_line: int

    def to_raw(self) -> tuple[Any, ...]:
        """Plain nested tuples, for :mod:`marshal`."""
        return (
            self.docstring,
            self.docstring_line,
            tuple(tuple(i) for i in self.imports),
            tuple(
                (c.name, c.line, c.bases, c.decorators, tuple(tuple(m) for m in c.methods),
                 c.docstring)
                for c in self.classes
            ),
            tuple(tuple(f) for f in self.functions),
            tuple(tuple(a) for a in self.assignments),
            self.all_names,
            self.all_line,
            self.main_block_line,
        )

    @classmethod
    def from_raw(cls, raw: tuple[Any, ...]) -> FileFacts:
        """Rebuild from :meth:`to_raw`'s output."""
        (docstring, docstring_line, imports, classes, functions, assignments, all_names,
         all_line, main_block_line) = raw
        make_function = FunctionFact._make
        return cls(
            docstring=docstring,
            docstring_line=docstring_line,
            imports=tuple(map(ImportFact._make, imports)),
            classes=tuple(
                ClassFact(n, ln, b, d, tuple(map(make_function, m)), doc)
                for n, ln, b, d, m, doc in classes
            ),
            functions=tuple(map(make_function, functions)),
            assignments=tuple(map(AssignFact._make, assignments)),
            all_names=all_names,
            all_line=all_line,
            main_block_line=main_block_line,
        )
