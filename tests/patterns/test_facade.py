"""Facade: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import facade

from .helpers import Analyse, detect, labels, where

SUBMODULES = {
    "lib/app.py": "class App: ...\nclass Config: ...\n",
    "lib/views.py": "class View: ...\nclass MethodView: ...\n",
    "lib/helpers.py": "def url_for(): ...\ndef redirect(): ...\n",
}


def test_top_level_package_re_exporting_its_modules(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, facade.DETECTOR, {**SUBMODULES, "lib/__init__.py": """
        \"\"\"The library.\"\"\"
        from .app import App as App
        from .app import Config as Config
        from .views import View, MethodView
        from .helpers import url_for, redirect
        def _local(): ...
    """})
    assert labels(found) == ["lib"] and where(found) == ["lib/__init__.py:2"]
    assert found is not None and found.confidence == 0.65
    assert "re-exports 6 names from 3 submodules (`app`, `helpers` and `views`)" in (
        found.implementation)


def test_sub_package_used_through_its_init(analyse_repo: Analyse) -> None:
    files = {f"top/{path}": text.replace("lib", "top.lib") for path, text in SUBMODULES.items()}
    found = detect(analyse_repo, facade.DETECTOR, {
        **files, "top/__init__.py": "",
        "top/lib/__init__.py": "from .app import App, Config\nfrom .views import View, "
                               "MethodView\nfrom .helpers import url_for, redirect\n",
        "top/other.py": "from top.lib import App\n",
    })
    assert found is not None and found.confidence == 0.75
    assert "1 other module imports them through it" in found.implementation


def test_few_re_exports_or_unused_sub_package(analyse_repo: Analyse) -> None:
    files = {f"top/{path}": text for path, text in SUBMODULES.items()}
    assert detect(analyse_repo, facade.DETECTOR, {
        **files, "top/__init__.py": "",
        "top/lib/__init__.py": "",
        "top/lib/a.py": "class A: ...\n", "top/lib/b.py": "class B: ...\n",
        "top/lib/c.py": "class C: ...\n",
        "top/lib/sub.py": "from .a import A\nfrom .b import B\nfrom .c import C\n",
        "top/lib/pkg/__init__.py": "from ..a import A\nfrom ..b import B\n",
    }) is None


def test_top_level_package_importing_for_its_own_use_or_side_effects(
        analyse_repo: Analyse) -> None:
    imports = ("from .app import App, Config\nfrom .views import View, MethodView\n"
               "from .helpers import url_for, redirect\n")
    used = imports + ("def create_app():\n    app = App(Config())\n    View(); MethodView()\n"
                      "    url_for(); redirect()\n    return app\n")
    assert detect(analyse_repo, facade.DETECTOR, {**SUBMODULES, "lib/__init__.py": used}) is None
    tried = "try:\n" + "".join(f"    {line}\n" for line in imports.splitlines()) + \
        "except ImportError:\n    pass\n"
    assert detect(analyse_repo, facade.DETECTOR, {**SUBMODULES, "lib/__init__.py": tried}) is None
