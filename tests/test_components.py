"""The component grouping rule."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.extract.facts import ImportFact
from syspatterns.model import SystemModel
from syspatterns.model.components import MAX_COMPONENTS, group_components
from syspatterns.model.modules import find_modules


def group(paths: list[str]) -> dict[str, tuple[str, ...]]:
    modules = find_modules([(p, "tests/" in p or "/test_" in p) for p in paths], {})
    return {c.name: c.modules for c in group_components(modules)}


def package(name: str, modules: int, subpackages: dict[str, int] | None = None) -> list[str]:
    paths = [f"{name}/__init__.py"] + [f"{name}/m{i}.py" for i in range(modules)]
    for sub, count in (subpackages or {}).items():
        paths += package(f"{name}/{sub}", count)
    return paths


def test_small_packages_stay_whole() -> None:
    found = group(package("api", 3) + package("core", 4) + package("domain", 2))
    assert list(found) == ["api", "core", "domain"]


def test_a_large_package_splits_into_subpackages_and_its_own_modules() -> None:
    found = group(package("shop", 2, {"api": 8, "db": 8, "domain": 8}))
    assert list(found) == ["shop", "shop.api", "shop.db", "shop.domain"]
    assert found["shop"] == ("shop", "shop.m0", "shop.m1")


def test_a_large_flat_package_splits_into_modules() -> None:
    found = group(package("lib", 12))
    assert len(found) == 13
    assert "lib.m11" in found and found["lib"] == ("lib",)


def test_tests_are_their_own_component_and_never_split() -> None:
    found = group(package("app", 3) + [f"tests/test_{i}.py" for i in range(40)])
    assert list(found) == ["app", "tests/"]
    assert len(found["tests/"]) == 40


def test_the_component_count_is_capped() -> None:
    paths = package("big", 0, {f"s{i:02}": 10 for i in range(40)})
    found = group(paths)
    assert len(found) <= MAX_COMPONENTS
    assert "big" in found  # the package itself was too large to keep but too wide to split


def test_a_package_too_wide_to_split_whole_keeps_its_smaller_subpackages() -> None:
    # 30 subpackages, s00 the smallest: only the largest become components.
    paths = package("shop", 2, {f"s{i:02}": 4 + i for i in range(30)}) + package("util", 3)
    found = group(paths)
    assert len(found) == MAX_COMPONENTS
    kept = MAX_COMPONENTS - 2  # beside `shop` itself and `util`
    assert sorted(n for n in found if n.startswith("shop.")) == [
        f"shop.s{i:02}" for i in range(30 - kept, 30)]
    assert found["shop"] == tuple(sorted(
        ["shop", "shop.m0", "shop.m1"]
        + [m for i in range(30 - kept) for m in (f"shop.s{i:02}", *(
            f"shop.s{i:02}.m{j}" for j in range(4 + i)))]))


def test_loose_scripts_group_by_top_folder_and_single_root_scripts_stand_alone() -> None:
    found = group(["manage.py", "scripts/seed.py", "scripts/tools/report.py",
                   *package("app", 2)])
    assert found["manage"] == ("manage",)
    assert found["scripts/"] == ("report", "seed")


def test_a_script_folder_inside_a_package_is_named_by_its_own_folder() -> None:
    found = group([*package("app", 2), "app/scripts/reset.py", "app/scripts/seed.py",
                   "tests/__init__.py", "tests/replay/test_replay.py", "tests/vcs/test_vcs.py"])
    assert found["app/scripts/"] == ("reset", "seed")
    assert found["app"] == ("app", "app.m0", "app.m1")
    # Tests in plain folders of a test package stay with their suite, in one component.
    assert found["tests/"] == ("test_replay", "test_vcs", "tests")
    assert "tests" not in found


def test_scripts_in_plain_folders_deep_in_a_package_group_by_the_folder_below_it() -> None:
    # Migration folders without ``__init__.py`` inside ``src/app/db/``, the same file names
    # in each: a component per folder below the package, never the ``src/`` root.
    paths = [*package("src/app", 2), "src/app/db/__init__.py", "src/app/db/migrate/__init__.py",
             "src/app/db/migrate/one/env.py",
             "src/app/db/migrate/one/steps/001_start.py", "src/app/db/migrate/two/env.py",
             "src/app/db/migrate/two/steps/001_start.py", "src/app/db/migrate/two/steps/002.py",
             "src/tools/lint.py"]
    modules = find_modules([(p, False) for p in paths], {})
    components = {c.name: c for c in group_components(modules)}
    assert sorted(components) == ["app", "src/", "src/app/db/migrate/one/",
                                  "src/app/db/migrate/two/"]
    assert components["src/app/db/migrate/two/"].modules == (
        "002", "src/app/db/migrate/two/env.py", "src/app/db/migrate/two/steps/001_start.py")
    assert components["src/app/db/migrate/two/"].location == "src/app/db/migrate/two"
    # A script outside any package still groups by its top folder.
    assert components["src/"].modules == ("lint",)
    folders = {p.rpartition("/")[0] for p in paths}
    assert all(c.location in folders | {"src"} for c in components.values())


def test_a_code_package_stays_apart_from_test_scripts_in_its_folder() -> None:
    found = group([*package("app", 2), "app/checks/test_a.py"])
    assert found["app"] == ("app", "app.m0", "app.m1")
    assert found["app/"] == ("test_a",)


def test_a_subpackage_without_init_is_located_at_its_own_folder() -> None:
    paths = package("shop", 1, {"api": 8, "db": 8}) + [
        f"shop/orders/inner/m{i}.py" for i in range(8)] + ["shop/orders/inner/__init__.py"]
    imports = {"shop/m0.py": (ImportFact("shop.orders.inner", 0, 1, False, None, 0),)}
    modules = find_modules([(p, False) for p in paths], imports)
    components = {c.name: c for c in group_components(modules)}
    assert components["shop.orders"].location == "shop/orders"
    assert components["shop.api"].location == "shop/api"


def test_grouping_is_deterministic() -> None:
    paths = package("x", 5, {"a": 9, "b": 9, "c": 9})
    assert group(paths) == group(list(reversed(paths)))


def test_a_test_suite_with_helper_modules_is_still_tests() -> None:
    modules = find_modules(
        [("t/__init__.py", False), ("t/tasks.py", False)]
        + [(f"t/test_{i}.py", True) for i in range(3)], {})
    (suite,) = group_components(modules)
    assert suite.role == "test"


def test_documentation_sources_are_docs() -> None:
    modules = find_modules([("docs_src/tutorial/main.py", False), ("app/__init__.py", False)], {})
    roles = {c.name: c.role for c in group_components(modules)}
    assert roles == {"app": "code", "docs_src/": "docs"}


def test_a_package_with_its_own_tests_package_is_code() -> None:
    # Django apps keep their tests inside: the app is code however many tests it holds.
    modules = find_modules(
        [("front/__init__.py", False), ("front/views.py", False), ("front/forms.py", False),
         ("front/tests/__init__.py", True)]
        + [(f"front/tests/test_{i}.py", True) for i in range(8)], {})
    (app,) = group_components(modules)
    assert app.role == "code"


def test_a_package_made_only_of_a_tests_package_is_tests() -> None:
    modules = find_modules(
        [("suite/__init__.py", False), ("suite/tests/__init__.py", True)]
        + [(f"suite/tests/test_{i}.py", True) for i in range(4)], {})
    (suite,) = group_components(modules)
    assert suite.role == "test"


def test_the_same_package_under_two_roots_makes_two_components() -> None:
    # A `tests` package at the top and another inside an example project, whose test modules
    # import themselves as `tests.*` (pytest run from the example's folder).
    paths = [("tests/__init__.py", True), ("tests/test_a.py", True),
             ("examples/shop/tests/fakes.py", True), ("examples/shop/tests/test_b.py", True)]
    imports = {"examples/shop/tests/test_b.py": (
        ImportFact("tests.fakes.FakeShop", 0, 1, True, "FakeShop", 0),)}
    components = {c.name: c for c in group_components(find_modules(paths, imports))}
    assert sorted(components) == ["examples/shop/tests", "tests"]
    assert components["tests"].modules == ("tests", "tests.test_a")
    assert components["examples/shop/tests"].location == "examples/shop/tests"


def test_packages_of_one_name_under_two_roots_are_found_at_their_folders() -> None:
    # Both services have ``handlers/__init__.py``: those modules are named by their paths,
    # and each component is still the folder that holds them.
    found = group(["svc_a/handlers/__init__.py", "svc_a/handlers/jobs.py",
                   "svc_b/handlers/__init__.py", "svc_b/handlers/jobs.py",
                   "svc_b/handlers/extra.py"])
    assert found == {
        "handlers": ("svc_a.handlers.__init__", "svc_a.handlers.jobs"),
        "svc_b/handlers": ("handlers.extra", "svc_b.handlers.__init__", "svc_b.handlers.jobs"),
    }


def test_a_repository_of_examples_analyses_them_as_its_code(
        analyse_repo: Callable[..., SystemModel]) -> None:
    from syspatterns.analysers.error_handling import ErrorHandlingAnalyser
    from syspatterns.model.testsuite import suite_of

    files = {
        "demos/shop/shop/__init__.py": "",
        "demos/shop/shop/views.py": "def get(request):\n    raise ValueError('no')\n",
        "demos/shop/tests/test_views.py": "def test_get():\n    assert True\n",
        "demos/chat/chat/__init__.py": "",
        "demos/chat/chat/server.py": "class Room:\n    pass\n",
    }
    model = analyse_repo(files)
    assert model.examples_are_code
    assert {c.name for c in model.components if c.is_code} == {"chat", "shop"}
    assert [t.name for t in suite_of(model).tests] == ["test_get"]
    raised = [f.claim for f in ErrorHandlingAnalyser().analyse(model).findings
              if f.claim.startswith("Built-in exceptions")]
    assert raised and "`ValueError`" in raised[0]
    # beside code of its own, a repository's examples stay examples
    files["app/__init__.py"] = "def run():\n    pass\n"
    model = analyse_repo(files)
    assert not model.examples_are_code
    assert {c.name for c in model.components if c.is_code} == {"app"}


def test_a_folder_of_migrations_stays_one_component() -> None:
    files = [(f"app/migrations/{n:04d}_change.py", False) for n in range(1, 14)]
    files += [("app/__init__.py", False), ("app/migrations/__init__.py", False),
              ("app/models.py", False), ("app/views.py", False)]
    modules = find_modules(files, {path: () for path, _ in files})
    names = [c.name for c in group_components(modules, max_components=24)]
    assert "app.migrations" in names
    assert not any(name.startswith("app.migrations.") for name in names)
