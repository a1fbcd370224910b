"""One pass over a Python module's statements, collecting its :class:`FileFacts`.

The walk visits statements only (recursing into every nested block, as an import inside a
function is still an import) and looks into expressions only where a fact needs it. Dispatch is
on ``type(node)`` through a dict, which is markedly faster than ``ast.NodeVisitor`` or
``isinstance`` chains on large code bases.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Any

from syspatterns.extract.facts import (
    IN_FUNCTION,
    IN_TRY,
    IN_TYPE_CHECKING,
    AssignFact,
    ClassFact,
    FileFacts,
    FunctionFact,
    ImportFact,
)

DOCSTRING_LIMIT = 600


class ExtractionError(Exception):
    """The file is not Python 3 source that can be analysed; the message says why."""


def dotted_name(node: ast.expr) -> str | None:
    """``a.b.c`` for Name/Attribute chains, following calls and subscripts to their base."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return ".".join(reversed(parts))
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return None


def _docstring(body: Sequence[ast.stmt]) -> tuple[str | None, int]:
    if body:
        first = body[0]
        if isinstance(first, ast.Expr):
            value = first.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                text = value.value.strip()
                return (text[:DOCSTRING_LIMIT] if text else None), first.lineno
    return None, 0


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _is_main_guard(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = [test.left, *test.comparators]
    names = {s.id for s in sides if isinstance(s, ast.Name)}
    values = {s.value for s in sides if isinstance(s, ast.Constant)}
    return names == {"__name__"} and values == {"__main__"}


def _string_sequence(node: ast.expr) -> tuple[str, ...] | None:
    if isinstance(node, ast.List | ast.Tuple):
        items = node.elts
        if all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items):
            return tuple(e.value for e in items)  # type: ignore[attr-defined]
    return None


def _assigned_names(node: ast.Assign | ast.AnnAssign) -> tuple[str, ...]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return tuple(t.id for t in targets if isinstance(t, ast.Name))


