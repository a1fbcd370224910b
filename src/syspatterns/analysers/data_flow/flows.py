"""Following an entry point through the call graph to where its data goes.

From each handler the calls are followed depth first, in the order the code makes them:
the dependencies injected into a handler's parameters come first (``Depends(get_db)``), then
calls of the repository's functions are steps (and are followed in turn), calls that reach
a sink (``knowledge/data_flow.toml``: database, cache, external HTTP, queue, files, ...) are
the flow's ends, a task put on its queue (``send_email.delay()``, ``queue.enqueue(send_email)``)
is an enqueue step, and calls that cannot be resolved statically are counted and named,
never guessed. Chains of private helpers that stay in their caller's module and reach
nothing else are folded into the step that calls them.

Calls are followed :data:`MAX_DEPTH` deep from the function the framework runs: the handler,
and each injected dependency, which the framework runs before the handler as it runs the
handler, so a dependency's calls have a budget of their own rather than what is left of its
dependent's. Dependencies of dependencies are followed :data:`MAX_DEPENDENCY_DEPTH` deep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from syspatterns.analysers.data_flow.entries import EntryPoint, Rules
from syspatterns.core.evidence import Evidence
from syspatterns.model.calls import CallGraph, Function, Target

MAX_DEPTH = 8  # calls followed one after the other from a handler or a dependency
MAX_DEPENDENCY_DEPTH = 6  # dependencies of dependencies followed
MAX_STEPS = 40  # steps listed per flow
MAX_TRACED = 400  # steps followed per flow, of which MAX_STEPS are chosen (see _select)
QUEUES = {"task consumer": "Task queue", "scheduled job": "Scheduler"}  # entry kind -> queue


class Step(NamedTuple):
    """One call of a flow."""

    depth: int  # nesting: 1 for the handler's own calls and dependencies
    caller: str  # qualified function
    callee: str  # qualified function, or the external name reached
    kind: str  # "call", "dependency", "sink" or "enqueue"
    sink: str  # the sink's (or the queue's) label for "sink" and "enqueue" steps
    evidence: Evidence
    through: str = ""  # the sink table's name the callee matched (``sqlmodel.Session``)
    port: str = ""  # the port (protocol, abstract class) a call went through to the callee
    cut: bool = False  # at a depth limit: the callee's own calls and dependencies not followed


@dataclass
class Flow:
    """What one entry point reaches."""

    entry: EntryPoint
    steps: list[Step] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)  # reached, handlers first
    sinks: dict[str, Evidence] = field(default_factory=dict)  # label -> first place
    unresolved: dict[str, Evidence] = field(default_factory=dict)  # callee -> first place
    resolved: int = 0  # calls resolved to a function, class or external name
    truncated: bool = False  # followed for MAX_TRACED steps, and it went on
    omitted: int = 0  # steps followed but not listed (see :func:`_select`)
    # function -> the private helpers folded into its step (see :func:`_fold_helpers`)
    helpers: dict[str, list[str]] = field(default_factory=dict)

    def modules(self, graph: CallGraph) -> list[str]:
        return list(dict.fromkeys(graph.functions[f].module.name for f in self.functions))


class Queued:
    """How tasks are put on their queues: methods called on a task function, and the
    registration calls that enqueue a function (``queue.enqueue(f)``), by their place."""

    def __init__(self, entries: list[EntryPoint]) -> None:
        self.tasks = {h: e for e in entries if e.enqueued_by for h in e.handlers}
        self.registered = {(e.evidence, e.kind): e for e in entries}

    def by_target(self, target: Target) -> tuple[str, str] | None:
        """``(queue, task)`` when a call of a task function puts it on its queue."""
        entry = self.tasks.get(target.name)
        if entry is None:
            return None
        method = target.attribute.rpartition(".")[2] if target.attribute else "()"
        return (QUEUES[entry.kind], target.name) if method in entry.enqueued_by else None

    def by_call(self, rules: Rules, target: Target, evidence: Evidence) -> tuple[str, str] | None:
        """``(queue, task)`` when a call registers a repository function on a queue."""
        rule = rules.registrations.get(target.name)
        if rule is None or not rule.row.get("enqueues"):
            return None
        entry = self.registered.get((evidence, rule.kind))
        return (QUEUES[rule.kind], entry.handlers[0]) if entry else None


@dataclass
class _Tracer:
    """Walks the call graph from one entry point into its :class:`Flow`."""

    flow: Flow
    graph: CallGraph
    rules: Rules
    queued: Queued
    seen: set[str] = field(default_factory=set)

    def visit(self, function: Function, depth: int, level: int, injected: int | None) -> bool:
        """Follow ``function``, whose steps are ``depth`` deep and whose calls are ``level``
        calls from the function the framework ran: its injected dependencies when the
        framework runs it (``injected``: 0 for the handler, 1 for its dependencies, ...;
        ``None`` when the code calls it), then its calls; ``False`` once the flow is full."""
        if function.name in self.seen:
            return True
        self.seen.add(function.name)
        self.flow.functions.append(function.name)
        if injected is not None and not self._dependencies(function, depth, injected + 1):
            return False
        sinks_here: set[str] = set()  # one step per sink and function
        for callee, line in function.fact.calls:
            if not self._call(function, callee, Evidence(function.module.path, line), depth,
                              level, sinks_here):
                return False
        return True

    def _dependencies(self, function: Function, depth: int, injected: int) -> bool:
        evidence = Evidence(function.module.path, function.fact.line)
        cut = injected >= MAX_DEPENDENCY_DEPTH
        for names in self.graph.dependencies(function).values():
            for name in names:
                if name in self.seen:
                    continue
                if not self._step(Step(depth, function.name, name, "dependency", "",
                                       evidence, cut=cut)):
                    return False
                # the framework runs it: its calls start a budget of their own
                if not cut and not self.visit(self.graph.functions[name], depth + 1, 1,
                                              injected):
                    return False
        return True

    def _call(self, function: Function, callee: str, evidence: Evidence, depth: int,
              level: int, sinks_here: set[str]) -> bool:
        flow = self.flow
        target = self.graph.resolve(function, callee)
        if target.kind == "unresolved":
            flow.unresolved.setdefault(callee, evidence)
            return True
        flow.resolved += 1
        queued = self.queued.by_target(target) if target.kind == "function" else \
            self.queued.by_call(self.rules, target, evidence)
        if queued is not None:
            queue, task = queued
            return self._step(Step(depth, function.name, task, "enqueue", queue, evidence))
        if target.kind == "function" and not target.attribute:
            if target.name in self.seen:
                return True
            cut = level >= MAX_DEPTH
            if not self._step(Step(depth, function.name, target.name, "call", "", evidence,
                                   port=target.port, cut=cut)):
                return False
            return cut or self.visit(self.graph.functions[target.name], depth + 1, level + 1,
                                     None)
        sink = self.rules.sink(target.name) if target.kind == "external" else None
        if sink is None or sink[0] in sinks_here:
            return True
        label, through = sink
        sinks_here.add(label)
        flow.sinks.setdefault(label, evidence)
        return self._step(Step(depth, function.name, target.name, "sink", label, evidence,
                               through))

    def _step(self, step: Step) -> bool:
        """Append a step; ``False`` once the flow has as many as are followed."""
        if len(self.flow.steps) >= MAX_TRACED:
            self.flow.truncated = True
            return False
        self.flow.steps.append(step)
        return True


def trace(entry: EntryPoint, graph: CallGraph, rules: Rules, queued: Queued) -> Flow:
    """The flow of one entry point."""
    tracer = _Tracer(Flow(entry), graph, rules, queued)
    for handler in entry.handlers:
        if handler in graph.functions and not tracer.visit(graph.functions[handler], 1, 1, 0):
            break
    _fold_helpers(tracer.flow, graph)
    _select(tracer.flow, graph)
    return tracer.flow


def _private(name: str) -> bool:
    short = name.rpartition(".")[2]
    return short.startswith("_") and not (short.startswith("__") and short.endswith("__"))


def _fold_helpers(flow: Flow, graph: CallGraph) -> None:
    """Fold each call of a private helper of the caller's module, whose own steps only call
    more such helpers (no sink, no queue, no other module), into the caller's step: the
    helpers are named there instead of listed one step each."""
    steps = flow.steps
    kept: list[Step] = []
    index = 0
    while index < len(steps):
        step = steps[index]
        end = index + 1
        while end < len(steps) and steps[end].depth > step.depth:
            end += 1
        module = graph.functions[step.caller].module.name
        chain = steps[index:end]
        followed = not (flow.truncated and end == len(steps))  # every helper's calls seen
        if followed and all(s.kind == "call" and not s.cut and _private(s.callee)
                            and graph.functions[s.callee].module.name == module
                            for s in chain):
            flow.helpers.setdefault(step.caller, []).extend(s.callee for s in chain)
            index = end
            continue
        kept.append(step)
        index += 1
    flow.steps = kept


def _select(flow: Flow, graph: CallGraph) -> None:
    """Keep :data:`MAX_STEPS` of a longer flow's steps, each with the steps that lead to it:
    first those that use a sink or a queue, then calls into another module, then the others,
    shallowest first. A flow that builds a large argument parser before it dispatches lists
    the dispatch's steps, not the parser's."""
    steps = flow.steps
    if len(steps) <= MAX_STEPS:
        return
    parent: list[int] = []  # the step whose callee made each step, or -1
    open_steps: list[int] = []
    for index, step in enumerate(steps):
        while open_steps and steps[open_steps[-1]].depth >= step.depth:
            open_steps.pop()
        parent.append(open_steps[-1] if open_steps else -1)
        open_steps.append(index)

    def tier(step: Step) -> int:
        if step.kind in ("sink", "enqueue"):
            return 0
        crossing = (graph.functions[step.callee].module.name
                    != graph.functions[step.caller].module.name)
        return 1 if crossing else 2

    kept: set[int] = set()
    for wanted in (0, 1):
        for index, step in enumerate(steps):
            if tier(step) != wanted:
                continue
            path = []
            at = index
            while at != -1 and at not in kept:
                path.append(at)
                at = parent[at]
            if len(kept) + len(path) <= MAX_STEPS:
                kept.update(path)
    for index in sorted(range(len(steps)), key=lambda i: (steps[i].depth, i)):
        if len(kept) == MAX_STEPS:
            break
        if parent[index] == -1 or parent[index] in kept:
            kept.add(index)
    flow.omitted = len(steps) - len(kept)
    flow.steps = [step for index, step in enumerate(steps) if index in kept]
