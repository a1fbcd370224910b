"""Small graph algorithms over ``node -> set of successors`` mappings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def strongly_connected(nodes: Iterable[str], graph: Mapping[str, Iterable[str]]
                       ) -> list[list[str]]:
    """Tarjan's algorithm, iterative; each component sorted, components sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in sorted(nodes):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                result.append(sorted(members))
    return sorted(result)


def layers(nodes: Iterable[str], graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Nodes grouped by dependency depth: layer 0 depends on nothing else, layer ``k`` on
    layers below ``k`` only. Nodes of one cycle share a layer."""
    node_list = sorted(nodes)
    members = set(node_list)
    component_of: dict[str, int] = {}
    sccs = strongly_connected(node_list, graph)
    for number, scc in enumerate(sccs):
        for node in scc:
            component_of[node] = number
    depth: dict[int, int] = {}

    def depth_of(scc_number: int) -> int:
        # Iterative post-order over the condensation (a DAG).
        pending = [scc_number]
        while pending:
            current = pending[-1]
            if current in depth:
                pending.pop()
                continue
            below = {
                component_of[s] for n in sccs[current] for s in graph.get(n, ())
                if s in members and component_of[s] != current
            }
            missing = [b for b in below if b not in depth]
            if missing:
                pending.extend(missing)
                continue
            depth[current] = 1 + max((depth[b] for b in below), default=-1)
            pending.pop()
        return depth[scc_number]

    grouped: dict[int, list[str]] = {}
    for node in node_list:
        grouped.setdefault(depth_of(component_of[node]), []).append(node)
    return [grouped[level] for level in sorted(grouped)]
