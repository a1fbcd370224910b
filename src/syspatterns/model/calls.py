"""A static call graph of the repository's code, resolved on demand.

A call is written as a dotted name (``crud.get_user``, ``self.repo.save``,
``session.exec``); :meth:`CallGraph.resolve` says what it refers to, following:

- the module's imports (``from app import crud`` makes ``crud.get_user`` the function
  ``app.crud.get_user``), re-exports of imported names, and the module's own definitions;
- ``self``/``cls`` to the enclosing class and its bases (the repository's, then the first
  external base: ``self.save()`` in a Django model is ``django.db.models.Model.save``);
- the types a name has: a parameter's annotation (through aliases such as
  ``SessionDep = Annotated[Session, Depends(get_db)]``) or, without one, what its injected
  dependency (``user = Depends(get_current_user)``) gives, else the one type that every call
  of the function the facts show passes for it (``setup_routes(app)`` after ``app =
  web.Application()``; not through the callers' own parameters); a local ``x = Foo()``, ``x =
  make_foo()`` or ``with Foo() as x``; a module variable ``router = APIRouter()`` or ``app =
  create_app()``; what calling a factory makes (``db = SessionLocal()`` of ``SessionLocal =
  sessionmaker(...)``, see :attr:`CallGraph.factories`); an attribute of the instance: a
  class-level annotation ``repo: Repo``, a class attribute ``objects = Manager()``, or
  ``self.repo = repo`` (of an annotated parameter), ``self.client = httpx.Client()`` in a
  method;
- what a function gives: its return annotation (``-> Service``, ``-> Self``), else what it
  returns (``return Service(...)``, ``return app``), for a generator what it yields (as
  ``with`` and dependency injection hand it over);
- a call made on what a plain function returns (``get_service().handle(x)``): the facts
  write it as ``get_service.handle``, as they write a call of an attribute of the function
  itself (``send_email.delay``); it is read as a call on the result only when the function
  is called in the same body, has no attribute of that name (no decorator but those of
  :attr:`CallGraph.wrappers`, which keep the function's calls and add attributes of their
  own, and no ``get_service.handle = ...`` anywhere) and the name is not a dunder;
- an attribute set in ``__init__`` from a parameter annotated with a port (a protocol or an
  abstract class): the one concrete class of the repository that every construction of the
  class passes for that parameter (``OrderService(SqlOrderRepository(session))``), when the
  facts show every construction with its arguments; the call then goes *through* the port
  (:attr:`Target.port`).

Anything else is *unresolved* and reported as such, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from syspatterns.extract.facts import CallFact, ClassFact, FileFacts, FunctionFact
from syspatterns.extract.python import BUILTIN_NAMES, MODULE_CALLS_LIMIT
from syspatterns.model.modules import Module
from syspatterns.model.names import aliases, is_dotted_name, qualify, spellings

_DEPTH = 8  # how many aliases and re-exports a resolution follows
# A parameter is not typed from its callers when the function's name is called from more
# places than this (every callee ending with it is resolved to tell).
_CALLERS_LIMIT = 64
_SELF = frozenset({"typing.Self", "typing_extensions.Self"})


def _is_string(value: str) -> bool:
    """Whether a value as the facts write it is a string literal (quoted)."""
    return value[:1] in ("'", '"')


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
    # The port (protocol or abstract class) a call of an instance attribute went through to
    # reach ``name``, a method of the one concrete class constructed for it.
    port: str = ""


@dataclass(frozen=True)
class Ports:
    """What makes a class a port: a protocol's bases, an abstract class's bases and
    metaclasses (qualified)."""

    protocols: frozenset[str] = frozenset()
    abstract: frozenset[str] = frozenset()
    metaclasses: frozenset[str] = frozenset()


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
    # Decorators whose result is called as the function they wrap (``functools.lru_cache``)
    # -> the attributes the wrapper adds (``cache_clear``).
    wrappers: dict[str, frozenset[str]] = field(default_factory=dict)
    ports: Ports = field(default_factory=Ports)
    # ``module.NAME`` -> the string a module-level name is assigned (``API_PREFIX =
    # "/api"``), as written (quoted).
    strings: dict[str, str] = field(default_factory=dict)
    # Module -> its module-level calls with their arguments (the facts keep every one, up to
    # a limit: the modules that reach it are :attr:`crowded`).
    module_calls: dict[str, tuple[CallFact, ...]] = field(default_factory=dict)
    crowded: set[str] = field(default_factory=set)
    # ``target = value`` on an attribute of another object, qualified where written
    # (``app.jobs.send.retries`` for ``send.retries = 3``).
    attribute_sets: set[str] = field(default_factory=set)
    _busy: set[tuple[str, str]] = field(default_factory=set)  # types being worked out
    # ``(class, attribute)`` -> ``(concrete class, port)`` (see :meth:`implementation`).
    _implementations: dict[tuple[str, str], tuple[str, str] | None] = field(
        default_factory=dict)
    _sites: dict[str, list[tuple[str, CallFact]] | None] = field(default_factory=dict)
    _bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _children: dict[str, list[str]] | None = None  # see :meth:`subclasses`
    _attributes: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    _ancestry: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    _canonical: dict[str, str] = field(default_factory=dict)
    # The last segment of an imported name -> the other names it is imported under.
    _aliases: dict[str, set[str]] | None = None
    # Callers by the last segment of the callee (see :meth:`_passed_type`), and how many
    # parameters' types are being worked out through their callers.
    _calling: dict[str, list[tuple[Function, str]]] | None = None
    _module_calling: dict[str, list[tuple[str, CallFact]]] | None = None
    _passing: int = 0
    _passed: dict[tuple[str, str], str | None] = field(default_factory=dict)

    # -- building -----------------------------------------------------------------------

    def add_module(self, module: Module, bound: dict[str, str], facts: FileFacts) -> None:
        """Index one module, given the names its imports bind."""
        self._bases.clear()  # a new module may hold a class's bases or a re-export
        self._children = None
        self._attributes.clear()
        self._ancestry.clear()
        self._canonical.clear()
        self._aliases = None
        self._calling = self._module_calling = None
        self._passed.clear()
        prefix = module.name
        local = {c.name for c in facts.classes} | {f.name for f in facts.functions}
        local.update(v.name for v in facts.variables)
        assigned = [(t, a.callee) for a in facts.assignments if not a.scope for t in a.targets]
        local.update(name for name, _ in assigned)
        self.names[prefix] = _ModuleNames(module, bound, local)
        for function in facts.functions:
            name = f"{prefix}.{function.name}"
            self.functions[name] = Function(name, module, function, "")
        for cls in facts.classes:
            self._add_class(module, cls)
        self.module_calls[prefix] = tuple(c for c in facts.calls if not c.scope)
        if len(facts.calls) >= MODULE_CALLS_LIMIT:
            self.crowded.add(prefix)
        for attribute_set in facts.attribute_sets:
            target = self.qualify(prefix, attribute_set.target)
            if target:
                self.attribute_sets.add(target)
        for name, callee in assigned:
            qualified = self.qualify(prefix, callee)
            if qualified:
                self.variables[f"{prefix}.{name}"] = ("call", qualified)
        for constant in (*facts.constants, *facts.variables):
            if _is_string(constant.value):
                self.strings[f"{prefix}.{constant.name}"] = constant.value
        for variable in facts.variables:
            name, value = variable.name, variable.value
            key = f"{prefix}.{name}"
            if variable.items:
                self.metadata[key] = variable.items
            if key in self.variables or not is_dotted_name(value):
                continue
            qualified = self.qualify(prefix, value)
            if qualified:
                self.variables[key] = ("alias", qualified)

    def _add_class(self, module: Module, cls: ClassFact) -> None:
        """Index a class and its methods."""
        owner = f"{module.name}.{cls.name}"
        self.classes[owner] = (module, cls)
        for method in cls.methods:
            name = f"{owner}.{method.name}"
            self.functions[name] = Function(name, module, method, owner)

    def attributes(self, owner: str) -> dict[str, tuple[str, str, str]]:
        """The attributes of a repository class's instances -> ``(method, annotation,
        value)``: where they get it, the method "" for a class-level annotation (see
        :attr:`FunctionFact.assigned`); computed once per class, for the classes calls reach."""
        found = self._attributes.get(owner)
        if found is None:
            cls = self.classes[owner][1]
            found = {name: ("", annotation, "") for name, annotation in cls.annotations}
            for name, value, _ in cls.attributes:
                if value.endswith("()"):
                    found.setdefault(name, ("", "", value))
            for method in cls.methods:
                for target, annotation, value in method.assigned:
                    if target.startswith("self."):
                        found.setdefault(target[5:], (f"{owner}.{method.name}", annotation,
                                                      value))
            self._attributes[owner] = found
        return found

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
        if head in BUILTIN_NAMES:
            return f"builtins.{dotted}"
        return None

    def spellings(self, names: Collection[str]) -> frozenset[str] | None:
        """The last segments of the calls that may resolve to one of ``names`` (external
        names, or an attribute of what a decorated function became), a cheap test before
        :meth:`resolve`: theirs, and the names they are imported or re-exported under (``p``
        for ``from django.urls import path as p``). Resolving keeps a call's last segment
        otherwise, except for a call of an object, which gives a factory's product or
        ``__call__``: ``None`` (no test) when one of ``names`` ends so."""
        lasts = {name.rpartition(".")[2] for name in names}
        if "__call__" in lasts or not lasts.isdisjoint(
                product.rpartition(".")[2] for product in self.factories.values()):
            return None
        if self._aliases is None:
            self._aliases = aliases(names_of.bound for names_of in self.names.values())
        return spellings(names, self._aliases)

    def _split(self, dotted: str) -> tuple[str, list[str]] | None:
        """The longest prefix of ``dotted`` that is one of the repository's modules, and the
        rest; ``None`` when no prefix is."""
        end = len(dotted)
        while end > 0:
            prefix = dotted[:end]
            if prefix in self.names:
                rest = dotted[end + 1:]
                return prefix, rest.split(".") if rest else []
            end = dotted.rfind(".", 0, end)
        return None

    def bases(self, owner: str) -> tuple[str, ...]:
        """The qualified bases of a repository class (computed once per class)."""
        found = self._bases.get(owner)
        if found is None:
            module, cls = self.classes[owner]
            found = self._bases[owner] = tuple(
                self.held(self.canonical(qualified)) for base in cls.bases
                for qualified in [self.qualify(module.name, base)] if qualified)
        return found

    def string_value(self, module: str, written: str, scope: str = "") -> str | None:
        """The string literal (as written, quoted) that a name written in ``module`` (in its
        function ``scope``, "" at module level) holds: a module-level string (``API_PREFIX =
        "/api"``, also imported), or a class attribute of a repository class assigned one,
        read on the class or on an instance of it, a module-level one or a local whose type
        is known (``settings.API_V1_STR`` of ``settings = Settings()`` and ``API_V1_STR: str =
        "/api/v1"``: the class's value, which a settings class may let the environment
        override); ``None`` otherwise."""
        caller = self.functions.get(f"{module}.{scope}") if scope else None
        head, _, attribute = written.partition(".")
        if caller is not None and attribute and "." not in attribute:
            typed = self.local_type(caller, head)
            if typed is not None:
                return self._class_string(typed, attribute)
        qualified = self.qualify(module, written)
        split = self._split(self.canonical(qualified)) if qualified else None
        if split is None or not split[1] or len(split[1]) > 2:
            return None
        owner, rest = split
        key = f"{owner}.{rest[0]}"
        if len(rest) == 1:
            return self.strings.get(key)
        cls = key if key in self.classes else self.type_of_variable(key)
        return self._class_string(cls, rest[1]) if cls is not None else None

    def _class_string(self, cls: str, attribute: str) -> str | None:
        """The string literal a repository class (or its nearest base that assigns it) gives
        ``attribute``."""
        if cls not in self.classes:
            return None
        for ancestor in self.ancestry(cls)[0]:
            for name, value, _ in self.classes[ancestor][1].attributes:
                if name == attribute:
                    return value if _is_string(value) else None
        return None

    def held(self, dotted: str, depth: int = 0) -> str:
        """What a qualified name written as a class refers to when it goes through a module
        variable: an alias (``Model = db.Model``) is followed, and an attribute of an
        instance of an external class is that class's (``db.Model`` of ``db =
        SQLAlchemy()`` is ``flask_sqlalchemy.SQLAlchemy.Model``); any other name is kept."""
        split = self._split(dotted)
        if split is None or depth > _DEPTH or not split[1]:
            return dotted
        module, rest = split
        key = f"{module}.{rest[0]}"
        entry = self.variables.get(key)
        if entry is None:
            return dotted
        kind, value = entry
        if kind == "alias":
            return self.held(".".join([self.canonical(value), *rest[1:]]), depth + 1)
        typed = self.type_of_variable(key) if rest[1:] else None
        if typed is not None and self._split(typed) is None:
            return ".".join([typed, *rest[1:]])
        return dotted

    def subclasses(self, name: str) -> list[str]:
        """The repository classes that list ``name`` (qualified) among their bases."""
        if self._children is None:
            self._children = defaultdict(list)
            for owner in self.classes:
                for base in self.bases(owner):
                    self._children[base].append(owner)
        return self._children.get(name, [])

    def below(self, names: Collection[str]) -> set[str]:
        """The repository classes below one of ``names``: those that list one among their
        bases, and theirs, at any depth (a cheap test before :meth:`is_subclass`, which holds
        for no other class)."""
        found: set[str] = set()
        pending = list(names)
        while pending:
            for owner in self.subclasses(pending.pop()):
                if owner not in found:
                    found.add(owner)
                    pending.append(owner)
        return found

    def ancestry(self, owner: str) -> tuple[list[str], list[str]]:
        """The repository classes of ``owner``'s hierarchy (itself first, depth first) and
        its external ancestors (computed once per class: callers must not change them)."""
        found = self._ancestry.get(owner)
        if found is None:
            found = self._ancestry[owner] = self._walk_ancestry(owner)
        return found

    def _walk_ancestry(self, owner: str) -> tuple[list[str], list[str]]:
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

    def canonical(self, dotted: str) -> str:
        """A qualified name with re-exports followed: ``app.models.User`` when ``app.models``
        re-exports ``User`` from ``app.models.user`` gives ``app.models.user.User``."""
        found = self._canonical.get(dotted)
        if found is None:
            found = self._canonical[dotted] = self._follow(dotted, 0)
        return found

    def _follow(self, dotted: str, depth: int) -> str:
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
        return self._follow(".".join([bound, *rest[1:]]), depth + 1)

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
            if name in self.attributes(cls):
                return self._once(("attribute", f"{cls}.{name}"),
                                  partial(self._attribute, cls, name))
        return None

    def _attribute(self, cls: str, name: str) -> str | None:
        implemented = self.implementation(cls, name)
        if implemented is not None:
            return implemented[0]
        return self._declared(cls, name)

    def _declared(self, cls: str, name: str) -> str | None:
        """The type an attribute is declared or assigned with."""
        method, annotation, value = self.attributes(cls)[name]
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
            if injected:
                return self.returned_type(self.functions[injected[0]])
            return self._passed_type(caller, name)
        for target, annotation, value in caller.fact.assigned:
            if target == name:
                if annotation:
                    return self.annotation_type(module, annotation)
                return self.value_type(caller, value)
        return None

    def _passed_type(self, function: Function, param: str) -> str | None:
        """The type of an unannotated parameter of ``function`` that every call of it the
        facts show passes alike: the type of the name each passes there (``setup_routes(app)``
        after ``app = web.Application()``), or of the instance or module variable a
        module-level call passes. ``None`` when no call is seen, when one passes something
        else (a literal, an expression, after ``*args``) or a call's arguments are not in the
        facts, when the calls pass different types, or when the function is called from more
        than :data:`_CALLERS_LIMIT` places; calls the facts cannot show (the function handed
        on as a callback) are not known. The callers' own parameters are not typed from
        their callers in turn."""
        if self._passing:
            return None
        key = (function.name, param)
        if key not in self._passed:
            self._passed[key] = self._passed_by_callers(function, param)
        return self._passed[key]

    def _passed_by_callers(self, function: Function, param: str) -> str | None:
        position = [name for name, _ in function.fact.params].index(param)
        if function.owner and "staticmethod" not in function.fact.decorators:
            position -= 1  # a bound method: ``self`` or ``cls`` is not passed
        short = function.name.rpartition(".")[2]
        callers, module_callers = self._callers(short), self._module_callers(short)
        if position < 0 or len(callers) + len(module_callers) > _CALLERS_LIMIT or not (
                module_callers or any(written == callee for caller, callee in callers
                                      for written, _, _ in caller.fact.passes)):
            return None
        found: set[str | None] = set()
        self._passing += 1
        try:
            for caller, callee in callers:
                target = self.resolve(caller, callee)
                if target.kind != "function" or target.name != function.name or (
                        target.attribute):
                    continue
                sites = [args for written, _, args in caller.fact.passes if written == callee]
                if not sites:
                    return None
                for args in sites:
                    name = next((n for key, n in args if key in (param, str(position))), None)
                    if name is None or name == "cls":
                        return None
                    found.add(caller.owner or None if name == "self" else self.local_type(
                        caller, name))
            for module, call in module_callers:
                if self.resolve_in_module(module, call.callee) == Target(
                        "function", function.name):
                    found.add(self._argument_type(module, call, position, param))
        finally:
            self._passing -= 1
        return found.pop() if len(found) == 1 else None

    def _callers(self, short: str) -> list[tuple[Function, str]]:
        """The functions whose body calls a callee ending with ``short``, with that callee
        as written (built once, for every name)."""
        if self._calling is None:
            self._calling = defaultdict(list)
            for function in self.functions.values():
                for callee, _ in function.fact.calls:
                    self._calling[callee.rpartition(".")[2]].append((function, callee))
        return self._calling.get(short, [])

    def _module_callers(self, short: str) -> list[tuple[str, CallFact]]:
        """The module-level calls whose callee ends with ``short``, by module."""
        if self._module_calling is None:
            self._module_calling = defaultdict(list)
            for module, calls in self.module_calls.items():
                for call in calls:
                    self._module_calling[call.callee.rpartition(".")[2]].append((module, call))
        return self._module_calling.get(short, [])

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
        target = self._resolve(caller, callee)
        if target.kind == "function" and target.attribute:
            return self._on_result(caller, callee, target)
        return target

    def _resolve(self, caller: Function, callee: str) -> Target:
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
            if name in self.attributes(cls):
                typed = self.attribute_type(cls, name)
                if typed is None:
                    return Target("unresolved", written)
                target = self._on_type(typed, parts[1:], written)
                implemented = self.implementation(cls, name)
                if implemented is not None and target.kind == "function" and (
                        typed == implemented[0]):
                    return target._replace(port=implemented[1])
                return target
        if external:
            return Target("external", ".".join([external[0], *parts]))
        return Target("unresolved", written)

    # -- calls on what a function returns ---------------------------------------------------

    def _on_result(self, caller: Function, callee: str, target: Target) -> Target:
        """``f().g()``, which the facts write ``f.g`` as they write a call of the function's
        own attribute ``f.g()``: read as a call on what ``f`` returns when ``caller`` calls
        ``f`` itself and ``f`` has no attribute ``g`` (see the module's docstring)."""
        attribute = target.attribute
        head = attribute.partition(".")[0]
        function = self.functions[target.name]
        called = callee[:-len(attribute) - 1] if callee.endswith(f".{attribute}") else ""
        if not called or head.startswith("__") or not any(
                written == called for written, _ in caller.fact.calls):
            return target
        for decorator in function.fact.decorators:
            qualified = self.qualify(function.module.name, decorator)
            added = self.wrappers.get(self.canonical(qualified)) if qualified else None
            if added is None or head in added:
                return target
        if any(self.canonical(t) == f"{target.name}.{head}" for t in self.attribute_sets):
            return target
        returned = self.returned_type(function)
        return self._on_type(returned, attribute.split("."), callee) if returned else Target(
            "unresolved", callee)

    # -- ports and their implementations -----------------------------------------------------

    def is_port(self, owner: str) -> bool:
        """Whether a repository class is a protocol (``Protocol`` among its own bases: a class
        that derives from a protocol without is an implementation) or an abstract class."""
        if owner not in self.classes:
            return False
        if self._is_protocol(owner) or self.is_subclass(owner, self.ports.abstract):
            return True
        for cls in self.ancestry(owner)[0]:
            module, fact = self.classes[cls]
            for keyword, value in fact.keywords:
                qualified = self.qualify(module.name, value) if keyword == "metaclass" else None
                if qualified and self.canonical(qualified) in self.ports.metaclasses:
                    return True
        return False

    def _is_protocol(self, owner: str) -> bool:
        return not self.ports.protocols.isdisjoint(self.bases(owner))

    def implements(self, concrete: str, port: str) -> bool:
        """Whether a repository class derives from ``port``, or, for a protocol, has every
        method and annotated attribute the protocol declares."""
        own = self.ancestry(concrete)[0]
        if port in own:
            return True
        if not self._is_protocol(port):
            return False
        members = {name for cls in self.ancestry(port)[0]
                   for name in [m.name for m in self.classes[cls][1].methods]
                   + [a for a, _ in self.classes[cls][1].annotations]}
        return all(any(f"{cls}.{name}" in self.functions or name in self.attributes(cls)
                       for cls in own) for name in members)

    def implementation(self, owner: str, name: str) -> tuple[str, str] | None:
        """``(concrete class, port)`` when the attribute ``name`` of ``owner``'s instances is
        set in ``__init__`` from a parameter typed with a port and every construction of
        ``owner`` the facts show passes an instance of the same concrete class of the
        repository that implements the port for it; ``None`` otherwise."""
        key = (owner, name)
        if key not in self._implementations:
            self._implementations[key] = None  # while it is worked out: a cycle finds none
            self._implementations[key] = self._implementation(owner, name)
        return self._implementations[key]

    def _implementation(self, owner: str, name: str) -> tuple[str, str] | None:
        method, _, value = self.attributes(owner)[name]
        if not method.endswith(".__init__") or not value.isidentifier():
            return None
        init = self.functions[method]
        params = [param for param, _ in init.fact.params]
        if value not in params[1:]:
            return None
        port = self._declared(owner, name)
        if port is None or not self.is_port(port):
            return None
        if any(cls != owner and owner in self.ancestry(cls)[0]
               for cls in self.subclasses(owner)):
            return None  # a subclass's constructions reach this ``__init__`` as well
        if owner not in self._sites:
            self._sites[owner] = self._constructions(owner)
        sites = self._sites[owner]
        if not sites:
            return None
        position = params.index(value) - 1
        concrete = {self._argument_type(module, call, position, value) for module, call in sites}
        if len(concrete) != 1:
            return None
        found = concrete.pop()
        if found is None or found == port or found not in self.classes or not self.implements(
                found, port):
            return None
        return found, port

    def _argument_type(self, module: str, call: CallFact, position: int,
                       keyword: str) -> str | None:
        """The type of the argument a call passes for a parameter (by keyword, else by its
        position), when it is an instance made there or a module variable."""
        text = next((v for k, v in call.keywords if k == keyword), None)
        if text is None:
            if position >= len(call.args) or "" in call.args[:position]:
                return None  # left to a default or ``**kwargs``, or after a ``*args``
            text = call.args[position]
        if text.endswith("()"):
            target = self.resolve_in_module(module, text[:-2])
            if target.kind == "class":
                return target.name
            if target.kind == "function" and not target.attribute:
                return self.returned_type(self.functions[target.name])
            return None
        qualified = self.qualify(module, text) if text[:1].isidentifier() else None
        return self.type_of_variable(self.canonical(qualified)) if qualified else None

    def _names_of(self, owner: str) -> set[str]:
        """The names a class may be called by: its own and those imports bind it to."""
        found = {owner.rpartition(".")[2]}
        for names in self.names.values():
            found.update(local for local, bound in names.bound.items()
                         if self.canonical(bound) == owner)
        return found

    def _constructions(self, owner: str) -> list[tuple[str, CallFact]] | None:
        """Every module-level call that constructs ``owner``, with its arguments; ``None``
        when the class is constructed elsewhere (in a function, whose calls the facts keep
        without their arguments; by ``cls()``), made at class level, or handed on as a value
        (``Depends(Service)``, ``factory = Service``) where the facts show it, or when a
        module has more calls than the facts keep."""
        if self.crowded:
            return None
        for key, (kind, value) in self.variables.items():
            if kind == "alias" and self.canonical(value) == owner and (
                    key not in self.metadata or self._constructs(
                        key.rpartition(".")[0], self.metadata[key])):
                # ``Alias = Service``, whose calls are not told apart, or ``Annotated[Service,
                # Depends()]``, which the framework constructs
                return None
        names = self._names_of(owner)
        is_owner = Target("class", owner)

        def named(text: str) -> bool:
            return text.removesuffix("()").rpartition(".")[2] in names

        sites: list[tuple[str, CallFact]] = []
        for module, calls in self.module_calls.items():
            for call in calls:
                values = (*call.args, *(v for _, v in call.keywords))
                if any(named(v) and not v.endswith("()") and self.resolve_in_module(
                        module, v) == is_owner for v in values):
                    return None
                if named(call.callee) and self.resolve_in_module(module, call.callee) == is_owner:
                    sites.append((module, call))
        for where, cls in self.classes.values():
            if any(named(value) and self.resolve_in_module(
                    where.name, value.removesuffix("()")) == is_owner
                    for _, value, _ in cls.attributes):
                return None
        for function in self.functions.values():
            fact = function.fact
            written = [c for c, _ in fact.calls if named(c) or (c == "cls" and function.owner)]
            written += [v for v in (*fact.returns, *(a[2] for a in fact.assigned))
                        if named(v) and not v.endswith("()")]
            written += [text.partition("(")[2][:-1] for _, text in fact.injected
                        if named(text.partition("(")[2][:-1])]
            if any(self.resolve(function, text) == is_owner for text in written):
                return None
            module = function.module.name
            for param, annotation in fact.params:
                texts = tuple(text for p, text in fact.injected if p == param)
                if named(annotation) and self._constructs(module, texts) and (
                        self.annotation_type(module, annotation) == owner):
                    return None  # ``service: Annotated[Service, Depends()]``
        return sites

    def _constructs(self, module: str, texts: tuple[str, ...]) -> bool:
        """Whether one of these ``Callee(argument)`` texts is an injector without argument
        (``Depends()``), which makes an instance of the annotated class."""
        return any(text.endswith("()") and self.resolve_in_module(
            module, text[:-2]).name in self.injectors for text in texts)


def build_call_graph(modules: list[tuple[Module, dict[str, str], FileFacts]],
                     injectors: frozenset[str] = frozenset(),
                     factories: dict[str, str] | None = None,
                     wrappers: dict[str, frozenset[str]] | None = None,
                     ports: Ports | None = None) -> CallGraph:
    """The call graph of these modules: ``(module, imported names, facts)`` triples;
    ``injectors`` inject a dependency into a parameter, instances of ``factories`` make the
    type they map to when called, ``wrappers`` are decorators whose result is called as the
    function they wrap (with the attributes they add), ``ports`` say what makes a class a
    protocol or an abstract class."""
    graph = CallGraph(injectors=injectors, factories=factories or {}, wrappers=wrappers or {},
                      ports=ports or Ports())
    for module, bound, facts in modules:
        graph.add_module(module, bound, facts)
    return graph
