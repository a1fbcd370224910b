"""What the pattern detectors share: the code's classes and functions by fully qualified name,
inheritance, interfaces and their implementations, and where names are used.

Names are resolved through each module's imports, then through re-exports
(``django.db.models.Model`` is ``django.db.models.base.Model`` when ``django.db.models``
imports it from there), so a class is recognised however a module refers to it. Built once per
model (see :func:`pattern_context`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple, TypeVar, cast

from syspatterns.analysis.source import CodeModule, code_modules, short
from syspatterns.core.evidence import Evidence
from syspatterns.extract.facts import CallFact, ClassFact, FunctionFact
from syspatterns.model import SystemModel
from syspatterns.model.names import aliases, is_dotted_name, spellings
from syspatterns.patterns.knowledge import names

_REEXPORT_DEPTH = 6
T = TypeVar("T")


@dataclass(eq=False)
class ClassInfo:
    """A class of the code, its module and its bases (fully qualified)."""

    qualname: str
    fact: ClassFact
    owner: CodeModule
    bases: tuple[str, ...]
    methods: dict[str, FunctionFact] = field(init=False, repr=False)
    # Class-level attribute -> its value's description.
    attributes: dict[str, str] = field(init=False, repr=False)
    # ``__init__``'s parameters after ``self``, as ``(name, annotation)``.
    init_params: tuple[tuple[str, str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.methods = {m.name: m for m in self.fact.methods}
        self.attributes = {name: value for name, value, _ in self.fact.attributes}
        init = self.methods.get("__init__")
        self.init_params = init.params[1:] if init is not None else ()

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def at(self) -> Evidence:
        return self.owner.at(self.fact.line)

    def method_at(self, name: str) -> Evidence:
        return self.owner.at(self.methods[name].line)


@dataclass(eq=False)
class FunctionInfo:
    """A top-level function or a method of a top-level class."""

    qualname: str
    display: str  # ``function`` or ``Class.method``
    fact: FunctionFact
    owner: CodeModule
    cls: ClassInfo | None

    @property
    def at(self) -> Evidence:
        return self.owner.at(self.fact.line)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fact.params)

    @property
    def given_names(self) -> tuple[str, ...]:
        """The parameters its callers pass: a method's without the instance or class it is
        bound to (``self``, ``cls``)."""
        names = self.param_names
        bound = self.cls is not None and not any(
            d.rpartition(".")[2] == "staticmethod" for d in self.fact.decorators)
        return names[1:] if bound else names


class Interface(NamedTuple):
    """A class that others implement: a ``Protocol``, an abstract base class, or a base class
    whose hooks raise ``NotImplementedError``. ``members`` are the methods implementations
    provide (for a protocol, all of its methods)."""

    info: ClassInfo
    kind: str
    members: tuple[str, ...]


class Use(NamedTuple):
    """A decorator applied to a function or class: what it decorates and where."""

    target: str
    evidence: Evidence
    is_class: bool
    owner: CodeModule


@dataclass(eq=False)
class PatternContext:
    model: SystemModel
    modules: list[CodeModule]
    by_module: dict[str, CodeModule] = field(init=False)
    classes: dict[str, ClassInfo] = field(init=False)
    functions: dict[str, FunctionInfo] = field(init=False)
    _resolved: dict[tuple[str, str], str] = field(init=False, default_factory=dict)
    _canonical: dict[str, str] = field(init=False, default_factory=dict)
    _spellings: dict[frozenset[str], frozenset[str]] = field(init=False, default_factory=dict)
    _ancestors: dict[str, frozenset[str]] = field(init=False, default_factory=dict)
    _variables: dict[str, frozenset[str]] = field(init=False, default_factory=dict)
    _memo: dict[str, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.by_module = {m.module.name: m for m in self.modules}
        self.classes = {}
        self.functions = {}
        for owner in self.modules:
            prefix = owner.module.name
            for cls in owner.facts.classes:
                info = ClassInfo(f"{prefix}.{cls.name}", cls, owner, ())
                self.classes[info.qualname] = info
                for method in cls.methods:
                    qualname = f"{info.qualname}.{method.name}"
                    self.functions[qualname] = FunctionInfo(
                        qualname, f"{cls.name}.{method.name}", method, owner, info)
            for function in owner.facts.functions:
                qualname = f"{prefix}.{function.name}"
                self.functions[qualname] = FunctionInfo(qualname, function.name, function,
                                                        owner, None)
        for info in self.classes.values():
            info.bases = tuple(self.held(self.resolve(info.owner, base))
                               for base in info.fact.bases)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per context: how detectors share derived indexes."""
        if key not in self._memo:
            self._memo[key] = build()
        return cast(T, self._memo[key])

    # -- names ------------------------------------------------------------------------------

    def resolve(self, owner: CodeModule, name: str) -> str:
        """``name`` as written in ``owner``, fully qualified (module-level variables
        included) and followed through re-exports (each name once per module: detectors
        resolve the same decorators, returns and annotations)."""
        key = (owner.module.name, name)
        found = self._resolved.get(key)
        if found is None:
            resolved = owner.resolve(name)
            if resolved == name and name.partition(".")[0] in self.variables(owner):
                resolved = f"{owner.module.name}.{name}"
            found = self._resolved[key] = self.canonical(resolved)
        return found

    def held(self, name: str) -> str:
        """What a resolved name written as a class refers to when it goes through a module
        variable: an alias (``Model = db.Model``) is followed, and an attribute of a
        module-level object an external callable made is that callable's (``db.Model`` of
        ``db = SQLAlchemy()`` is ``flask_sqlalchemy.SQLAlchemy.Model``)."""
        for _ in range(_REEXPORT_DEPTH):
            head, _, attribute = name.rpartition(".")
            created = self.objects.get(head)
            if created is not None:
                created = self.canonical(created)
                return name if created in self.classes else f"{created}.{attribute}"
            alias = self._variable_aliases.get(name)
            if alias is None:
                return name
            name = alias
        return name

    @cached_property
    def _variable_aliases(self) -> dict[str, str]:
        """Module variable (qualified) -> the resolved dotted name it is assigned."""
        return {f"{owner.module.name}.{variable.name}": self.resolve(owner, variable.value)
                for owner in self.modules for variable in owner.facts.variables
                if is_dotted_name(variable.value)}

    def spellings(self, names: frozenset[str]) -> frozenset[str]:
        """The last segments of the names that may resolve to one of ``names``: theirs, and
        the names they are imported under anywhere (``w`` for ``from functools import wraps
        as w``, also through re-exports). Resolving keeps a name's last segment otherwise, so
        this is a cheap test before :meth:`resolve`."""
        found = self._spellings.get(names)
        if found is None:
            found = self._spellings[names] = spellings(names, self._aliases)
        return found

    @cached_property
    def _aliases(self) -> dict[str, set[str]]:
        return aliases(owner.bound for owner in self.modules)

    def variables(self, owner: CodeModule) -> frozenset[str]:
        """The names a module assigns at module level."""
        found = self._variables.get(owner.module.name)
        if found is None:
            facts = owner.facts
            found = self._variables[owner.module.name] = frozenset(
                [v.name for v in facts.variables] + [c.name for c in facts.constants]
                + [t for a in facts.assignments if not a.scope for t in a.targets])
        return found

    def canonical(self, name: str) -> str:
        """``name`` followed through the repository's re-exports to where it is defined."""
        found = self._canonical.get(name)
        if found is None:
            found = self._canonical[name] = self._follow(name)
        return found

    def _follow(self, name: str) -> str:
        for _ in range(_REEXPORT_DEPTH):
            if name in self.classes or name in self.functions:
                return name
            parts = name.split(".")
            for cut in range(len(parts) - 1, 0, -1):
                owner = self.by_module.get(".".join(parts[:cut]))
                if owner is not None:
                    target = owner.bound.get(parts[cut])
                    if target is None:
                        return name
                    name = ".".join([target, *parts[cut + 1:]])
                    break
            else:
                return name
        return name

    def component(self, owner: CodeModule) -> str:
        return self.model.component_of[owner.module.name]

    # -- inheritance ------------------------------------------------------------------------

    def ancestors(self, info: ClassInfo) -> frozenset[str]:
        """Every base, direct or inherited through the repository's classes, by its resolved
        name and by the name it was imported under. For a class defined twice under one
        name (in both branches of an ``if``), those of the definition kept in :attr:`classes`
        (a method's :attr:`FunctionInfo.cls` may be the other one)."""
        found = self._ancestors.get(info.qualname)
        if found is not None:
            return found
        info = self.classes[info.qualname]
        self._ancestors[info.qualname] = frozenset()  # a cycle ends here
        seen: set[str] = set()
        for written, base in zip(info.fact.bases, info.bases, strict=True):
            seen.add(base)
            seen.add(info.owner.resolve(written))
            parent = self.classes.get(base)
            if parent is not None and parent is not info:
                seen |= self.ancestors(parent)
        found = self._ancestors[info.qualname] = frozenset(seen)
        return found

    def derives(self, info: ClassInfo, bases: frozenset[str]) -> bool:
        found = self._ancestors.get(info.qualname)  # asked of every class by most detectors
        return not (self.ancestors(info) if found is None else found).isdisjoint(bases)

    @cached_property
    def children(self) -> dict[str, list[ClassInfo]]:
        """Base qualified name -> the classes that list it as a direct base."""
        found: dict[str, list[ClassInfo]] = defaultdict(list)
        for info in self.classes.values():
            for base in info.bases:
                found[base].append(info)
        return found

    def descendants(self, qualname: str) -> list[ClassInfo]:
        """The repository's classes that derive from ``qualname``, in definition order."""
        found: dict[str, ClassInfo] = {}
        pending = list(self.children.get(qualname, ()))
        while pending:
            info = pending.pop()
            if info.qualname not in found and info.qualname != qualname:
                found[info.qualname] = info
                pending.extend(self.children.get(info.qualname, ()))
        return sorted(found.values(), key=lambda i: i.at)

    def metaclass(self, info: ClassInfo) -> str:
        written = dict(info.fact.keywords).get("metaclass", "")
        return self.resolve(info.owner, written) if written else ""

    # -- interfaces -------------------------------------------------------------------------

    @cached_property
    def interfaces(self) -> dict[str, Interface]:
        protocols = names("interface", "protocol_bases")
        abc_bases = names("interface", "abc_bases")
        abc_metaclasses = names("interface", "abc_metaclasses")
        abstract_decorators = names("interface", "abstract_decorators")
        found: dict[str, Interface] = {}
        for info in self.classes.values():
            if any(b in protocols for b in info.bases):
                members = tuple(m.name for m in info.fact.methods if not is_dunder(m.name))
                if members:
                    found[info.qualname] = Interface(info, "protocol", members)
                continue
            hooks = self._hooks.get(info.owner.module.name, ())
            abstract = tuple(
                m.name for m in info.fact.methods
                if ((hooks and f"{info.name}.{m.name}" in hooks) or (
                    m.decorators and any(self.resolve(info.owner, d) in abstract_decorators
                                         for d in m.decorators))) and not is_dunder(m.name))
            if not abstract:
                continue
            is_abc = (self.derives(info, abc_bases)
                      or self.metaclass(info) in abc_metaclasses)
            found[info.qualname] = Interface(
                info, "abstract base class" if is_abc else "base class", abstract)
        return found

    @cached_property
    def _hooks(self) -> dict[str, set[str]]:
        """Module -> the scopes (``Class.method``) that raise an exception marking a hook
        (``NotImplementedError``)."""
        raises = names("interface", "abstract_raises")
        found: dict[str, set[str]] = defaultdict(set)
        for owner in self.modules:
            for raised in owner.facts.raises:
                if short(raised.exception) in raises:
                    found[owner.module.name].add(raised.scope)
        return found

    def implementers(self, interface: Interface) -> list[ClassInfo]:
        """Concrete classes providing ``interface``: subclasses that define one of its
        members, and (for a protocol) classes that define all of its members."""
        return self._implementers[interface.info.qualname]

    @cached_property
    def _implementers(self) -> dict[str, list[ClassInfo]]:
        found: dict[str, list[ClassInfo]] = {}
        for qualname, interface in self.interfaces.items():
            members = set(interface.members)
            nominal = [d for d in self.descendants(qualname)
                       if d.qualname not in self.interfaces and not members.isdisjoint(d.methods)]
            structural: list[ClassInfo] = []
            if interface.kind == "protocol":
                structural = [
                    info for info in self.classes.values()
                    if info.qualname not in self.interfaces and members <= info.methods.keys()
                    and qualname not in self.ancestors(info)]
            found[qualname] = sorted({*nominal, *structural}, key=lambda i: i.at)
        return found

    def interface_of(self, owner: CodeModule, annotation: str) -> Interface | None:
        return self.interfaces.get(self.resolve(owner, annotation)) if annotation else None

    @cached_property
    def takers(self) -> dict[str, list[FunctionInfo]]:
        """Interface (qualified) -> the functions with a parameter annotated with it."""
        found: dict[str, list[FunctionInfo]] = defaultdict(list)
        for function in self.functions.values():
            for _, annotation in function.fact.params:
                interface = self.interface_of(function.owner, annotation) if annotation else None
                if interface is not None:
                    taken = found[interface.info.qualname]
                    if not taken or taken[-1] is not function:
                        taken.append(function)
        return found

    def wrapped_interface(self, info: ClassInfo) -> Interface | None:
        """The interface ``info`` implements and also takes in ``__init__`` (a wrapper of
        another implementation), if any."""
        for _, annotation in info.init_params:
            interface = self.interface_of(info.owner, annotation)
            if interface is not None and info in self.implementers(interface):
                return interface
        return None

    # -- uses -------------------------------------------------------------------------------

    @cached_property
    def objects(self) -> dict[str, str]:
        """Module-level object (qualified name) -> the callee that created it (resolved)."""
        return {f"{owner.module.name}.{target}": callee
                for owner, target, callee, _ in self.module_instances}

    def target(self, owner: CodeModule, name: str) -> str:
        """Like :meth:`resolve`, and ``obj.method`` on a module-level instance of one of the
        repository's classes becomes ``Class.method``'s qualified name."""
        resolved = self.resolve(owner, name)
        head, _, attribute = resolved.rpartition(".")
        created = self.objects.get(head)
        if created is not None:
            method = f"{self.canonical(created)}.{attribute}"
            if method in self.functions:
                return method
        return resolved

    @cached_property
    def decorator_uses(self) -> dict[str, list[Use]]:
        """Decorator (see :meth:`target`) -> the functions and classes it decorates."""
        found: dict[str, list[Use]] = defaultdict(list)
        for function in self.functions.values():
            for decorator in function.fact.decorators:
                found[self.target(function.owner, decorator)].append(
                    Use(function.display, function.at, False, function.owner))
        for info in self.classes.values():
            for decorator in info.fact.decorators:
                found[self.target(info.owner, decorator)].append(
                    Use(info.name, info.at, True, info.owner))
        return found

    @cached_property
    def calls(self) -> dict[str, list[tuple[CodeModule, CallFact]]]:
        """Callee (resolved) -> the collected calls of it (calls on lines with a watched word,
        see :data:`syspatterns.extract.facts.WATCHED_WORDS`)."""
        found: dict[str, list[tuple[CodeModule, CallFact]]] = defaultdict(list)
        for owner in self.modules:
            for call in owner.facts.calls:
                found[self.resolve(owner, call.callee)].append((owner, call))
        return found

    @cached_property
    def importers(self) -> dict[str, set[str]]:
        """An imported name -> the code modules that import it; under the name as imported
        and under the definition it re-exports (see :meth:`canonical`)."""
        found: dict[str, set[str]] = defaultdict(set)
        for edge in self.model.edges:
            if edge.importer in self.by_module:
                found[edge.target].add(edge.importer)
                found[self.canonical(edge.target)].add(edge.importer)
        return found

    @cached_property
    def module_instances(self) -> list[tuple[CodeModule, str, str, int]]:
        """Module-level ``name = Callee(...)``: (module, name, resolved callee, line)."""
        return [(owner, target, self.resolve(owner, assignment.callee), assignment.line)
                for owner in self.modules for assignment in owner.facts.assignments
                if not assignment.scope for target in assignment.targets]


def class_labels(infos: list[ClassInfo]) -> dict[str, str]:
    """Qualified name -> a short label; classes sharing a name get their module's last
    segment in front (``migrate.Command``, ``prefork.TaskPool``)."""
    counts: dict[str, int] = defaultdict(int)
    for info in infos:
        counts[info.name] += 1
    return {info.qualname: (f"{info.owner.module.name.rpartition('.')[2]}.{info.name}"
                            if counts[info.name] > 1 else info.name) for info in infos}


def is_declared(interface: Interface | None) -> bool:
    """A ``Protocol`` or an abstract base class (not a base class with hooks only)."""
    return interface is not None and interface.kind != "base class"


def unique(names: Iterable[str]) -> list[str]:
    """``names`` in order, each once: a method defined again (``@overload`` variants, a
    property's setter) is still one method."""
    return list(dict.fromkeys(names))


def is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def is_public(name: str) -> bool:
    return not name.startswith("_")


def pattern_context(model: SystemModel) -> PatternContext:
    """The shared context, computed once per model."""
    return model.memo("pattern-context", lambda m: PatternContext(m, code_modules(m)))
