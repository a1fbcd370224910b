"""Architecture rules from pyproject.toml, checked on the import graph with the chains."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from syspatterns.core.problems import Problem
from syspatterns.model import SystemModel
from syspatterns.model.rules import RulesError, check_rules, load_rules, rule_findings

from .conftest import MakeRepo

CODE = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/routes.py": "from app.domain import orders\nimport sqlalchemy\n",
    "app/domain/__init__.py": "",
    "app/domain/orders.py": "from app.storage import db\n",
    "app/storage/__init__.py": "",
    "app/storage/db.py": "import sqlalchemy\n",
    "app/billing/__init__.py": "",
    "app/billing/invoices.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.shipping import x\n"),
    "app/shipping/__init__.py": "",
    "app/shipping/x.py": "def ship():\n    from app.billing import invoices\n",
    "app/helpers.py": "from app.api import routes\n",
}


def project(rules: str) -> dict[str, str]:
    return {**CODE, "pyproject.toml": '[project]\nname = "app"\n\n' + rules}


Check = Callable[[str], list[Problem]]


@pytest.fixture
def check(analyse_repo: Callable[..., SystemModel]) -> Check:
    def run(rules: str) -> list[Problem]:
        model = analyse_repo(project(rules))
        return check_rules(model, load_rules(model.scan.root))

    return run


def test_no_rules_without_the_table(make_repo: MakeRepo, tmp_path: Path) -> None:
    assert load_rules(make_repo({"pyproject.toml": "[project]\nname = 'x'\n"})) == []
    assert load_rules(tmp_path) == []


def test_layers_report_each_upward_import_with_its_line(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\nname = "Layers"\ntype = "layers"\n'
                     'layers = ["app.domain", "app.api"]\n')
    assert [(p.path, p.line, p.kind) for p in problems] == [("app/api/routes.py", 1, "rule")]
    assert "`app.api.routes` imports `app.domain.orders`" in problems[0].message
    assert "rule `Layers` (pyproject.toml:4)" in problems[0].message
    assert problems[0].detail == ("app.api.routes -> app.domain.orders (app/api/routes.py:1)",)


def test_layers_follow_chains_through_other_modules(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\ntype = "layers"\n'
                     'layers = ["app.api", "app.storage"]\n')
    assert problems == []
    problems = check('[[tool.syspatterns.rules]]\ntype = "layers"\n'
                     'layers = ["app.storage", "app.helpers"]\n')
    assert len(problems) == 1
    assert problems[0].detail == (
        "app.helpers -> app.api.routes (app/helpers.py:1)",
        "app.api.routes -> app.domain.orders (app/api/routes.py:1)",
        "app.domain.orders -> app.storage.db (app/domain/orders.py:1)",
    )
    assert "through other modules" in problems[0].message


def test_siblings_in_a_layer(check: Check) -> None:
    independent = check('[[tool.syspatterns.rules]]\ntype = "layers"\n'
                        'layers = ["app.billing | app.shipping"]\n')
    assert [(p.path, p.line) for p in independent] == [("app/billing/invoices.py", 3),
                                                        ("app/shipping/x.py", 2)]
    assert check('[[tool.syspatterns.rules]]\ntype = "layers"\n'
                 'layers = ["app.billing : app.shipping"]\n') == []


def test_type_checking_imports_can_be_left_out(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\ntype = "independence"\n'
                     'modules = ["app.billing", "app.shipping"]\nignore-type-checking = true\n')
    assert [(p.path, p.line) for p in problems] == [("app/shipping/x.py", 2)]


def test_forbidden_modules_and_libraries(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\ntype = "forbidden"\n'
                     'from = ["app.api"]\nto = ["app.storage", "sqlalchemy"]\n')
    assert sorted((p.path, p.line) for p in problems) == [("app/api/routes.py", 1),
                                                          ("app/api/routes.py", 2)]
    assert any("`app.api.routes` imports `sqlalchemy`" in p.message for p in problems)


def test_libraries_allowed_only_in_named_components(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\ntype = "external"\n'
                     'libraries = ["SQLAlchemy"]\nallowed-in = ["app.storage"]\n')
    assert [(p.path, p.line) for p in problems] == [("app/api/routes.py", 2)]
    assert "may be imported only in `app.storage`" in problems[0].message


def test_entries_that_match_nothing_are_reported_at_the_rule(check: Check) -> None:
    problems = check('[[tool.syspatterns.rules]]\ntype = "independence"\n'
                     'modules = ["app.billing", "app.payments"]\n')
    assert [(p.path, p.line, p.kind) for p in problems] == [("pyproject.toml", 4, "rule")]
    assert "`app.payments` matches no module" in problems[0].message


@pytest.mark.parametrize(("rules", "message"), [
    ('[tool.syspatterns]\nrules = "layers"\n', "array of tables"),
    ('[[tool.syspatterns.rules]]\ntype = "onion"\n', "type must be one of"),
    ('[[tool.syspatterns.rules]]\ntype = "layers"\nlayer = ["a"]\n', "unknown key layer"),
    ('[[tool.syspatterns.rules]]\ntype = "layers"\nlayers = []\n', "non-empty list"),
    ('[[tool.syspatterns.rules]]\ntype = "forbidden"\nfrom = ["a"]\nto = "b"\n',
     "to must be a non-empty list"),
    ('[[tool.syspatterns.rules]\n', "not valid TOML"),
])
def test_malformed_rules_are_errors(make_repo: MakeRepo, rules: str, message: str) -> None:
    root = make_repo({"pyproject.toml": rules})
    with pytest.raises(RulesError, match=message):
        load_rules(root)


def test_rules_as_findings_for_the_document(analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo(project(
        '[[tool.syspatterns.rules]]\nname = "Layers"\ntype = "layers"\n'
        'layers = ["app.api", "app.domain", "app.storage"]\n\n'
        '[[tool.syspatterns.rules]]\ntype = "independence"\n'
        'modules = ["app.billing", "app.shipping"]\n'))
    findings = rule_findings(model)
    assert [(f.claim, f.evidence[0].line) for f in findings] == [
        ("Layers, highest first: `app.api` > `app.domain` > `app.storage` (Layers); kept: no "
         "import breaks it.", 4),
        ("`app.billing` and `app.shipping` are independent of each other (independence rule "
         "2); broken: 2 violations, first at app/billing/invoices.py:3.", 9),
    ]
