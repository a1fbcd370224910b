"""Singleton: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import singleton

from .helpers import Analyse, detect, labels, where


def test_new_returning_the_instance_cached_on_the_class(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, singleton.DETECTOR, {"app/__init__.py": "", "app/config.py": """
        class Config:
            _instance = None
            def __new__(cls):
                if cls._instance is None:
                    cls._instance = super().__new__(cls)
                return cls._instance
    """})
    assert found is not None and found.confidence == 0.9
    assert labels(found) == ["Config"] and where(found) == ["app/config.py:3"]
    assert "`Config.__new__` returns the instance cached on the class" in found.implementation


def test_metaclass_caching_instances(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, singleton.DETECTOR, {"app/__init__.py": "", "app/meta.py": """
        class Single(type):
            _instances = {}
            def __call__(cls, *args):
                if cls not in cls._instances:
                    cls._instances[cls] = super().__call__(*args)
                return cls._instances[cls]
        class Registry(metaclass=Single):
            pass
    """})
    assert labels(found) == ["Registry"]


def test_lazy_global_and_cached_accessor(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, singleton.DETECTOR, {"app/__init__.py": "", "app/settings.py": """
        from functools import lru_cache
        _settings = None
        class Settings: ...
        def get():
            global _settings
            if _settings is None:
                _settings = Settings()
            return _settings
        @lru_cache
        def get_settings():
            return Settings()
        @lru_cache
        def get_for(name):
            return Settings()
        @lru_cache
        def version():
            stamp = make()
            return stamp.strftime("%Y")
        from concurrent.futures import ProcessPoolExecutor
        from sqlalchemy import create_engine
        @lru_cache
        def executor():
            return ProcessPoolExecutor()
        @lru_cache
        def engine():
            return create_engine("sqlite://")
        def _settings_for_env():
            return Settings()
        @lru_cache
        def env_settings():
            return _settings_for_env()
    """})
    assert labels(found) == ["get", "get_settings", "executor", "engine", "env_settings"]


def test_cached_values_are_not_instances(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, singleton.DETECTOR, {"app/__init__.py": "", "app/paths.py": """
        from functools import lru_cache
        from pathlib import Path
        import os
        def _resolved(path):
            return path.resolve()
        @lru_cache
        def user_config():
            return _resolved(Path.home())
        @lru_cache
        def cwd():
            return os.getcwd()
    """}) is None


def test_module_instance_imported_elsewhere(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, singleton.DETECTOR, {
        "app/__init__.py": "",
        "app/sites.py": "class AdminSite: ...\nsite = AdminSite()\nother = AdminSite\n",
        "app/urls.py": "from app.sites import site\n",
    })
    assert labels(found) == ["site"]
    assert found is not None and "imported by 1 module" in found.implementation


def test_no_singleton_in_plain_code(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, singleton.DETECTOR, {
        "app/__init__.py": "",
        "app/sites.py": """
            class Site: ...
            site = Site()
            second = Site()
            class Plain:
                def __new__(cls):
                    return super().__new__(cls)
        """,
        "app/urls.py": "from app.sites import site\n",
    }) is None
