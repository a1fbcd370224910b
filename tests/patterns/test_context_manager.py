"""Context Manager: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import context_manager

from .helpers import Analyse, detect, labels


def test_decorated_generators_and_enter_exit_classes(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, context_manager.DETECTOR, {"app/__init__.py": "", "app/r.py": """
        import contextlib
        from contextlib import asynccontextmanager
        @contextlib.contextmanager
        def opened(path):
            yield path
        @asynccontextmanager
        async def lifespan(app):
            yield
        class Lock:
            def __enter__(self): ...
            def __exit__(self, *exc): ...
        class Client:
            async def __aenter__(self): ...
            async def __aexit__(self, *exc): ...
    """})
    assert labels(found) == ["opened", "lifespan", "Lock", "Client"]
    assert found is not None and "`Lock` defines `__enter__` and `__exit__`" in (
        found.implementation)


def test_half_a_protocol_is_not_a_context_manager(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, context_manager.DETECTOR, {"app/__init__.py": "", "app/r.py": """
        class Half:
            def __enter__(self): ...
        def gen():
            yield 1
    """}) is None
