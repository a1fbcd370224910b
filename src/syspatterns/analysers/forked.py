"""Run part of the analysis in a forked process, on a second core.

The child inherits the system model without copying or pickling it (``fork`` shares the
parent's memory until either side writes), computes sections and sends them back pickled
through a pipe, with the files it read; :class:`Tasks` shares the sections out between the
two processes as each becomes free. Where ``fork`` is missing, or the child fails, the
caller runs the same work itself: the result never depends on how it was computed.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class ForkFailed(Exception):
    """The forked work did not deliver a result; the message says why."""


def can_fork() -> bool:
    return hasattr(os, "fork")


class Tasks:
    """Task numbers ``0..count-1`` that this process and a forked child share out: each
    number is one byte in a pipe, and reading a byte claims it (the kernel hands every byte
    to one reader only), so whichever process is free takes the next task."""

    def __init__(self, count: int) -> None:
        if count > 255:
            raise ValueError("at most 255 tasks")
        self._read, write = os.pipe()
        os.write(write, bytes(range(count)))
        os.close(write)  # once every byte is claimed, reading finds the end

    def claim(self) -> int | None:
        """The next unclaimed task, or ``None`` when none is left."""
        byte = os.read(self._read, 1)
        return byte[0] if byte else None

    def close(self) -> None:
        os.close(self._read)


def start(work: Callable[[], T]) -> Callable[[], T]:
    """Run ``work`` in a forked child; the returned function waits for its result (raising
    :class:`ForkFailed` when there is none)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        try:
            os.close(read_end)
            try:
                payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as error:  # reported to the parent, which runs it again
                payload = pickle.dumps((False, f"{type(error).__name__}: {error}"))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)

    def wait() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise ForkFailed(f"the analysis process ended with status {status} and no result")
        ok, value = pickle.loads(data)
        if not ok:
            raise ForkFailed(value)
        return value  # type: ignore[no-any-return]

    return wait
