"""Named exclusive locks that die with their holder: one job at a time, one daemon per data directory.

The SQLite backend locks a file in ``<data>/locks`` with ``fcntl.flock``: the kernel releases it
when the holder dies, even on SIGKILL. The file holds the holder's PID so a refused caller can
name it. Callers use names only, so another backend can lock differently (PostgreSQL: a
session-level ``pg_try_advisory_lock`` on a hash of the name, released when the session ends).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from moneyprinter import paths


def locks_dir() -> Path:
    path = paths.data_dir() / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def lock_path(name: str) -> Path:
    """The file behind lock ``name`` (for ``flock(1)`` in crontab lines, which run outside Python)."""
    return locks_dir() / f"{name}.lock"


class NamedLock:
    """A non-blocking exclusive lock; ``acquire()`` returns False if someone else holds it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = lock_path(name)
        self._fd: int | None = None

    def acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def fileno(self) -> int | None:
        """The locked descriptor, to hand to a child process (``pass_fds``): the lock then lives as long
        as the child keeps it open, whatever becomes of this process."""
        return self._fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder_pid(self) -> int | None:
        """The PID written by the current holder, if readable and alive.

        The file may still name an earlier, dead holder (the new one has not written yet, or holds
        the lock through ``flock(1)``, which writes nothing): such a PID is never reported.
        """
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() and _alive(int(text)) else None

    def is_free(self) -> bool:
        """True if nobody holds the lock right now (probes by taking and dropping it)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
        return True

    def __enter__(self) -> NamedLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid > 0
