"""The Component Relationships section shows the declared architecture rules."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.analysers.components import ComponentsAnalyser
from syspatterns.model import SystemModel

RULES = """
[project]
name = "shop"
[[tool.syspatterns.rules]]
name = "Core is low"
type = "layers"
layers = ["shop.api", "shop.core"]
"""


def rules(model: SystemModel) -> list[str]:
    return [f.claim for f in ComponentsAnalyser().analyse(model).findings if f.aspect == "Rules"]


def test_declared_rules_with_their_state(analyse_repo: Callable[..., SystemModel]) -> None:
    broken = analyse_repo({"pyproject.toml": RULES, "shop/__init__.py": "",
                           "shop/api/__init__.py": "",
                           "shop/core/__init__.py": "from shop.api import x\n"})
    assert rules(broken) == ["Layers, highest first: `shop.api` > `shop.core` (Core is low); "
                             "broken: 1 violation, first at shop/core/__init__.py:1."]
    kept = analyse_repo({"pyproject.toml": RULES, "shop/__init__.py": "",
                         "shop/api/__init__.py": "from shop.core import y\n",
                         "shop/core/__init__.py": ""})
    assert rules(kept) == ["Layers, highest first: `shop.api` > `shop.core` (Core is low); "
                           "kept: no import breaks it."]


def test_no_rules_no_rule_findings(analyse_repo: Callable[..., SystemModel]) -> None:
    assert rules(analyse_repo({"shop/__init__.py": ""})) == []


def test_scripts_speak_through_their_module_docstrings(
        analyse_repo: Callable[..., SystemModel]) -> None:
    section = ComponentsAnalyser().analyse(analyse_repo({
        "train.py": '"""Trains the model. Slowly."""\nimport model\n',
        "model.py": '"""The model."""\nclass Net: ...\nclass Net2: ...\n',
        "bench.py": "import model\n",  # no docstring: not quoted
        "old/model.py": "class Net: ...\n",
        "test_model.py": "class TestNet:\n    def test_a(self): ...\n    def test_b(self): ...\n",
    }))
    scripts = next(s for s in section.subsections if "(top-level scripts)" in s.title)
    responsibility = [f for f in scripts.findings if f.aspect == "Responsibility"]
    assert responsibility[0].claim == ("Its modules' docstrings: `model.py`: \"The model.\"; "
                                       "`train.py`: \"Trains the model.\".")
    assert [str(e) for e in responsibility[0].evidence] == ["model.py:1", "train.py:1"]
    assert responsibility[1].claim.startswith("Holds 4 modules in `.`; its largest classes "
                                              "are `Net` and `Net2`")


def test_a_components_own_tests_add_no_dependencies_to_it(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "app/__init__.py": "import core\n",
        "app/models.py": "", "app/views.py": "",
        "app/tests/__init__.py": "",
        "app/tests/test_app.py": "import pytest\nimport other\nfrom app import core\n",
        "core/__init__.py": "import requests\n",
        "other/__init__.py": "",
    })
    assert [d.name for d in model.component_dependencies["app"]] == ["core"]
    assert "app" not in model.external_dependencies  # pytest is the tests'
    assert "other" not in model.component_dependents
    assert model.runtime_component_graph["app"] == {"core"}
