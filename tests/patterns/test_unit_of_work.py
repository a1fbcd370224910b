"""Unit of Work: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import unit_of_work

from .helpers import Analyse, detect, labels


def test_commit_or_rollback_around_a_block(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, unit_of_work.DETECTOR, {"app/__init__.py": "", "app/db.py": """
        from contextlib import contextmanager
        @contextmanager
        def session_scope(factory):
            session = factory()
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise
    """})
    assert labels(found) == ["session_scope"]
    assert found is not None and found.confidence == 0.9
    assert "`session_scope` commits `session` or rolls it back around the `with` block" in (
        found.implementation)


def test_framework_atomic_blocks(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, unit_of_work.DETECTOR, {"shop/__init__.py": "", "shop/v.py": """
        from django.db import transaction
        @transaction.atomic
        def place(request): ...
        def refund(request):
            with transaction.atomic():
                pass
    """})
    assert labels(found) == ["place", "refund"]


def test_lone_commits_are_not_units_of_work(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, unit_of_work.DETECTOR, {"app/__init__.py": "", "app/db.py": """
        def save(session, row):
            session.add(row)
            session.commit()
        def undo(other):
            other.rollback()
    """}) is None
