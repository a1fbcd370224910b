"""syspatterns: derive a repository's System Patterns document from its code."""

__version__ = "0.1.0"
