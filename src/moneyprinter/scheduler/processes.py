"""Process groups of runs: is a run's process still the one that started it, and ending its group.

Every run leads its own process group (the daemon starts jobs in a new session, a manual run makes
itself a group leader), so the group is everything the run started, grandchildren included, even
after the run itself died. Linux does not hand out a PID while a group of that number still has
members, so a group whose leader is dead is certainly what is left of that run.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from moneyprinter.scheduler.locks import is_moneyprinter_process, pid_alive

PID_REUSE_SLACK = timedelta(seconds=60)


def group_alive(pgid: int | None) -> bool:
    if not pgid or pgid <= 0:
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def process_started_at(pid: int) -> datetime | None:
    """When ``pid`` started (from /proc), None where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
    except (OSError, StopIteration, IndexError, ValueError):
        return None
    return datetime.fromtimestamp(boot + int(fields[19]) / os.sysconf("SC_CLK_TCK"), UTC)


def is_run_process(pid: int | None, run_started_at: str) -> bool:
    """``pid`` is alive, runs moneyprinter and is not a later process that reused the PID."""
    if not is_moneyprinter_process(pid):
        return False
    started = process_started_at(pid)
    return started is None or started <= datetime.fromisoformat(run_started_at) + PID_REUSE_SLACK


def pid_reused(pid: int | None, run_started_at: str) -> bool:
    """A process lives under ``pid`` but started after the run did: another program took the number."""
    started = process_started_at(pid) if pid else None
    return started is not None and started > datetime.fromisoformat(run_started_at) + PID_REUSE_SLACK


def process_gone(pid: int | None) -> bool:
    """No such process, or only its zombie. A live process under a reused PID is not gone."""
    if not pid_alive(pid):
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def own_group_members() -> list[int]:
    """The other processes in this process's group (from /proc)."""
    me, group, found = os.getpid(), os.getpgrp(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def lead_own_group(stdin_fd: int = 0) -> None:
    """Make this process lead a new group so SIGTERM can end all it started.

    Not when it is in a terminal's foreground group: Ctrl-C already reaches that whole group, and
    leaving it would cut the run off from the terminal.
    """
    if os.getpgrp() == os.getpid():
        return
    try:
        if os.tcgetpgrp(stdin_fd) == os.getpgrp():
            return
    except OSError:
        pass  # no terminal
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # e.g. a session leader: already alone


def end_own_group(grace_s: float) -> None:
    """After SIGTERM went to the group: wait up to ``grace_s`` for the rest of it, then SIGKILL what is left."""
    if os.getpgrp() != os.getpid():
        return
    deadline = time.monotonic() + grace_s
    while (members := own_group_members()) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in members:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
