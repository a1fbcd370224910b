"""Plugin: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import plugin

from .helpers import Analyse, detect, labels


def test_dynamic_loading_and_entry_points(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, plugin.DETECTOR, {"app/__init__.py": "", "app/load.py": """
        import importlib
        from importlib.metadata import entry_points
        from django.utils.module_loading import import_string
        def load_backend(path):
            return import_string(path)
        def load_engine(settings):
            module = importlib.import_module(settings.ENGINE)
            again = importlib.import_module(settings.OTHER)
            return module, again
        def discover():
            return entry_points(group="app.plugins")
    """})
    assert labels(found) == ["discover", "load_backend", "load_engine"]
    assert found is not None
    assert "`entry_points(group='app.plugins')` in `discover` discovers installed plug-ins" in (
        found.implementation)
    assert found.count == 3


def test_fixed_module_names_are_deferred_imports(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, plugin.DETECTOR, {"app/__init__.py": "", "app/load.py": """
        import importlib
        def json_module():
            return importlib.import_module("json")
    """}) is None


def test_names_built_by_f_strings_and_plugin_managers(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, plugin.DETECTOR, {"lint/__init__.py": "", "lint/load.py": """
        import importlib
        import pluggy
        def dialect(name):
            return importlib.import_module(f"lint.dialects.dialect_{name}")
        def manager():
            plugins = pluggy.PluginManager("lint")
            plugins.load_setuptools_entrypoints("lint")
            return plugins
    """})
    assert labels(found) == ["manager", "dialect"]  # discovery first
