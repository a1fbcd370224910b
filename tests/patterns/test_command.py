"""Command: positive and negative snippets."""

from __future__ import annotations

from syspatterns.patterns import command

from .helpers import Analyse, detect, labels


def test_management_commands(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, command.DETECTOR, {
        "shop/__init__.py": "",
        "shop/management/__init__.py": "",
        "shop/management/commands/__init__.py": "",
        "shop/management/commands/import_orders.py": """
            from django.core.management.base import BaseCommand
            class Command(BaseCommand):
                def handle(self, *args, **options): ...
        """,
        "shop/management/commands/export_orders.py": """
            from django.core.management import BaseCommand
            class Command(BaseCommand):
                def handle(self, *args, **options): ...
        """,
    })
    assert labels(found) == ["export_orders.Command", "import_orders.Command"]


def test_click_typer_and_celery(analyse_repo: Analyse) -> None:
    found = detect(analyse_repo, command.DETECTOR, {
        "tool/__init__.py": "",
        "tool/cli.py": """
            import click
            import typer
            app = typer.Typer()
            @click.group()
            def main(): ...
            @main.command()
            def serve(): ...
            @app.command()
            def sync(): ...
        """,
        "tool/worker.py": """
            from celery import Celery, shared_task
            celery_app = Celery("tool")
            @celery_app.task(bind=True)
            def send(self, order_id): ...
            @shared_task
            def purge(): ...
        """,
    })
    assert labels(found) == ["main", "serve", "sync", "send", "purge"]


def test_classes_named_command_are_not_commands(analyse_repo: Analyse) -> None:
    assert detect(analyse_repo, command.DETECTOR, {"tool/__init__.py": "", "tool/x.py": """
        class Command:
            def execute(self): ...
        class RunCommand(Command): ...
        @app.command
        def later(): ...
    """}) is None
