"""A static call graph of the repository's code, resolved on demand.

A call is written as a dotted name (``crud.get_user``, ``self.repo.save``,
``session.exec``); :meth:`CallGraph.resolve` says what it refers to, following:

- the module's imports (``from app import crud`` makes ``crud.get_user`` the function
  ``app.crud.get_user``), re-exports of imported names, and the module's own definitions;
- ``self``/``cls`` to the enclosing class and its bases (the repository's, then the first
  external base: ``self.save()`` in a Django model is ``django.db.models.Model.save``);
- the types a name has: a parameter's annotation (through aliases such as
  ``SessionDep = Annotated[Session, Depends(get_db)]``) or, without one, what its injected
  dependency (``user = Depends(get_current_user)``) gives; a local ``x = Foo()``, ``x =
  make_foo()`` or ``with Foo() as x``; a module variable ``router = APIRouter()`` or ``app =
  create_app()``; what calling a factory makes (``db = SessionLocal()`` of ``SessionLocal =
  sessionmaker(...)``, see :attr:`CallGraph.factories`); an attribute of the instance: a
  class-level annotation ``repo: Repo``, a class attribute ``objects = Manager()``, or
  ``self.repo = repo`` (of an annotated parameter), ``self.client = httpx.Client()`` in a
  method;
- what a function gives: its return annotation (``-> Service``, ``-> Self``), else what it
  returns (``return Service(...)``, ``return app``), for a generator what it yields (as
  ``with`` and dependency injection hand it over).

Anything else is *unresolved* and reported as such, never guessed.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from syspatterns.extract.facts import ClassFact, FileFacts, FunctionFact
from syspatterns.model.modules import Module
from syspatterns.model.names import qualify

_BUILTINS = frozenset(dir(builtins))
_DEPTH = 8  # how many aliases and re-exports a resolution follows
_SELF = frozenset({"typing.Self", "typing_extensions.Self"})


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


@dataclass
class CallGraph:
    """The repository's functions, classes and module variables, and how calls resolve."""

    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, tuple[Module, ClassFact]] = field(default_factory=dict)
    # ``module.name`` -> ("call", callee) for ``name = callee(...)``; ("alias", dotted) for
    # ``name = dotted`` (or an ``Annotated[X, ...]`` alias of ``X``); both qualified.
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, _ModuleNames] = field(default_factory=dict)  # by module name
    # The callables that inject a dependency into a parameter (``fastapi.Depends``).
    injectors: frozenset[str] = frozenset()
    # External types whose instances make another when called: ``sessionmaker`` -> ``Session``.
    factories: dict[str, str] = field(default_factory=dict)
    # ``module.Alias`` -> the metadata calls of ``Alias = Annotated[X, Depends(f)]``.
    metadata: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # class -> attribute -> ``(method, annotation, value)``: where its instances get it, the
    # method "" for a class-level annotation (see :attr:`FunctionFact.assigned`).
    attributes: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    _busy: set[tuple[str, str]] = field(default_factory=set)  # types being worked out

    # -- building -----------------------------------------------------------------------

    def add_module(self, module: Module, bound: dict[str, str], facts: FileFacts) -> None:
        """Index one module, given the names its imports bind."""
        prefix = module.name
        local = {c.name for c in facts.classes} | {f.name for f in facts.functions}
        local.update(v.name for v in facts.variables)
        assigned = [(t, a.callee) for a in facts.assignments if not a.scope for t in a.targets]
        local.update(name for name, _ in assigned)
        self.names[prefix] = _ModuleNames(module, bound, local)
        for function in facts.functions:
            self.functions[f"{prefix}.{function.name}"] = Function(
                f"{prefix}.{function.name}", module, function, "")
        for cls in facts.classes:
            self._add_class(module, cls)
        for name, callee in assigned:
            qualified = self.qualify(prefix, callee)
            if qualified:
                self.variables[f"{prefix}.{name}"] = ("call", qualified)
        for name, value, _, items in facts.variables:
            key = f"{prefix}.{name}"
            if items:
                self.metadata[key] = items
            if key in self.variables or not value or not value.replace(".", "").replace(
                    "_", "").isalnum() or value[0].isdigit():
                continue
            qualified = self.qualify(prefix, value)
            if qualified:
                self.variables[key] = ("alias", qualified)

    def _add_class(self, module: Module, cls: ClassFact) -> None:
        """Index a class: its methods, and the attributes its instances get."""
        owner = f"{module.name}.{cls.name}"
        self.classes[owner] = (module, cls)
        attributes = {name: ("", annotation, "") for name, annotation in cls.annotations}
        for name, value, _ in cls.attributes:
            if value.endswith("()"):
                attributes.setdefault(name, ("", "", value))
        for method in cls.methods:
            function = Function(f"{owner}.{method.name}", module, method, owner)
            self.functions[function.name] = function
            for target, annotation, value in method.assigned:
                if target.startswith("self."):
                    attributes.setdefault(target[5:], (function.name, annotation, value))
        self.attributes[owner] = attributes

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

    def _once(self, key: tuple[str, str], work: Callable[[], str | None]) -> str | None:
        """``work()``, or ``None`` when the same type is already being worked out (a cycle
        such as ``x = x.next()``)."""
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            return work()
        finally:
            self._busy.discard(key)

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
            return self.returned_type(self.functions[value])
        return value

    def returned_type(self, function: Function) -> str | None:
        """The class of what a function gives: its return annotation, else what its
        ``return`` statements (for a generator, its ``yield``s) give."""
        return self._once(("returns", function.name), partial(self._returned, function))

    def _returned(self, function: Function) -> str | None:
        annotation = function.fact.annotation
        if annotation:
            typed = self.annotation_type(function.module.name, annotation)
            return function.owner if typed in _SELF and function.owner else typed
        given = function.fact.yields or function.fact.returns
        return next(filter(None, (self.value_type(function, value) for value in given)), None)

    def annotation_type(self, module: str, annotation: str) -> str | None:
        """The type an annotation names, through module-variable aliases."""
        qualified = self.qualify(module, annotation)
        if qualified is None:
            return None
        qualified = self.canonical(qualified)
        if qualified in self.variables:
            return self.type_of_variable(qualified)
        return qualified

    def value_type(self, caller: Function, value: str) -> str | None:
        """The type of a value written in ``caller``: ``Callee()`` (a class, a function
        that gives a known type, an external callable), ``self.attribute`` or a name."""
        if value.endswith("()"):
            target = self.resolve(caller, value[:-2])
            if target.kind == "function":
                function = self.functions[target.name]
                return None if target.attribute else self.returned_type(function)
            return None if target.kind == "unresolved" else target.name
        head, *rest = value.split(".")
        typed = (caller.owner or None) if head == "self" else self.local_type(caller, head)
        for name in rest:
            if typed is None:
                return None
            typed = self.attribute_type(typed, name) if typed in self.classes else None
        return typed

    def attribute_type(self, owner: str, name: str) -> str | None:
        """The type of an attribute of ``owner``'s instances, through its hierarchy."""
        for cls in self.ancestry(owner)[0]:
            if name in self.attributes[cls]:
                return self._once(("attribute", f"{cls}.{name}"),
                                  partial(self._attribute, cls, name))
        return None

    def _attribute(self, cls: str, name: str) -> str | None:
        method, annotation, value = self.attributes[cls][name]
        if method:
            function = self.functions[method]
            if annotation:
                return self.annotation_type(function.module.name, annotation)
            return self.value_type(function, value)
        module = self.classes[cls][0].name
        if annotation:
            return self.annotation_type(module, annotation)
        qualified = self.qualify(module, value[:-2])
        return self.canonical(qualified) if qualified else None

    def local_type(self, caller: Function, name: str) -> str | None:
        """The type of a parameter or a local variable of ``caller``."""
        return self._once(("local", f"{caller.name}:{name}"),
                          partial(self._local, caller, name))

    def _local(self, caller: Function, name: str) -> str | None:
        module = caller.module.name
        for param, annotation in caller.fact.params:
            if param != name:
                continue
            if annotation:
                return self.annotation_type(module, annotation)
            injected = self.dependencies(caller).get(name)
            return self.returned_type(self.functions[injected[0]]) if injected else None
        for target, annotation, value in caller.fact.assigned:
            if target == name:
                if annotation:
                    return self.annotation_type(module, annotation)
                return self.value_type(caller, value)
        return None

    def dependencies(self, function: Function) -> dict[str, list[str]]:
        """Parameter -> the repository functions injected into it (``db =
        Depends(get_db)``, ``user: CurrentUser`` of ``CurrentUser = Annotated[User,
        Depends(get_current_user)]``), in the order of the parameters."""
        module = function.module.name
        found: dict[str, list[str]] = {}
        for param, annotation in function.fact.params:
            written = [(module, text) for p, text in function.fact.injected if p == param]
            alias = self.qualify(module, annotation) if annotation else None
            if alias:
                alias = self.canonical(alias)
                written += [(alias.rpartition(".")[0], text)
                            for text in self.metadata.get(alias, ())]
            injected = [name for where, text in written
                        for name in [self._injected(where, text)] if name]
            if injected:
                found[param] = injected
        return found

    def _injected(self, module: str, text: str) -> str | None:
        """The repository function a ``Callee(argument)`` text injects, if its callee is
        one of the :attr:`injectors`."""
        callee, _, argument = text.partition("(")
        argument = argument[:-1]
        if not argument or self.resolve_in_module(module, callee).name not in self.injectors:
            return None
        target = self.resolve_in_module(module, argument)
        return target.name if target.kind == "function" and not target.attribute else None

    # -- resolution -----------------------------------------------------------------------

    def resolve(self, caller: Function, callee: str) -> Target:
        """What the call ``callee`` (as written in ``caller``'s body) refers to."""
        head, _, rest = callee.partition(".")
        parts = rest.split(".") if rest else []
        if head in ("self", "cls") and caller.owner:
            if parts:
                return self._member(caller.owner, parts, callee)
            return Target("class", caller.owner) if head == "cls" else Target(
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
        typed = self.canonical(typed)
        if not parts:  # calling an instance: a factory's product, or ``__call__``
            if typed in self.factories:
                return Target("external", self.factories[typed])
            return self._member(typed, ["__call__"], written) if typed in self.classes else \
                Target("unresolved", written)
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
                returned = self.returned_type(method)  # a call on what the method gives
                return self._on_type(returned, parts[1:], written) if returned else Target(
                    "unresolved", written)
            if name in self.attributes[cls]:
                typed = self.attribute_type(cls, name)
                return self._on_type(typed, parts[1:], written) if typed else Target(
                    "unresolved", written)
        if external:
            return Target("external", ".".join([external[0], *parts]))
        return Target("unresolved", written)


def build_call_graph(modules: list[tuple[Module, dict[str, str], FileFacts]],
                     injectors: frozenset[str] = frozenset(),
                     factories: dict[str, str] | None = None) -> CallGraph:
    """The call graph of these modules: ``(module, imported names, facts)`` triples;
    ``injectors`` inject a dependency into a parameter, instances of ``factories`` make the
    type they map to when called."""
    graph = CallGraph(injectors=injectors, factories=factories or {})
    for module, bound, facts in modules:
        graph.add_module(module, bound, facts)
    return graph
