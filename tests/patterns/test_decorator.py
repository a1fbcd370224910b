"""Decorator: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import decorator

from .helpers import Analyse, detect, labels


def test_wrapping_decorators_and_their_uses(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, decorator.DETECTOR, {
        "app/__init__.py": "",
        "app/decorators.py": """
            import functools
            from functools import update_wrapper
            def retry(times):
                def decorate(func):
                    @functools.wraps(func)
                    def wrapper(*args):
                        return func(*args)
                    return wrapper
                return decorate
            def logged(func):
                def inner(*args):
                    return func(*args)
                return update_wrapper(inner, func)
            def register(cls):
                return cls
        """,
        "app/jobs.py": """
            from app.decorators import logged, register, retry
            @retry(3)
            def fetch(): ...
            @logged
            def store(): ...
            @retry(2)
            def send(): ...
            @register
            class Job: ...
        """,
    })
    assert labels(found) == ["retry", "logged", "register"]
    assert found is not None
    assert "`retry` wraps the function it is given with `functools.wraps`, applied to 2 " \
        "functions" in found.implementation
    assert "`@register` is applied to 1 class such as `Job`" in found.implementation


def test_closures_without_wraps_and_library_decorators(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, decorator.DETECTOR, {"app/__init__.py": "", "app/cb.py": """
        from functools import lru_cache
        def make_handler(name):
            def handler(event):
                return name
            return handler
        @lru_cache
        def cached(): ...
    """}) is None


def test_wraps_imported_under_other_names(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, decorator.DETECTOR, {
        "app/__init__.py": "",
        "app/compat.py": """
            from functools import update_wrapper as copy_meta
            from functools import wraps as keep_meta
        """,
        "app/timing.py": """
            from app.compat import copy_meta
            from app.compat import keep_meta as preserve
            def timed(func):
                @preserve(func)
                def wrapper(*args):
                    return func(*args)
                return wrapper
            def traced(func):
                def inner(*args):
                    return func(*args)
                return copy_meta(inner, func)
        """,
    })
    assert labels(found) == ["timed", "traced"]
