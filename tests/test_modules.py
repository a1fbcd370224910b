"""Module names: regular packages, src layouts, several roots, namespace packages, scripts."""

from __future__ import annotations

from syspatterns.extract.facts import ImportFact
from syspatterns.model.modules import find_modules


def names(paths: list[str], imports: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Module names; ``imports`` maps a path to the (dotted, leading-dot relative) imports
    its file makes."""
    facts = {
        path: [ImportFact(t.lstrip("."), len(t) - len(t.lstrip(".")), 1, True, None, 0)
               for t in targets]
        for path, targets in (imports or {}).items()
    }
    modules = find_modules([(p, p.startswith("tests/")) for p in paths], facts)
    return {m.path: m.name for m in modules.values()}


def test_src_layout_and_flat_layout() -> None:
    assert names(["src/shop/__init__.py", "src/shop/api/__init__.py", "src/shop/api/routes.py",
                  "tools/__init__.py", "tools/lint.py"]) == {
        "src/shop/__init__.py": "shop",
        "src/shop/api/__init__.py": "shop.api",
        "src/shop/api/routes.py": "shop.api.routes",
        "tools/__init__.py": "tools",
        "tools/lint.py": "tools.lint",
    }


def test_package_roots_in_a_monorepo() -> None:
    found = names(["backend/app/__init__.py", "backend/app/main.py",
                   "worker/jobs/__init__.py", "worker/jobs/run.py"])
    assert found["backend/app/main.py"] == "app.main"
    assert found["worker/jobs/run.py"] == "jobs.run"


def test_a_folder_whose_name_is_no_identifier_is_no_package() -> None:
    found = names(["demos/__init__.py", "demos/graphql-demo/__init__.py",
                   "demos/graphql-demo/graph/__init__.py", "demos/graphql-demo/graph/api.py",
                   "demos/graphql-demo/main.py"])
    assert found["demos/graphql-demo/graph/api.py"] == "graph.api"
    assert found["demos/graphql-demo/graph/__init__.py"] == "graph"
    assert found["demos/graphql-demo/main.py"] == "main"
    assert "demos/graphql-demo/__init__.py" not in found  # nothing can import it


def test_namespace_package_recognised_from_how_the_code_imports_it() -> None:
    paths = ["backend/app/main.py", "backend/app/core/config.py", "backend/app/api/routes.py"]
    found = names(paths, {"backend/app/main.py": ["app.core.config.X", "app.api.routes"]})
    assert found == {
        "backend/app/main.py": "app.main",
        "backend/app/core/config.py": "app.core.config",
        "backend/app/api/routes.py": "app.api.routes",
    }


def test_regular_package_inside_a_namespace_package() -> None:
    found = names(["src/acme/billing/__init__.py", "src/acme/billing/invoice.py"],
                  {"src/acme/billing/__init__.py": ["acme.billing.invoice"]})
    assert found["src/acme/billing/invoice.py"] == "acme.billing.invoice"


def test_folder_named_like_a_library_is_not_a_namespace_without_matching_imports() -> None:
    # ``import redis`` names no child of the folder, so the folder stays a plain folder.
    found = names(["redis/healthcheck.py"], {"redis/healthcheck.py": ["redis.asyncio"]})
    assert found == {"redis/healthcheck.py": "healthcheck"}


def test_loose_scripts_are_top_level_modules_and_collisions_use_paths() -> None:
    found = names(["manage.py", "scripts/seed.py", "tests/unit/test_a.py",
                   "tests/unit/conftest.py", "tests/integration/conftest.py"])
    assert found["manage.py"] == "manage"
    assert found["scripts/seed.py"] == "seed"
    assert found["tests/unit/test_a.py"] == "test_a"
    # Two scripts of one name: neither wins, each is named by its file.
    assert found["tests/unit/conftest.py"] == "tests/unit/conftest.py"
    assert found["tests/integration/conftest.py"] == "tests/integration/conftest.py"


def test_colliding_scripts_inside_a_package_are_named_by_their_files() -> None:
    paths = ["src/app/__init__.py", "src/app/db/__init__.py", "src/app/db/migrate/one/env.py",
             "src/app/db/migrate/one/steps/001_start.py", "src/app/db/migrate/two/env.py",
             "src/app/db/migrate/two/steps/001_start.py", "src/app/db/migrate/two/steps/002.py"]
    found = names(paths)
    assert found["src/app/db/migrate/one/env.py"] == "src/app/db/migrate/one/env.py"
    assert found["src/app/db/migrate/two/steps/001_start.py"] == \
        "src/app/db/migrate/two/steps/001_start.py"
    assert found["src/app/db/migrate/two/steps/002.py"] == "002"  # unique: its stem
    assert names(list(reversed(paths))) == found


def test_a_package_wins_its_name_over_a_script_beside_it() -> None:
    # Python imports the package ``tool/`` for ``import tool``, not the script ``tool.py``.
    found = names(["tool.py", "tool/__init__.py", "tool/config.py", "bin/tool.py"])
    assert found == {
        "tool/__init__.py": "tool",
        "tool/config.py": "tool.config",
        "tool.py": "tool.py",
        "bin/tool.py": "bin/tool.py",
    }
    # Without the package, the script keeps its stem.
    assert names(["tool.py", "lib/__init__.py"])["tool.py"] == "tool"


def test_files_with_extra_dots_are_not_modules() -> None:
    assert names(["pkg/__init__.py", "pkg/settings.local.py"]) == {"pkg/__init__.py": "pkg"}


def test_namespace_folder_inside_a_package_when_imported() -> None:
    paths = ["flask/__init__.py", "flask/app.py", "flask/sansio/app.py",
             "flask/sansio/scaffold.py", "flask/templates/tool.py"]
    found = names(paths, {"flask/app.py": [".sansio.app.App"],
                          "flask/sansio/app.py": ["flask.sansio.scaffold.Scaffold"]})
    assert found["flask/sansio/app.py"] == "flask.sansio.app"
    assert found["flask/sansio/scaffold.py"] == "flask.sansio.scaffold"
    # Nothing imports flask.templates: its file stays a loose script, as in grimp.
    assert found["flask/templates/tool.py"] == "tool"


def test_module_properties() -> None:
    modules = find_modules([("pkg/__init__.py", False), ("pkg/a.py", False)], {})
    assert modules["pkg"].is_package and modules["pkg"].package == "pkg"
    assert not modules["pkg.a"].is_package and modules["pkg.a"].package == "pkg"
    assert not modules["pkg"].is_script and not modules["pkg.a"].is_script


def test_a_script_belongs_to_no_package_whatever_its_name() -> None:
    modules = find_modules([("tool.py", False), ("tool/__init__.py", False),
                            ("jobs/run.py", False)], {})
    assert modules["tool.py"].is_script and modules["tool.py"].package == ""
    assert modules["run"].is_script and modules["run"].package == ""
    assert modules["tool.py"].relative_base(1) is None
    assert modules["tool"].relative_base(1) == "tool"
