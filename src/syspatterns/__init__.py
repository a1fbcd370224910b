"""syspatterns: derive a repository's System Patterns document from its code."""

from syspatterns.core.version import __version__

__all__ = ["__version__"]
