"""Data Flow: the entry points with their inputs, and for the flows that reach furthest,
numbered steps from the entry point through the components to the sinks, with a Mermaid
sequence diagram each. Calls are followed through a static call graph
(:mod:`syspatterns.model.calls`); what cannot be resolved is named, not guessed."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import ClassVar

from syspatterns.analysers.data_flow.entries import (
    EntryPoint,
    call_graph,
    find_entry_points,
    rules,
)
from syspatterns.analysers.data_flow.flows import (
    MAX_DEPENDENCY_DEPTH,
    MAX_DEPTH,
    MAX_TRACED,
    Flow,
    Queued,
    Step,
    trace,
)
from syspatterns.analysis.base import new_section
from syspatterns.analysis.text import code, names, plural
from syspatterns.core.evidence import Diagram, Evidence, Finding, Section, Subsection
from syspatterns.model import SystemModel
from syspatterns.model.calls import CallGraph

ENTRY_LIMIT = 40  # entry points listed
FLOW_LIMIT = 5  # flows written out step by step
PARTICIPANT_LIMIT = 9  # modules in a sequence diagram before they are grouped by component
MESSAGE_LIMIT = 30
_STARTED_BY_PATH = ("python -m", "main guard")  # entry frameworks a file or module name starts
_ACTORS = {"HTTP route": "Client", "CLI command": "User", "task consumer": "Worker",
           "scheduled job": "Scheduler", "message handler": "Broker", "main": "User",
           "crawler": "Crawler", "integration hook": "Platform", "service call": "Platform",
           "chat bot handler": "Chat user"}
_LOOKED_FOR = (
    "HTTP routes (FastAPI, Flask, Quart, Sanic, Starlette, aiohttp, Django Ninja and Litestar "
    "decorators; Django, Django REST framework, Starlette, aiohttp and Flask registrations; "
    "Flask-RESTX and Flask-RESTful resources; Tornado route tables; Pyramid views of named "
    "routes), "
    "CLI commands (Click, Typer, argparse, Django management commands, console scripts), "
    "task consumers (Celery, Dramatiq, RQ decorators and `enqueue` calls, Huey), scheduled "
    "jobs (APScheduler, Huey, Faust, Celery beat schedules, Airflow `@dag` functions), "
    "message handlers (FastStream, Faust, Nameko, Django Channels), chat bot handlers "
    "(aiogram, pyTelegramBotAPI, python-telegram-bot, discord.py), Home Assistant "
    "integration hooks and services, and `__main__` blocks")


class DataFlowAnalyser:
    key: ClassVar[str] = "data-flow"

    def analyse(self, model: SystemModel) -> Section:
        section = new_section(self.key)
        entries = find_entry_points(model)
        if not entries:
            section.summary.append(Finding(
                "Entry points", f"No entry point was found in the code. Looked for: "
                f"{_LOOKED_FOR}."))
            return section
        graph = call_graph(model)
        table = rules()
        queued = Queued(entries)
        flows = [trace(entry, graph, table, queued) for entry in entries]
        section.summary.append(_overview(entries, flows))
        shown, rest = _shared_out(flows, ENTRY_LIMIT)
        section.findings = [_entry_finding(flow, graph) for flow in shown]
        if rest:
            section.findings.append(Finding(
                "Entry points", f"And {plural(len(rest), 'more entry point')}: "
                + names([f.entry.name for f in rest], 12) + ".",
                tuple(f.entry.evidence for f in rest)))
        def rank(flow: Flow) -> tuple[int, int, int, int, str]:
            """The flows that cross the most components first, then those with the most
            sinks and functions; of equal ones, an installed command before ``python -m``
            and main guards (see :data:`_STARTED_BY_PATH`)."""
            components = {model.component_of.get(m, m) for m in flow.modules(graph)}
            return (-len(components), -len(flow.sinks), -len(flow.functions),
                    flow.entry.framework in _STARTED_BY_PATH, flow.entry.name)

        # Entry points run by the same handlers (a console script, ``python -m`` and the
        # module's main guard all calling ``main``) share one written-out flow.
        same: dict[tuple[str, ...], list[Flow]] = {}
        for flow in sorted((f for f in flows if f.steps), key=rank):
            same.setdefault(flow.entry.handlers, []).append(flow)
        for number, group in enumerate(list(same.values())[:FLOW_LIMIT], 1):
            section.subsections.append(
                _flow_subsection(number, group[0], graph, model, [f.entry for f in group[1:]]))
        if not same:
            section.summary.append(Finding(
                "Flows", "No entry point calls another function of the repository or a "
                "known sink, so no flow is drawn."))
        return section


def _shared_out(flows: list[Flow], limit: int) -> tuple[list[Flow], list[Flow]]:
    """The flows whose entry points are listed, at most ``limit``, taken in turn from each
    kind and framework (the largest groups first), so that a web application's routes are
    not crowded out by its commands; and the others. Both sorted by kind and name."""
    def order(flow: Flow) -> tuple[str, str, Evidence]:
        return flow.entry.kind, flow.entry.name, flow.entry.evidence

    groups: dict[tuple[str, str], list[Flow]] = defaultdict(list)
    for flow in sorted(flows, key=order):
        groups[flow.entry.kind, flow.entry.framework].append(flow)
    queues = sorted(groups.values(), key=lambda group: (-len(group), order(group[0])))
    shown: list[Flow] = []
    while len(shown) < limit and any(queues):
        for queue in queues:
            if queue and len(shown) < limit:
                shown.append(queue.pop(0))
    rest = [flow for queue in queues for flow in queue]
    return sorted(shown, key=order), sorted(rest, key=order)


def _overview(entries: list[EntryPoint], flows: list[Flow]) -> Finding:
    kinds = Counter((e.kind, e.framework) for e in entries)
    parts = [f"{plural(count, kind)} ({framework})" for (kind, framework), count in
             sorted(kinds.items(), key=lambda item: (-item[1], item[0]))]
    resolved = sum(f.resolved for f in flows)
    unresolved = sum(len(f.unresolved) for f in flows)
    return Finding("Entry points", (
        f"{plural(len(entries), 'entry point')}: {'; '.join(parts)}. Each is followed through "
        "a static call graph (calls resolved through imports, `self` and the attributes of "
        "instances, annotated parameters and injected dependencies, local and module variables, "
        "the types functions return and the one class constructed for a port) to the sinks it "
        "reaches (database, cache, external "
        f"HTTP, queues, files, email, subprocesses, templates); {plural(resolved, 'call')} "
        f"resolved, {plural(unresolved, 'distinct call')} could not be and are named in "
        "each flow."))


def _entry_finding(flow: Flow, graph: CallGraph) -> Finding:
    entry = flow.entry
    handlers = names(list(entry.handlers), 3)
    text = f"{code(entry.name)} ({entry.kind}, {entry.framework}) " + (
        f"is handled by {handlers}" if handlers else
        "runs code that calls no function of the repository" if entry.kind == "main" else
        "is handled by no function of the repository")
    if entry.inputs:
        text += f"; inputs {', '.join(entry.inputs[:8])}"
        if len(entry.inputs) > 8:
            text += f" and {len(entry.inputs) - 8} more"
    handled_in = {graph.functions[h].module.name for h in entry.handlers
                  if h in graph.functions}
    reached = [m for m in flow.modules(graph) if m not in handled_in]
    if reached:
        text += f"; reaches {names(reached, 5)}"
    if flow.sinks:
        text += f"; sinks: {', '.join(sorted(flow.sinks))}"
    return Finding("Entry points", text + ".", (entry.evidence,))


def _helpers(flow: Flow, functions: tuple[str, ...], graph: CallGraph) -> str:
    """`` (and its private helper ...)``: the helpers folded into these functions' step."""
    shown = [graph.functions[h].scope for f in functions for h in flow.helpers.get(f, ())]
    if not shown:
        return ""
    whose = "its" if len(functions) == 1 else "their"
    return f" (and {whose} private {'helper' if len(shown) == 1 else 'helpers'} " \
        f"{names(shown, 4)})"


