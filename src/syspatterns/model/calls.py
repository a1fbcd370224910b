"""A static call graph of the repository's code, resolved on demand.

A call is written as a dotted name (``crud.get_user``, ``self.repo.save``,
``session.exec``); :meth:`CallGraph.resolve` says what it refers to, following:

- the module's imports (``from app import crud`` makes ``crud.get_user`` the function
  ``app.crud.get_user``), re-exports of imported names, and the module's own definitions;
- ``self``/``cls`` to the enclosing class and its bases (the repository's, then the first
  external base: ``self.save()`` in a Django model is ``django.db.models.Model.save``);
- the types a name has: a parameter's annotation (through aliases such as
  ``SessionDep = Annotated[Session, Depends(get_db)]``), a local ``x = Foo()`` or ``with
  Foo() as x``, a module variable ``router = APIRouter()`` or ``app = create_app()`` (the
  factory's returned object), a class attribute ``objects = Manager()``.

Anything else is *unresolved* and reported as such, never guessed.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from syspatterns.extract.facts import ClassFact, FileFacts, FunctionFact
from syspatterns.model.modules import Module
from syspatterns.model.names import qualify

_BUILTINS = frozenset(dir(builtins))
_DEPTH = 8  # how many aliases and re-exports a resolution follows


class Function(NamedTuple):
    """A function or method of the repository's code."""

    name: str  # qualified: ``app.crud.authenticate``, ``app.views.LoginView.post``
    module: Module
    fact: FunctionFact
    owner: str  # the qualified class of a method, "" for a function

    @property
    def scope(self) -> str:
        """The name the facts use for it inside its module (``func`` or ``Class.method``)."""
        return self.name[len(self.module.name) + 1:]


class Target(NamedTuple):
    """What a call refers to.

    ``kind`` is "function" (a function or method of the repository: ``name`` is a key of
    :attr:`CallGraph.functions`, ``attribute`` the rest of the call when it is made on the
    function itself, as ``send_email.delay``), "class" (a class of the repository
    instantiated), "external" (``name`` qualified in another distribution or the standard
    library: ``sqlmodel.Session.add``, ``builtins.open``) or "unresolved" (``name`` as written).
    """

    kind: str
    name: str
    attribute: str = ""


