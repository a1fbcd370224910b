"""Import resolution against the repository's modules."""

from __future__ import annotations

from collections.abc import Callable

from syspatterns.extract.facts import ImportFact
from syspatterns.model import SystemModel
from syspatterns.model.imports import absolute_target, resolve, resolve_imports
from syspatterns.model.modules import Module
from syspatterns.render.markdown import render_markdown

PKG = Module("pkg", "pkg/__init__.py", True, "", False)
SUB = Module("pkg.sub", "pkg/sub/__init__.py", True, "", False)
LEAF = Module("pkg.sub.leaf", "pkg/sub/leaf.py", False, "", False)


def fact(target: str, level: int = 0, is_from: bool = True) -> ImportFact:
    return ImportFact(target, level, 1, is_from, None, 0)


def test_relative_targets_from_a_module_and_from_a_package() -> None:
    assert absolute_target(LEAF, fact("x", 1)) == "pkg.sub.x"
    assert absolute_target(LEAF, fact("x", 2)) == "pkg.x"
    assert absolute_target(SUB, fact("x", 1)) == "pkg.sub.x"
    assert absolute_target(SUB, fact("x", 2)) == "pkg.x"
    assert absolute_target(LEAF, fact("x", 9)) is None  # beyond the top-level package


def test_an_object_resolves_to_its_module_and_no_further() -> None:
    modules = {"pkg", "pkg.sub", "pkg.sub.leaf"}
    assert resolve("pkg.sub.leaf", modules) == "pkg.sub.leaf"
    assert resolve("pkg.sub.leaf.func", modules) == "pkg.sub.leaf"
    assert resolve("pkg.sub.Thing", modules) == "pkg.sub"
    assert resolve("pkg.sub.leaf.Class.attr", modules) is None  # grimp goes one level up only
    assert resolve("other", modules) is None


def test_external_stdlib_and_missing_imports_are_told_apart() -> None:
    modules = {m.name: m for m in (PKG, SUB, LEAF)}
    result = resolve_imports(modules, {"pkg.sub.leaf": (
        fact("os", is_from=False), fact("requests.get"), fact("pkg.gone.thing"),
        fact("thing", 1), fact("x", 5),
    )})
    assert [(x.top, x.is_stdlib) for x in result.externals] == [("os", True), ("requests", False)]
    assert result.missing == [("pkg.sub.leaf", ".....x", 1), ("pkg.sub.leaf", "pkg.gone.thing", 1)]
    assert [(e.imported, e.target) for e in result.edges] == [("pkg.sub", "pkg.sub.thing")]


def test_model_edges_from_real_files(analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "app/__init__.py": "from .core import settings\n",
        "app/core/__init__.py": "",
        "app/core/settings.py": "import os\nDEBUG = os.environ.get('DEBUG')\n",
        "app/api.py": "def handler():\n    from app.core.settings import DEBUG\n",
    })
    edges = {(e.importer, e.imported, e.line) for e in model.edges}
    assert edges == {("app", "app.core.settings", 1), ("app.api", "app.core.settings", 2)}
    assert [x.top for x in model.externals] == ["os"]


def test_scripts_and_tests_import_their_own_folders_modules_by_bare_name(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "tests/__init__.py": "",
        "tests/conftest.py": "class Server: ...\n",
        "tests/test_api.py": "from conftest import Server\n",
        "tools/helpers.py": "def run(): ...\n",
        "tools/release.py": "import helpers\n",
        "app/__init__.py": "",
        "app/models.py": "",
        "app/views.py": "import models\n",  # inside a package: no implicit relative import
    })
    edges = {(e.importer, e.imported) for e in model.edges}
    assert ("tests.test_api", "tests.conftest") in edges
    assert ("release", "helpers") in edges
    assert not any(importer == "app.views" for importer, _ in edges)
    assert [x.top for x in model.externals] == ["models"]


def test_a_script_in_another_folder_does_not_hide_a_library(
        analyse_repo: Callable[..., SystemModel]) -> None:
    model = analyse_repo({
        "server/shop/__init__.py": "",
        "server/shop/pay.py": "import stripe\nimport settings\n",
        "server/settings.py": "DEBUG = False\n",  # beside the package: on the same path
        "dev/cli/stripe.py": "import stripe\n",  # a command named after the library
        "dev/cli/main.py": "import stripe\n",  # its own folder's script, run from there
    })
    edges = {(e.importer, e.imported) for e in model.edges}
    assert ("shop.pay", "settings") in edges
    assert ("main", "stripe") in edges
    assert not any(importer == "shop.pay" and imported == "stripe"
                   for importer, imported in edges)
    assert ("shop.pay", "stripe") in {(x.importer, x.top) for x in model.externals}
    assert model.missing_imports == []


VENDORING = {
    "src/pkg/__init__.py": "",
    "src/pkg/_vendor/__init__.py": "",
    "src/pkg/_vendor/rich/__init__.py": "class Console: ...\n",
    "src/pkg/a.py": (
        "from pkg._vendor.rich import Console\n"
        "import pkg._vendor.rich\n"
        "from pkg.gone import thing\n"
        "from pkg.tools.vendor import helper\n"  # no such folder: missing, not vendored
    ),
    "src/pkg/b.py": "from pkg.gone import thing\n",
}


def test_imports_into_skipped_vendored_code_are_told_apart_from_missing_ones(
        analyse_repo: Callable[..., SystemModel]) -> None:
    for use_git in (False, True):
        model = analyse_repo(VENDORING, use_git=use_git)
        assert model.scan.vendored == ["src/pkg/_vendor"]
        assert [(v.importer, v.target, v.line, v.folder) for v in model.vendored_imports] == [
            ("pkg.a", "pkg._vendor.rich", 2, "src/pkg/_vendor"),
            ("pkg.a", "pkg._vendor.rich.Console", 1, "src/pkg/_vendor")]
        assert model.missing_imports == [
            ("pkg.a", "pkg.gone.thing", 3), ("pkg.a", "pkg.tools.vendor.helper", 4),
            ("pkg.b", "pkg.gone.thing", 1)]
        assert [(target, [f"{e.path}:{e.line}" for e in places])
                for target, places in model.missing_import_places()] == [
            ("pkg.gone.thing", ["src/pkg/a.py:3", "src/pkg/b.py:1"]),
            ("pkg.tools.vendor.helper", ["src/pkg/a.py:4"])]


def test_the_notes_list_each_missing_name_once_and_vendored_code_per_folder(
        analyse_repo: Callable[..., SystemModel]) -> None:
    files = dict(VENDORING)
    files.update({f"src/pkg/m{i}.py": "from pkg.gone import thing\n" for i in range(4)})
    text = render_markdown(analyse_repo(files), [])
    notes = text[text.index("Imports of the repository's own names"):]
    assert "- `pkg.gone.thing` in [src/pkg/a.py:3](src/pkg/a.py#L3), " \
           "[src/pkg/b.py:1](src/pkg/b.py#L1), [src/pkg/m0.py:1](src/pkg/m0.py#L1) " \
           "and 3 more\n" in notes
    assert "- `src/pkg/_vendor/`: 2 imports (`pkg._vendor.rich`, " \
           "`pkg._vendor.rich.Console`) in [src/pkg/a.py:1](src/pkg/a.py#L1), " \
           "[src/pkg/a.py:2](src/pkg/a.py#L2)\n" in notes


def test_the_standard_library_of_newer_and_older_pythons_is_not_third_party() -> None:
    from syspatterns.model.imports import STDLIB

    assert {"annotationlib", "compression", "distutils", "asyncore", "json"} <= STDLIB
    assert "requests" not in STDLIB
