"""Strongly connected components and layers."""

from __future__ import annotations

from syspatterns.model.graph import layers, strongly_connected


def test_cycles_are_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert strongly_connected(graph, graph) == [["a", "b", "c"], ["d"], ["e"]]


def test_layers_follow_dependency_depth_and_cycles_share_a_layer() -> None:
    graph = {"api": {"domain", "db"}, "db": {"domain"}, "domain": set(),
             "x": {"y"}, "y": {"x", "domain"}}
    assert layers(graph, graph) == [["domain"], ["db", "x", "y"], ["api"]]


def test_deep_chains_do_not_recurse() -> None:
    graph = {f"n{i}": {f"n{i + 1}"} for i in range(5000)}
    graph["n5000"] = set()
    assert len(layers(graph, graph)) == 5001