@dataclass
class _ModuleNames:
    """What the names of one module refer to."""

    module: Module
    bound: dict[str, str]  # imported names -> qualified
    local: set[str]  # top-level definitions and variables
    # scope -> ``(name, callee)`` of its ``name = Callee()`` assignments
    assigned: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class CallGraph:
    """The repository's functions, classes and module variables, and how calls resolve."""

    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, tuple[Module, ClassFact]] = field(default_factory=dict)
    # ``module.name`` -> ("call", callee) for ``name = callee(...)``; ("alias", dotted) for
    # ``name = dotted`` (or an ``Annotated[X, ...]`` alias of ``X``); both qualified.
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, _ModuleNames] = field(default_factory=dict)  # by module name

    # -- building -----------------------------------------------------------------------

    def add_module(self, module: Module, bound: dict[str, str], facts: FileFacts) -> None:
        """Index one module, given the names its imports bind."""
        prefix = module.name
        local = {c.name for c in facts.classes} | {f.name for f in facts.functions}
        local.update(v.name for v in facts.variables)
        scoped: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for assignment in facts.assignments:
            if not assignment.scope:
                local.update(assignment.targets)
            for target in assignment.targets:
                scoped[assignment.scope].append((target, assignment.callee))
        self.names[prefix] = _ModuleNames(module, bound, local, dict(scoped))
        for function in facts.functions:
            self.functions[f"{prefix}.{function.name}"] = Function(
                f"{prefix}.{function.name}", module, function, "")
        for cls in facts.classes:
            owner = f"{prefix}.{cls.name}"
            self.classes[owner] = (module, cls)
            for method in cls.methods:
                self.functions[f"{owner}.{method.name}"] = Function(
                    f"{owner}.{method.name}", module, method, owner)
        for name, callee in scoped.get("", ()):
            qualified = self.qualify(prefix, callee)
            if qualified:
                self.variables[f"{prefix}.{name}"] = ("call", qualified)
        for name, value, *_ in facts.variables:
            key = f"{prefix}.{name}"
            if key in self.variables or not value or not value.replace(".", "").replace(
                    "_", "").isalnum() or value[0].isdigit():
                continue
            qualified = self.qualify(prefix, value)
            if qualified:
                self.variables[key] = ("alias", qualified)

    # -- names ----------------------------------------------------------------------------

    def qualify(self, module: str, dotted: str) -> str | None:
        """``dotted`` as written in ``module``, made absolute: through its imports, its own
        definitions, or the builtins; ``None`` when the first name is bound nowhere."""
        names = self.names.get(module)
        head = dotted.partition(".")[0]
        if names is not None:
            if head in names.bound:
                return qualify(dotted, names.bound)
            if head in names.local:
                return f"{module}.{dotted}"
        if head in _BUILTINS:
            return f"builtins.{dotted}"
        return None

    def _split(self, dotted: str) -> tuple[str, list[str]] | None:
        """The longest prefix of ``dotted`` that is one of the repository's modules, and the
        rest; ``None`` when no prefix is."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in self.names:
                return prefix, parts[end:]
        return None

    def bases(self, owner: str) -> list[str]:
        """The qualified bases of a repository class."""
        module, cls = self.classes[owner]
        found = []
        for base in cls.bases:
            qualified = self.qualify(module.name, base)
            if qualified:
                found.append(self.canonical(qualified))
        return found

    def ancestry(self, owner: str) -> tuple[list[str], list[str]]:
        """The repository classes of ``owner``'s hierarchy (itself first, depth first) and
        its external ancestors."""
        own: list[str] = []
        external: list[str] = []
        pending = [owner]
        while pending and len(own) < 32:
            current = pending.pop(0)
            if current in own:
                continue
            if current not in self.classes:
                if current not in external:
                    external.append(current)
                continue
            own.append(current)
            pending.extend(self.bases(current))
        return own, external

    def is_subclass(self, owner: str, externals: frozenset[str]) -> bool:
        """Whether a repository class derives from one of these external classes."""
        return not externals.isdisjoint(self.ancestry(owner)[1])

    def canonical(self, dotted: str, depth: int = 0) -> str:
        """A qualified name with re-exports followed: ``app.models.User`` when ``app.models``
        re-exports ``User`` from ``app.models.user`` gives ``app.models.user.User``."""
        split = self._split(dotted)
        if split is None or depth > _DEPTH:
            return dotted
        module, rest = split
        if not rest:
            return dotted
        key = f"{module}.{rest[0]}"
        if key in self.functions or key in self.classes or key in self.variables:
            return dotted
        bound = self.names[module].bound.get(rest[0])
        if bound is None or bound == key:
            return dotted
        return self.canonical(".".join([bound, *rest[1:]]), depth + 1)

    # -- types ----------------------------------------------------------------------------

    def type_of_variable(self, key: str, depth: int = 0) -> str | None:
        """The type of a module variable's value, qualified, when it can be told."""
        entry = self.variables.get(key)
        if entry is None or depth > _DEPTH:
            return None
        kind, value = entry
        value = self.canonical(value)
        if kind == "alias":
            return self.type_of_variable(value, depth + 1) if value in self.variables else value
        if value in self.functions:
            return self.returned_type(self.functions[value], depth + 1)
        return value

    def returned_type(self, function: Function, depth: int = 0) -> str | None:
        """The class a factory function returns: ``return Flask(...)``, or ``app = Flask()``
        ... ``return app``."""
        module = function.module.name
        assigned = dict(self.names[module].assigned.get(function.scope, ()))
        for returned in function.fact.returns:
            callee = returned[:-2] if returned.endswith("()") else assigned.get(returned)
            if callee:
                qualified = self.qualify(module, callee)
                if qualified:
                    qualified = self.canonical(qualified)
                    if qualified in self.functions and depth < _DEPTH:
                        return self.returned_type(self.functions[qualified], depth + 1)
                    return qualified
        return None

    def annotation_type(self, module: str, annotation: str) -> str | None:
        """The type an annotation names, through module-variable aliases."""
        qualified = self.qualify(module, annotation)
        if qualified is None:
            return None
        qualified = self.canonical(qualified)
        if qualified in self.variables:
            return self.type_of_variable(qualified)
        return qualified

    def local_type(self, caller: Function, name: str) -> str | None:
        """The type of a parameter or a local variable of ``caller``."""
        module = caller.module.name
        for param, annotation in caller.fact.params:
            if param == name and annotation:
                return self.annotation_type(module, annotation)
        for target, callee in self.names[module].assigned.get(caller.scope, ()):
            if target == name:
                qualified = self.qualify(module, callee)
                if qualified:
                    qualified = self.canonical(qualified)
                    if qualified in self.functions:
                        return self.returned_type(self.functions[qualified])
                    return qualified
        return None

    # -- resolution -----------------------------------------------------------------------

    def resolve(self, caller: Function, callee: str) -> Target:
        """What the call ``callee`` (as written in ``caller``'s body) refers to."""
        head, _, rest = callee.partition(".")
        parts = rest.split(".") if rest else []
        if head in ("self", "cls") and caller.owner:
            return self._member(caller.owner, parts, callee) if parts else Target(
                "unresolved", callee)
        typed = self.local_type(caller, head)
        if typed is not None:
            return self._on_type(typed, parts, callee)
        return self.resolve_in_module(caller.module.name, callee)

    def resolve_in_module(self, module: str, written: str) -> Target:
        """What a name written in ``module`` (outside any function) refers to."""
        qualified = self.qualify(module, written)
        if qualified is None:
            return Target("unresolved", written)
        return self.lookup(qualified, written)

    def lookup(self, dotted: str, written: str, depth: int = 0) -> Target:
        """What an absolute dotted name refers to."""
        split = self._split(dotted)
        if split is None:
            return Target("external", dotted)
        module, rest = split
        if not rest or depth > _DEPTH:
            return Target("unresolved", written)
        key = f"{module}.{rest[0]}"
        if key in self.functions:
            return Target("function", key, ".".join(rest[1:]))
        if key in self.classes:
            return self._member(key, rest[1:], written) if rest[1:] else Target("class", key)
        if key in self.variables:
            typed = self.type_of_variable(key)
            if typed is not None:
                return self._on_type(typed, rest[1:], written, depth + 1)
            return Target("unresolved", written)
        bound = self.names[module].bound.get(rest[0])
        if bound is not None and bound != key:
            return self.lookup(".".join([bound, *rest[1:]]), written, depth + 1)
        return Target("unresolved", written)

    def _on_type(self, typed: str, parts: list[str], written: str, depth: int = 0) -> Target:
        """A call made on an object of type ``typed`` (``parts`` the attribute chain)."""
        if not parts:
            return Target("unresolved", written)  # calling an instance
        typed = self.canonical(typed)
        if typed in self.classes:
            return self._member(typed, parts, written)
        if self._split(typed) is not None:
            return self.lookup(".".join([typed, *parts]), written, depth + 1)
        return Target("external", ".".join([typed, *parts]))

    def _member(self, owner: str, parts: list[str], written: str) -> Target:
        """``Class.attribute...`` through the class hierarchy: a method, a class attribute
        holding an object, else the first external ancestor's member."""
        own, external = self.ancestry(owner)
        name = parts[0]
        for cls in own:
            method = self.functions.get(f"{cls}.{name}")
            if method is not None:
                if len(parts) == 1:
                    return Target("function", method.name)
                return Target("unresolved", written)  # a call on what the method returns
            module, fact = self.classes[cls]
            for attribute, value, _ in fact.attributes:
                if attribute == name and value.endswith("()"):
                    qualified = self.qualify(module.name, value[:-2])
                    if qualified:
                        return self._on_type(self.canonical(qualified), parts[1:], written)
        if external:
            return Target("external", ".".join([external[0], *parts]))
        return Target("unresolved", written)


def build_call_graph(modules: list[tuple[Module, dict[str, str], FileFacts]]) -> CallGraph:
    """The call graph of these modules: ``(module, imported names, facts)`` triples."""
    graph = CallGraph()
    for module, bound, facts in modules:
        graph.add_module(module, bound, facts)
    return graph
