"""``syspatterns mcp`` end to end: the server runs as a subprocess and the official SDK's
client talks to it over stdio. Every wait is bounded, so a hang fails instead of blocking."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from mcp import ClientSession, MCPError
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent

from syspatterns.cli import main

from .conftest import MakeRepo, write_files
from .test_mcp import SHOP

SESSION_SECONDS = 120
CALL_SECONDS = 60
TOOLS = {"get_section", "get_component", "who_imports", "list_entry_points", "check_document"}


def with_server(root: Path, tmp_path: Path,
                talk: Callable[[ClientSession], Awaitable[None]]) -> None:
    """Start ``python -m syspatterns mcp root``, initialise a session and run ``talk``."""

    async def run() -> None:
        params = StdioServerParameters(command=sys.executable,
                                       args=["-m", "syspatterns", "mcp", str(root)],
                                       cwd=str(tmp_path))
        with (tmp_path / "server.log").open("w") as log, anyio.fail_after(SESSION_SECONDS):
            async with stdio_client(params, errlog=log) as (read, write), ClientSession(
                    read, write, read_timeout_seconds=CALL_SECONDS) as session:
                await session.initialize()
                await talk(session)

    anyio.run(run)


def text(result: CallToolResult) -> str:
    parts = [c.text for c in result.content if isinstance(c, TextContent)]
    return "\n".join(parts)


async def call(session: ClientSession, tool: str, **arguments: str) -> CallToolResult:
    result = await session.call_tool(tool, arguments)
    assert isinstance(result, CallToolResult)
    return result


async def data(session: ClientSession, tool: str, **arguments: str) -> Any:
    result = await call(session, tool, **arguments)
    assert not result.is_error, text(result)
    return result.structured_content


def test_every_tool_and_the_document_resource(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(SHOP)

    async def talk(session: ClientSession) -> None:
        listed = await session.list_tools()
        assert {tool.name for tool in listed.tools} == TOOLS
        assert all(tool.description for tool in listed.tools)

        section = await call(session, "get_section", name="architecture")
        assert not section.is_error
        assert text(section).startswith("## System Architecture\n")
        assert "`ops`" in text(section)
        unknown = await call(session, "get_section", name="nope")
        assert unknown.is_error
        assert "unknown section 'nope'; valid names: architecture (System Architecture)" in \
            text(unknown)

        ops = await data(session, "get_component", name="ops")
        assert ops["responsibility"][0]["evidence"] == ["ops/__init__.py:1"]
        assert [d["name"] for d in ops["dependencies"]] == ["shop"]
        assert [d["name"] for d in ops["dependents"]] == ["shop"]
        assert ops["interfaces"]
        unknown = await call(session, "get_component", name="shop.api")
        assert unknown.is_error and "valid names: ops, shop, tests/" in text(unknown)

        importers = await data(session, "who_imports", module="shop.core.models")
        assert [i["at"] for i in importers["imports"]] == ["shop/api.py:1", "shop/cli.py:1"]
        assert (await data(session, "who_imports", module="yaml"))["distribution"] == "PyYAML"
        unknown = await call(session, "who_imports", module="nothing.here")
        assert unknown.is_error and "unknown module 'nothing.here'" in text(unknown)

        points = await data(session, "list_entry_points")
        assert {"kind": "console script", "name": "shop", "target": "shop.cli:main",
                "at": "pyproject.toml:5"} in points["result"]
        missing = await data(session, "check_document")
        assert missing["status"] == "missing" and "looked for" in missing["message"]

        resources = await session.list_resources()
        assert {str(r.uri) for r in resources.resources} == {
            "syspatterns://document", "syspatterns://document.json"}
        document = await session.read_resource("syspatterns://document")
        first = document.contents[0]
        assert getattr(first, "text", "").startswith("# System Patterns\n")
        as_json = await session.read_resource("syspatterns://document.json")
        assert json.loads(getattr(as_json.contents[0], "text", ""))["schema_version"] == 1

    with_server(root, tmp_path, talk)


def test_changes_are_read_before_answering_and_a_lost_repository_is_an_error(
        make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo(SHOP)
    for _ in range(2):  # the second run counts the document among the files
        assert CliRunner().invoke(main, ["generate", str(root), "-q"]).exit_code == 0

    async def talk(session: ClientSession) -> None:
        assert (await data(session, "check_document"))["status"] == "true"
        before = await data(session, "get_component", name="shop")
        assert {"name": "ops", "kind": "component", "imports": 1,
                "evidence": ["shop/api.py:4"]} in before["dependencies"]

        (root / "shop" / "jobs.py").write_text("import ops\n")
        after = await data(session, "get_component", name="shop")
        assert {"name": "ops", "kind": "component", "imports": 2,
                "evidence": ["shop/api.py:4", "shop/jobs.py:1"]} in after["dependencies"]
        check = await data(session, "check_document")
        assert check["status"] == "untrue"
        assert any("`components`" in f["message"] for f in check["findings"])

        shutil.rmtree(root)
        for _ in range(2):
            lost = await call(session, "get_section", name="architecture")
            assert lost.is_error and "no longer exists" in text(lost)
        with pytest.raises(MCPError, match="no longer exists"):
            await session.read_resource("syspatterns://document")
        assert {t.name for t in (await session.list_tools()).tools} == TOOLS

        write_files(root, {"solo.py": '"""Alone again."""\n'})
        back = await data(session, "get_component", name="solo")
        assert back["responsibility"][0]["evidence"] == ["solo.py:1"]

    with_server(root, tmp_path, talk)
