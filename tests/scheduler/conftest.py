"""Fixtures for scheduler tests: a fast daemon config, and real daemon/job subprocesses."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

FAST_CONFIG = """
[scheduler]
tick_interval_s = 0.1
heartbeat_interval_s = 0.5
kill_grace_s = 1
shutdown_grace_s = {shutdown_grace}
missed_grace_minutes = {grace}
timeouts_s = {{ "test.sleep" = {sleep_timeout}, "test.echo" = 20 }}
"""


def write_config(home: Path, *, shutdown_grace: float = 10, grace: float = 30, sleep_timeout: int = 20) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        FAST_CONFIG.format(shutdown_grace=shutdown_grace, grace=grace, sleep_timeout=sleep_timeout)
    )


def query(home: Path, sql: str, params=()) -> list[dict]:
    """Read the test's database from a fresh connection (as another process would)."""
    if not (home / "moneyprinter.db").exists():
        return []
    conn = sqlite3.connect(home / "moneyprinter.db", timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # a child process is still creating the schema
            return []
        raise
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(0); treat it as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


class DaemonProcess:
    def __init__(self, log_path: Path) -> None:
        # A file, not a pipe: nobody reads a pipe while the test waits, and a full one would block the daemon.
        self.log_path = log_path
        with open(log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "moneyprinter", "scheduler", "run"],
                env=subprocess_env(), stdout=log, stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def wait(self, timeout: float = 20) -> int:
        return self.proc.wait(timeout=timeout)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def cleanup(self, home: Path) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        # Kill the process groups of job children this daemon may have left (by their recorded PIDs).
        for row in query(home, "SELECT pid FROM schedule_runs WHERE pid IS NOT NULL AND outcome = 'running'"):
            try:
                os.killpg(row["pid"], signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


@pytest.fixture
def start_daemon(home):
    started: list[DaemonProcess] = []

    def start() -> DaemonProcess:
        daemon = DaemonProcess(home.parent / f"daemon-{len(started) + 1}.log")
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.cleanup(home)
        print(f"--- {daemon.log_path.name}\n{daemon.output()[-4000:]}")  # shown when the test fails
