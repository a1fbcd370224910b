"""Loose scripts in whole repositories: their names, their imports and their components."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.model import SystemModel

Analyse = Callable[..., SystemModel]

# A tool whose root script has the name of the package beside it.
SHADOWED = {
    "tool.py": "from tool.cli import main\nif __name__ == '__main__':\n    main()\n",
    "tool/__init__.py": "PREFIX = 'TOOL_'\n",
    "tool/config.py": "from tool import PREFIX\nNAME = PREFIX + 'NAME'\n",
    "tool/cli.py": "from tool.config import NAME\ndef main():\n    return NAME\n",
}

# Migration folders without ``__init__.py`` inside a package, with the same file names.
MIGRATIONS = {
    "src/app/__init__.py": "",
    "src/app/models.py": "class Order:\n    pass\n",
    "src/app/db/__init__.py": "",
    "src/app/db/migrate/__init__.py": "",
    "src/app/db/migrate/main/env.py": "from app.models import Order\n",
    "src/app/db/migrate/main/steps/001_start.py": "revision = '1'\n",
    "src/app/db/migrate/tenant/env.py": "from app.models import Order\n",
    "src/app/db/migrate/tenant/steps/001_start.py": "revision = '1'\n",
    "src/app/db/migrate/tenant/steps/002_more.py": "revision = '2'\n",
    "tests/__init__.py": "",
    "tests/conftest.py": "import pytest\n",
    "tests/api/test_orders.py": "from app.models import Order\ndef test_order():\n"
                                "    assert Order()\n",
}


def edges(model: SystemModel) -> set[tuple[str, str]]:
    return {(e.importer, e.imported) for e in model.edges}


def test_the_package_receives_the_imports_of_its_name(analyse_repo: Analyse) -> None:
    model = analyse_repo(SHADOWED)
    assert model.modules["tool"].path == "tool/__init__.py"
    assert model.modules["tool.py"].path == "tool.py"
    assert edges(model) == {("tool.config", "tool"), ("tool.cli", "tool.config"),
                            ("tool.py", "tool.cli")}
    # The script keeps its own entry point.
    (guard,) = [e for e in model.entry_points if e.kind == "main guard"]
    assert (guard.target, guard.evidence.path) == ("tool.py", "tool.py")
    components = model.component_dependencies
    assert [d.name for d in components["tool.py"]] == ["tool"]
    assert "tool" not in components  # the package imports nothing of the script


def test_a_script_without_a_package_of_its_name_is_imported(analyse_repo: Analyse) -> None:
    model = analyse_repo({"tool.py": "PREFIX = 'TOOL_'\n", "app/__init__.py": "",
                          "app/config.py": "from tool import PREFIX\n"})
    assert model.modules["tool"].path == "tool.py"
    assert edges(model) == {("app.config", "tool")}


def test_script_folders_in_a_package_are_real_components(analyse_repo: Analyse) -> None:
    model = analyse_repo(MIGRATIONS)
    found = {c.name: c for c in model.components}
    assert sorted(found) == ["app", "src/app/db/migrate/main/", "src/app/db/migrate/tenant/",
                             "tests/"]
    assert all((model.scan.root / c.location).is_dir() for c in model.components)
    assert found["src/app/db/migrate/tenant/"].modules == (
        "002_more", "src/app/db/migrate/tenant/env.py",
        "src/app/db/migrate/tenant/steps/001_start.py")
    assert ("src/app/db/migrate/main/env.py", "app.models") in edges(model)
    assert found["tests/"].modules == ("test_orders", "tests", "tests.conftest")


def test_a_script_of_a_unique_name_keeps_it(analyse_repo: Analyse) -> None:
    files = {k: v for k, v in MIGRATIONS.items() if "/tenant/" not in k}
    model = analyse_repo(files)
    assert model.modules["env"].path == "src/app/db/migrate/main/env.py"
    assert {c.name for c in model.components} == {"app", "src/app/db/migrate/main/", "tests/"}
