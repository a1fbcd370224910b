"""Command-line entry point: ``orderly serve``, ``orderly migrate`` and admin helpers."""

from pathlib import Path

import click
import uvicorn

from orderly import __version__
from orderly.core.errors import ConflictError
from orderly.core.security import hash_password
from orderly.storage.database import session_scope
from orderly.storage.repositories import SqlCustomerRepository


@click.group()
@click.version_option(__version__, prog_name="orderly")
def main() -> None:
    """Orderly order-management service."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development only).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Run the HTTP API under uvicorn."""
    uvicorn.run(
        "orderly.api.app:app",
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=True,
        log_config=None,
    )


@main.command()
@click.option(
    "--config",
    "config_path",
    default="alembic.ini",
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--revision", default="head", show_default=True)
def migrate(config_path: Path, revision: str) -> None:
    """Upgrade the database schema to REVISION."""
    from alembic import command
    from alembic.config import Config

    command.upgrade(Config(str(config_path)), revision)
    click.echo(f"database upgraded to {revision}")


@main.command("create-customer")
@click.option("--email", required=True)
@click.option("--full-name", required=True)
@click.password_option()
def create_customer(email: str, full_name: str, password: str) -> None:
    """Create a customer account (for staff and load-test users)."""
    try:
        with session_scope() as session:
            customer = SqlCustomerRepository(session).add(
                email=email, full_name=full_name, password_hash=hash_password(password)
            )
    except ConflictError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"created customer {customer.id} <{customer.email}>")
