"""The scheduler's lock names and process checks.

One lock per data directory for the daemon and one per job (kind and target); the locks
themselves are ``store/locks.py``'s. The database lease rows (``store/schedules.py``) mirror them
for status display and as a second guard.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from moneyprinter.store.locks import NamedLock

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def daemon_lock() -> NamedLock:
    return NamedLock("scheduler")


def job_lock_name(kind: str, target: str) -> str:
    """The job's lease row name (``store/schedules.py``)."""
    return f"job:{kind}:{target}"


def job_lock_key(kind: str, target: str, *, prefix: str = "job") -> str:
    """The job's lock name: safe as a file name, e.g. ``job-twitter.post-alice``."""
    return f"{prefix}-{_UNSAFE.sub('_', kind)}-{_UNSAFE.sub('_', target)}"


def job_lock(kind: str, target: str) -> NamedLock:
    return NamedLock(job_lock_key(kind, target))


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
