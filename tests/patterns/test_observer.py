"""Observer: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import observer

from .helpers import Analyse, detect, labels


def test_django_signals_receivers_and_connections(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, observer.DETECTOR, {
        "shop/__init__.py": "",
        "shop/signals.py": """
            from django.dispatch import Signal
            order_paid = Signal()
        """,
        "shop/handlers.py": """
            from django.db.models.signals import post_save
            from django.dispatch import receiver
            from shop.signals import order_paid
            @receiver(post_save)
            def audit(sender, **kwargs): ...
            def mail(sender, **kwargs): ...
            order_paid.connect(mail)
            connection.connect(mail)
        """,
    })
    assert labels(found) == ["order_paid", "audit", "mail"]
    assert found is not None and "`order_paid.connect(mail)` subscribes a receiver" in (
        found.implementation)


def test_blinker_namespace_and_callback_hooks(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, observer.DETECTOR, {
        "web/__init__.py": "",
        "web/signals.py": """
            from blinker import Namespace
            _signals = Namespace()
            template_rendered = _signals.signal("template-rendered")
        """,
        "web/app.py": """
            class App:
                def before_request(self, f):
                    self.before_request_funcs.setdefault(None, []).append(f)
                    return f
                def add_item(self, item):
                    self.items.append(item)
            HOOKS = []
            class Hooks:
                @staticmethod
                def on_exit(f):
                    HOOKS.append(f)
                    return f
        """,
    })
    assert labels(found) == ["template_rendered", "App.before_request", "Hooks.on_exit"]


def test_lists_and_connections_that_are_not_events(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, observer.DETECTOR, {"db/__init__.py": "", "db/pool.py": """
        import psycopg
        class Pool:
            def add(self, conn):
                self.conns.append(conn)
        class Report:
            # fluent: hands back the report, not what it was given
            def append(self, message):
                self._messages.append(message)
                return self
            def open(self):
                return psycopg.connect(self.dsn)
    """}) is None