def _step_text(step: Step, flow: Flow, graph: CallGraph) -> str:
    helpers = _helpers(flow, (step.callee,), graph)
    if step.kind == "call":
        port = f" through the port {code(step.port)}" if step.port else ""
        return f"{code(step.caller)} calls {code(step.callee)}{port}{helpers}."
    if step.kind == "dependency":
        return f"{code(step.caller)} depends on {code(step.callee)}{helpers}, which runs first."
    if step.kind == "enqueue":
        return f"{code(step.caller)} hands {code(step.callee)} to the {step.sink.lower()}."
    return f"{code(step.caller)} uses the {step.sink.lower()} through {code(step.callee)}."


def _flow_subsection(number: int, flow: Flow, graph: CallGraph, model: SystemModel,
                     also: list[EntryPoint]) -> Subsection:
    """Flow ``number``, step by step; ``also``: other entry points with the same handlers."""
    entry = flow.entry
    kind = entry.kind[:1].upper() + entry.kind[1:]
    start = (f"{kind} {code(entry.name)} ({entry.framework}) enters at "
             + names(list(entry.handlers), 3))
    start += _helpers(flow, entry.handlers, graph)
    if entry.inputs:
        start += f" with {', '.join(entry.inputs[:6])}"
    steps = [Finding("Step", start + ".", (entry.evidence,))]
    if also:
        steps.append(Finding(
            "Step", f"The same flow runs for {names([e.name for e in also], 4)}.",
            tuple(e.evidence for e in also[:3])))
    steps.extend(Finding("Step", _step_text(step, flow, graph), (step.evidence,))
                 for step in flow.steps)
    if flow.omitted:
        beyond = (f"; it goes on beyond the {MAX_TRACED} steps followed" if flow.truncated
                  else "")
        steps.append(Finding(
            "Step", f"Not listed: {plural(flow.omitted, 'more step')} of this flow (those "
            f"that reach no sink, queue or other module are left out first){beyond}."))
    for kind, limit in (("call", f"{MAX_DEPTH} calls"),
                        ("dependency", f"{MAX_DEPENDENCY_DEPTH} dependencies")):
        # (a function cut on one path and followed on another is followed)
        cut = [s for s in flow.steps
               if s.cut and s.kind == kind and s.callee not in flow.functions]
        if cut:
            steps.append(Finding(
                "Step", f"Not followed further, {limit} deep: "
                f"{names(list(dict.fromkeys(s.callee for s in cut)), 6)}.",
                tuple(s.evidence for s in cut[:3])))
    if flow.unresolved:
        unresolved = sorted(flow.unresolved)
        steps.append(Finding(
            "Step", f"Not followed: {plural(len(unresolved), 'call')} that cannot be resolved "
            f"statically: {names(unresolved, 6)}.",
            tuple(flow.unresolved[c] for c in unresolved[:3])))
    diagram = Diagram(f"Sequence of flow {number} ({entry.name}):",
                      sequence_diagram(flow, graph, model))
    return Subsection(f"Flow {number}: {entry.name}", steps, ordered=True, diagrams=[diagram])


