"""OS file locks (``fcntl.flock``): released by the kernel when the holder dies, even on SIGKILL.

The lock file holds the holder's PID so a refused caller can name it. The database lease rows
(``store.py``) mirror these locks for status display and as a second guard.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

from moneyprinter import paths

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def locks_dir() -> Path:
    path = paths.data_dir() / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def daemon_lock_path() -> Path:
    return locks_dir() / "scheduler.lock"


def job_lock_name(kind: str, target: str) -> str:
    return f"job:{kind}:{target}"


def job_lock_path(kind: str, target: str, *, prefix: str = "job") -> Path:
    return locks_dir() / f"{prefix}-{_UNSAFE.sub('_', kind)}-{_UNSAFE.sub('_', target)}.lock"


class FileLock:
    """A non-blocking exclusive lock on ``path``; ``acquire()`` returns False if someone else holds it."""

    def __init__(self, path: Path) -> None:
        self.path = path
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

    @property
    def held(self) -> bool:
        return self._fd is not None

    def holder_pid(self) -> int | None:
        """The PID written by the current holder, if readable."""
        try:
            text = self.path.read_text().strip()
        except OSError:
            return None
        return int(text) if text.isdigit() else None

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

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def pid_alive(pid: int | None) -> bool:
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_moneyprinter_process(pid: int | None) -> bool:
    """Alive and running moneyprinter (where /proc can tell); guards against reused PIDs."""
    if not pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc (or not ours to read): trust the PID
    return b"moneyprinter" in cmdline
