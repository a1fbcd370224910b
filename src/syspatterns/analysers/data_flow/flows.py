"""Following an entry point through the call graph to where its data goes.

From each handler the calls are followed depth first, in the order the code makes them:
calls of the repository's functions are steps (and are followed in turn), calls that reach
a sink (``knowledge/data_flow.toml``: database, cache, external HTTP, queue, files, ...) are
the flow's ends, a task function's ``delay()`` enqueues it, and calls that cannot be
resolved statically are counted and named, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from syspatterns.analysers.data_flow.entries import EntryPoint, Rules
from syspatterns.evidence import Evidence
from syspatterns.model.calls import CallGraph, Function

MAX_DEPTH = 6  # calls followed from a handler
MAX_STEPS = 40  # steps kept per flow


class Step(NamedTuple):
    """One call of a flow."""

    depth: int  # 1 for the handler's own calls
    caller: str  # qualified function
    callee: str  # qualified function, or the external name reached
    kind: str  # "call", "sink" or "enqueue"
    sink: str  # the sink's label for "sink" and "enqueue" steps
    evidence: Evidence
    through: str = ""  # the sink table's name the callee matched (``sqlmodel.Session``)


@dataclass
class Flow:
    """What one entry point reaches."""

    entry: EntryPoint
    steps: list[Step] = field(default_factory=list)
    functions: list[str] = field(default_factory=list)  # reached, handlers first
    sinks: dict[str, Evidence] = field(default_factory=dict)  # label -> first place
    unresolved: dict[str, Evidence] = field(default_factory=dict)  # callee -> first place
    resolved: int = 0  # calls resolved to a function, class or external name
    truncated: bool = False

    def modules(self, graph: CallGraph) -> list[str]:
        return list(dict.fromkeys(graph.functions[f].module.name for f in self.functions))


def trace(entry: EntryPoint, graph: CallGraph, rules: Rules,
          tasks: frozenset[str]) -> Flow:
    """The flow of one entry point. ``tasks`` are the functions that are task consumers
    (whose ``delay()`` puts them on a queue)."""
    flow = Flow(entry)
    seen: set[str] = set()
    for handler in entry.handlers:
        if handler in graph.functions:
            _visit(graph.functions[handler], 1, flow, graph, rules, tasks, seen)
    return flow


def _visit(function: Function, depth: int, flow: Flow, graph: CallGraph, rules: Rules,
           tasks: frozenset[str], seen: set[str]) -> None:
    if function.name in seen:
        return
    seen.add(function.name)
    flow.functions.append(function.name)
    path = function.module.path
    sinks_here: set[str] = set()  # one step per sink and function
    for callee, line in function.fact.calls:
        target = graph.resolve(function, callee)
        evidence = Evidence(path, line)
        if target.kind == "unresolved":
            flow.unresolved.setdefault(callee, evidence)
            continue
        flow.resolved += 1
        if target.kind == "function":
            if target.attribute:
                if target.name in tasks and target.attribute.rpartition(".")[2] in rules.enqueue:
                    _add(flow, Step(depth, function.name, target.name, "enqueue",
                                    "Task queue", evidence))
                continue
            if target.name in seen:
                continue
            if not _add(flow, Step(depth, function.name, target.name, "call", "", evidence)):
                return
            if depth < MAX_DEPTH:
                _visit(graph.functions[target.name], depth + 1, flow, graph, rules, tasks, seen)
        elif target.kind == "external":
            sink = rules.sink(target.name)
            if sink is None or sink[0] in sinks_here:
                continue
            label, through = sink
            sinks_here.add(label)
            flow.sinks.setdefault(label, evidence)
            if not _add(flow, Step(depth, function.name, target.name, "sink", label, evidence,
                                   through)):
                return


def _add(flow: Flow, step: Step) -> bool:
    """Append a step; ``False`` once the flow has as many as it keeps."""
    if len(flow.steps) >= MAX_STEPS:
        flow.truncated = True
        return False
    flow.steps.append(step)
    return True
