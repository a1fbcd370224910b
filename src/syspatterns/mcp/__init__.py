"""A Model Context Protocol server that answers questions about the repository's architecture
from its code (``syspatterns mcp``). Only :mod:`syspatterns.mcp.server` needs the ``mcp``
package; the answers themselves are computed in :mod:`syspatterns.mcp.queries`."""
