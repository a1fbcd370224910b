"""The tool's version, named in the documents it writes and in the cache's key."""

__version__ = "0.1.0"
