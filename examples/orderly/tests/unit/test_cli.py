"""The ``orderly`` command line."""

import pytest
import uvicorn
from click.testing import CliRunner

from orderly.cli import main


@pytest.mark.parametrize(
    ("args", "workers", "reload"),
    [(["--workers", "3"], 3, False), (["--workers", "3", "--reload"], None, True)],
)
def test_serve_hands_options_to_uvicorn(
    monkeypatch: pytest.MonkeyPatch, args: list[str], workers: int | None, reload: bool
) -> None:
    calls: list[tuple[str, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))

    result = CliRunner().invoke(main, ["serve", "--port", "9000", *args])

    assert result.exit_code == 0, result.output
    [(app, kwargs)] = calls
    assert app == "orderly.api.app:app"
    assert kwargs["port"] == 9000
    assert kwargs["workers"] == workers
    assert kwargs["reload"] is reload
