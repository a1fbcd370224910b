"""Layered architecture: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import layered

from .helpers import Analyse, detect, labels, where

LAYERS = {
    "web/__init__.py": "import service\n",
    "service/__init__.py": "import store\n",
    "store/__init__.py": "X = 1\n",
}


def test_acyclic_components_in_three_layers(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, layered.DETECTOR, LAYERS)
    assert labels(found) == ["web -> service", "service -> store"]
    assert where(found) == ["web/__init__.py:1", "service/__init__.py:1"]
    assert found is not None and "3: `web`; 2: `service`; 1: `store`" in found.purpose


def test_a_cycle_breaks_the_layers(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, layered.DETECTOR,
                  {**LAYERS, "store/__init__.py": "import web\n"}) is None
    assert detect(analyse_repo, layered.DETECTOR,
                  {**LAYERS, "web/__init__.py": "import store\n"}) is None