class _Collector:
    """Holds the facts while :meth:`block` walks the module."""

    def __init__(self) -> None:
        self.imports: list[ImportFact] = []
        self.classes: list[ClassFact] = []
        self.functions: list[FunctionFact] = []
        self.assignments: list[AssignFact] = []
        self.all_names: tuple[str, ...] | None = None
        self.all_line = 0
        self.main_block_line = 0
        self.scope = ""  # the enclosing top-level function, for assignments
        # Handlers take the statement type their key names; ``Any`` says so to the checker.
        self.handlers: dict[type[ast.stmt], Callable[[Any, int, int], None]] = {
            ast.Import: self._import,
            ast.ImportFrom: self._import_from,
            ast.ClassDef: self._class,
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.If: self._if,
            ast.Try: self._try,
            ast.TryStar: self._try,
            ast.For: self._loop,
            ast.AsyncFor: self._loop,
            ast.While: self._loop,
            ast.With: self._with,
            ast.AsyncWith: self._with,
            ast.Match: self._match,
            ast.Assign: self._assign,
            ast.AnnAssign: self._assign,
            ast.AugAssign: self._aug_assign,
        }

    def block(self, body: Sequence[ast.stmt], flags: int, depth: int) -> None:
        handlers = self.handlers
        for stmt in body:
            handler = handlers.get(type(stmt))
            if handler is not None:
                handler(stmt, flags, depth)

    def _import(self, node: ast.Import, flags: int, depth: int) -> None:
        line = node.lineno
        for alias in node.names:
            name = alias.name
            bound = alias.asname or name.partition(".")[0]
            self.imports.append(ImportFact(name, 0, line, False, bound, flags))

    def _import_from(self, node: ast.ImportFrom, flags: int, depth: int) -> None:
        line = node.lineno
        level = node.level or 0
        module = node.module
        for alias in node.names:
            name = alias.name
            target = f"{module}.{name}" if module else name
            bound = None if name == "*" else (alias.asname or name)
            self.imports.append(ImportFact(target, level, line, True, bound, flags))

    def _decorators(self, nodes: list[ast.expr]) -> tuple[str, ...]:
        return tuple(name for name in map(dotted_name, nodes) if name)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, flags: int,
                  depth: int) -> None:
        if depth == 0:
            self.functions.append(self._function_fact(node))
            self.scope = node.name
            self.block(node.body, flags | IN_FUNCTION, depth + 1)
            self.scope = ""
        else:
            self.block(node.body, flags | IN_FUNCTION, depth + 1)

    def _function_fact(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionFact:
        return FunctionFact(node.name, node.lineno, self._decorators(node.decorator_list),
                            type(node) is ast.AsyncFunctionDef)

    def _class(self, node: ast.ClassDef, flags: int, depth: int) -> None:
        if depth == 0:
            methods = tuple(
                self._function_fact(s)
                for s in node.body
                if type(s) is ast.FunctionDef or type(s) is ast.AsyncFunctionDef
            )
            bases = tuple(name for name in map(dotted_name, node.bases) if name)
            docstring, _ = _docstring(node.body)
            self.classes.append(ClassFact(node.name, node.lineno, bases,
                                          self._decorators(node.decorator_list), methods,
                                          docstring))
        self.block(node.body, flags, depth + 1)

    def _if(self, node: ast.If, flags: int, depth: int) -> None:
        test = node.test
        if _is_type_checking(test):
            self.block(node.body, flags | IN_TYPE_CHECKING, depth)
        else:
            if depth == 0 and not self.main_block_line and _is_main_guard(test):
                self.main_block_line = node.lineno
            self.block(node.body, flags, depth)
        self.block(node.orelse, flags, depth)

    def _try(self, node: ast.Try, flags: int, depth: int) -> None:
        self.block(node.body, flags | IN_TRY, depth)
        for handler in node.handlers:
            self.block(handler.body, flags, depth)
        self.block(node.orelse, flags, depth)
        self.block(node.finalbody, flags, depth)

    def _loop(self, node: ast.For | ast.While, flags: int, depth: int) -> None:
        self.block(node.body, flags, depth)
        self.block(node.orelse, flags, depth)

    def _with(self, node: ast.With, flags: int, depth: int) -> None:
        self.block(node.body, flags, depth)

    def _match(self, node: ast.Match, flags: int, depth: int) -> None:
        for case in node.cases:
            self.block(case.body, flags, depth)

    def _assign(self, node: ast.Assign | ast.AnnAssign, flags: int, depth: int) -> None:
        value = node.value
        if depth:
            if self.scope and type(value) is ast.Call:
                callee = dotted_name(value.func)
                if callee and callee.rpartition(".")[2][:1].isupper():
                    names = _assigned_names(node)
                    if names:
                        self.assignments.append(AssignFact(names, callee, node.lineno, self.scope))
            return
        names = _assigned_names(node)
        if value is None or not names:
            return
        if "__all__" in names:
            listed = _string_sequence(value)
            if listed is not None:
                self.all_names, self.all_line = listed, node.lineno
        elif type(value) is ast.Call:
            callee = dotted_name(value.func)
            if callee:
                self.assignments.append(AssignFact(names, callee, node.lineno, ""))

    def _aug_assign(self, node: ast.AugAssign, flags: int, depth: int) -> None:
        target = node.target
        if depth == 0 and type(target) is ast.Name and target.id == "__all__":
            listed = _string_sequence(node.value)
            if listed is not None:
                self.all_names = (self.all_names or ()) + listed
                self.all_line = self.all_line or node.lineno


def extract_python(source: bytes) -> FileFacts:
    """Parse ``source`` (honouring its PEP 263 coding cookie) and collect its facts.

    Raises :class:`ExtractionError` for anything that is not analysable Python 3.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        raise ExtractionError(f"not valid Python 3: {error.msg}{where}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ExtractionError(f"not decodable as Python source: {error}") from None
    except (RecursionError, MemoryError):
        raise ExtractionError("too deeply nested to parse") from None
    collector = _Collector()
    collector.block(tree.body, 0, 0)
    docstring, docstring_line = _docstring(tree.body)
    return FileFacts(
        docstring=docstring,
        docstring_line=docstring_line,
        imports=tuple(collector.imports),
        classes=tuple(collector.classes),
        functions=tuple(collector.functions),
        assignments=tuple(collector.assignments),
        all_names=collector.all_names,
        all_line=collector.all_line,
        main_block_line=collector.main_block_line,
    )
