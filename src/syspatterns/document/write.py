"""Write a document without ever leaving a half-written or silently clobbered file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from syspatterns.document.blocks import DocumentError, merge, parse_blocks


class WriteError(Exception):
    """The document could not be written; the message names the path and the reason."""


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None


def updated_document(path: Path, generated: str, force: bool) -> str:
    """The text to write at ``path``: ``generated`` for a new file, else the existing document
    with its generated blocks refreshed and its human text kept.

    Raises :class:`DocumentError` for a document with no markers (written by hand) unless
    ``force``, for unreadable ones, and for blocks edited by hand.
    """
    if not path.exists():
        return generated
    try:
        existing = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(f"{path} is not UTF-8 text; not overwriting it") from None
    except OSError as error:
        raise DocumentError(f"cannot read {path}: {error.strerror}") from None
    if not parse_blocks(existing):
        if force:
            return generated
        raise DocumentError(
            f"{path} exists and has no syspatterns markers (it was written by hand); pass "
            "--force to replace it, or -o to write elsewhere")
    return merge(existing, generated, force=force)