def _message(text: str) -> str:
    """Text that Mermaid shows as written in a sequence message."""
    text = re.sub(r"[;#]", " ", text)
    return text.replace("<", "#lt;").replace(">", "#gt;").strip()


def sequence_diagram(flow: Flow, graph: CallGraph, model: SystemModel) -> str:
    """The flow as a Mermaid sequence diagram: the entry's actor, the modules (or, when
    there are many, the components) its functions live in, and the sinks."""
    modules = flow.modules(graph)
    group = len(modules) > PARTICIPANT_LIMIT

    def owner(function: str) -> str:
        module = graph.functions[function].module.name
        return model.component_of.get(module, module) if group else module

    participants: dict[str, str] = {}
    lines = ["sequenceDiagram", f"    actor A as {_ACTORS.get(flow.entry.kind, 'Caller')}"]

    def ident(label: str, sink: bool = False) -> str:
        if label not in participants:
            participants[label] = f"{'S' if sink else 'P'}{len(participants) + 1}"
            lines.append(f"    participant {participants[label]} as {_message(label)}")
        return participants[label]

    messages: list[str] = []
    handlers = [h for h in flow.entry.handlers if h in graph.functions]
    if handlers:
        first = ident(owner(handlers[0]))
        messages.append(f"    A->>{first}: {_message(flow.entry.name)}")
    for step in flow.steps:
        if len(messages) >= MESSAGE_LIMIT:
            break
        source = ident(owner(step.caller))
        callee = step.callee.rpartition(".")[2]
        if step.through and step.callee != step.through:
            callee = step.callee[len(step.through) + 1:]  # ``exec`` of ``sqlmodel.Session``
        if step.kind in ("call", "dependency"):
            messages.append(f"    {source}->>{ident(owner(step.callee))}: {callee}()")
        else:
            arrow = "-)" if step.kind == "enqueue" else "->>"
            messages.append(f"    {source}{arrow}{ident(step.sink, sink=True)}: "
                            f"{_message(callee)}")
    return "\n".join(lines + messages)
