"""One writer at a time: an exclusive lock on a file beside what is written.

The loader locks its output (`raw.duckdb.lock`), a build locks the build folder
(`build.lock`). The lock is an advisory `flock` on the lock file, released by the kernel when
the holder exits, however it exits: a crashed holder never leaves a stale lock. The holder
writes who it is into the file (process id, command, start time), so that the next writer's
message names it.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from scripts.restricted_files import OWNER_ONLY_FILE

POLL_SECONDS = 0.5
# How long a writer waits for the lock when not told otherwise (seconds): none, it stops.
LOCK_WAIT_VARIABLE = "BDT_LOCK_WAIT"


class LockHeld(Exception):
    """The lock is held by another process (named in the message)."""

    def __init__(self, lock_file: Path, holder: str, waited: float) -> None:
        self.lock_file = lock_file
        self.holder = holder
        waited_text = f" after waiting {waited:.0f} s" if waited >= 1 else ""
        super().__init__(
            f"{lock_file}: another writer holds the lock{waited_text}: {holder or 'unknown'}; "
            f"wait for it to finish (or set {LOCK_WAIT_VARIABLE}=<seconds> to wait for it)"
        )


def lock_wait_seconds(default: float = 0.0) -> float:
    """Seconds to wait for a lock: the environment's BDT_LOCK_WAIT, else `default`."""
    value = os.environ.get(LOCK_WAIT_VARIABLE, "").strip()
    return float(value) if value else default


def holder_description(purpose: str) -> str:
    """Who holds a lock: process id, purpose, command line and start time."""
    arguments = sys.orig_argv
    command = " ".join([os.path.basename(arguments[0]), *arguments[1:]])
    return f"pid {os.getpid()} ({purpose}: {command}) since {datetime.now():%Y-%m-%d %H:%M:%S}"


def _read_holder(descriptor: int) -> str:
    os.lseek(descriptor, 0, os.SEEK_SET)
    return os.read(descriptor, 4096).decode("utf-8", "replace").strip()


def acquired_lock(
    lock_file: Path,
    purpose: str,
    wait_seconds: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
) -> int:
    """The open descriptor of `lock_file` once this process holds its exclusive lock (closing
    the descriptor releases it). Waits up to `wait_seconds` (telling `on_wait` once whom it
    waits for), then raises LockHeld naming the holder."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT, OWNER_ONLY_FILE)
    started = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _read_holder(descriptor)
            waited = time.monotonic() - started
            if waited >= wait_seconds:
                os.close(descriptor)
                raise LockHeld(lock_file, holder, waited) from None
            if on_wait is not None and not told:
                on_wait(f"{lock_file}: waiting for the lock held by {holder or 'another writer'}")
                told = True
            time.sleep(POLL_SECONDS)
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, (holder_description(purpose) + "\n").encode("utf-8"))
    return descriptor


@contextmanager
def exclusive_lock(
    lock_file: Path,
    purpose: str,
    wait_seconds: float = 0.0,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the exclusive lock of `lock_file` for the block (see acquired_lock)."""
    descriptor = acquired_lock(lock_file, purpose, wait_seconds, on_wait)
    try:
        yield
    finally:
        os.ftruncate(descriptor, 0)
        os.close(descriptor)
