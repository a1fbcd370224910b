"""The MCP server: the tools and resources a coding assistant calls, over standard input and
output, built on the official ``mcp`` SDK.

Each call reads the repository's current analysis from :class:`LiveAnalysis` (files changed
since the previous call are read again first) and answers with
:mod:`syspatterns.mcp.queries`. Bad input (an unknown name, a repository that disappeared)
is answered with an error result; the server keeps serving.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError

from syspatterns.core.version import __version__
from syspatterns.mcp import queries
from syspatterns.mcp.live import LiveAnalysis, RepositoryUnavailable, Snapshot
from syspatterns.render.json import render_json

T = TypeVar("T")

INSTRUCTIONS = (
    "Answers about the architecture of the repository at {root}, computed from its code "
    "(never from a possibly stale document). Every statement cites path:line relative to the "
    "repository root. Start with get_section('architecture') for the overview, then "
    "get_component(name) for one component and who_imports(module) for the users of a "
    "module. check_document() tells whether memory-bank/systemPatterns.md is still true.")


def build_server(live: LiveAnalysis) -> MCPServer:
    """The server with its tools and resources, answering from ``live``."""
    server: MCPServer = MCPServer(
        name="syspatterns", version=__version__,
        instructions=INSTRUCTIONS.format(root=live.root), log_level="WARNING")

    def answer(compute: Callable[[Snapshot], T], error: type[Exception] = ToolError) -> T:
        try:
            return compute(live.current())
        except (RepositoryUnavailable, queries.UnknownName) as problem:
            raise error(str(problem)) from None

    def markdown(snapshot: Snapshot) -> str:
        return snapshot.memo("markdown", queries.document)

    @server.tool()
    def get_section(name: str) -> str:
        """One section of the System Patterns document as Markdown, with path:line evidence.
        ``name`` is a section key or title: architecture, decisions, patterns, components,
        data-flow, error-handling, security, scalability, performance, testing, deployment,
        maintenance, analysis-notes."""
        return answer(lambda s: queries.section(s.analysis, markdown(s), name))

    @server.tool()
    def get_component(name: str) -> dict[str, Any]:
        """A component (a top-level package, a subpackage of a large one, or a folder of
        scripts): its responsibility, dependencies (components and third-party
        distributions, with import counts), dependents, interfaces (the names other
        components import from it) and modules."""
        return answer(lambda s: queries.component(s.analysis, name))

    @server.tool()
    def who_imports(module: str) -> dict[str, Any]:
        """Every import statement of ``module`` or of anything inside it, with the importing
        module and path:line. ``module`` is a dotted module name of the repository, or a
        top-level name it imports from elsewhere (``yaml``, ``subprocess``)."""
        return answer(lambda s: queries.who_imports(s.analysis, module))

    @server.tool()
    def list_entry_points() -> list[dict[str, str]]:
        """How the system is started: console scripts, ``__main__`` modules, ``if __name__ ==
        "__main__":`` blocks, ``manage.py`` and WSGI/ASGI application objects."""
        return answer(lambda s: queries.entry_points(s.analysis))

    @server.tool()
    def check_document() -> dict[str, Any]:
        """Whether the System Patterns document (memory-bank/systemPatterns.md) is still
        true of the code, as ``syspatterns check`` reports it: generated blocks out of date
        (with a short diff), template placeholders, names in the hand-written text that the
        code does not have, and violations of the architecture rules in pyproject.toml."""
        return answer(lambda s: queries.check(s.analysis, live.root))

    @server.resource("syspatterns://document", name="systemPatterns.md",
                     description="The System Patterns document as generated from the code now",
                     mime_type="text/markdown")
    def document() -> str:
        return answer(markdown, ResourceError)

    @server.resource("syspatterns://document.json", name="systemPatterns.json",
                     description="The same facts as JSON (syspatterns generate --format json)",
                     mime_type="application/json")
    def document_json() -> str:
        return answer(lambda s: s.memo(
            "json", lambda a: render_json(a.model, a.sections)), ResourceError)

    return server


def serve(root: Path, *, use_cache: bool = True, cache_dir: Path | None = None) -> None:
    """Serve the repository at ``root`` over standard input and output until the client
    closes the connection."""
    build_server(LiveAnalysis(root, use_cache=use_cache, cache_dir=cache_dir)).run("stdio")
