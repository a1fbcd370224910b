"""Proxy: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import proxy

from .helpers import Analyse, detect, labels


def test_context_local_and_lazy_proxies(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, proxy.DETECTOR, {"web/__init__.py": "", "web/globals.py": """
        from werkzeug.local import LocalProxy
        from django.utils.functional import lazy, SimpleLazyObject
        request = LocalProxy(_lookup)
        user = SimpleLazyObject(get_user)
        gettext_lazy = lazy(gettext, str)
        plain = dict()
    """})
    assert labels(found) == ["request", "user", "gettext_lazy"]
    assert found is not None and "`request` is a `LocalProxy`" in found.implementation


def test_forwarding_classes_and_their_instances(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, proxy.DETECTOR, {"app/__init__.py": "", "app/lazy.py": """
        class LazyObject:
            __getattr__ = new_method_proxy(getattr)
        class LazySettings(LazyObject): ...
        settings = LazySettings()
        class Wrapper:
            def __init__(self, inner):
                self._inner = inner
            def __getattr__(self, name):
                return getattr(self._inner, name)
    """})
    assert sorted(labels(found)) == ["LazyObject", "Wrapper", "settings"]


def test_wrapper_of_the_same_interface(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, proxy.DETECTOR, {"app/__init__.py": "", "app/catalog.py": """
        from typing import Protocol
        class Catalog(Protocol):
            def get(self, sku): ...
        class CachedCatalog:
            def __init__(self, inner: Catalog, ttl: int) -> None: ...
            def get(self, sku): ...
    """})
    assert labels(found) == ["CachedCatalog"]
    assert found is not None and (
        "`CachedCatalog` implements `Catalog` and forwards to another `Catalog`"
        in found.implementation)


def test_computing_getattr_is_not_a_proxy(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, proxy.DETECTOR, {"app/__init__.py": "", "app/conf.py": """
        class Settings:
            def __getattr__(self, name):
                return name.upper()
        settings = Settings()
    """}) is None
