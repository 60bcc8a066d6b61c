"""kill -9 of the process running ffmpeg never leaves the encoder running as an orphan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.conftest import subprocess_env


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ffmpeg_dies_with_the_process_that_started_it(tmp_path):
    code = textwrap.dedent("""
        from moneyprinter.media.ffmpeg_run import run_ffmpeg
        # As the renderer runs it: -loglevel error, so ffmpeg writes nothing a closed pipe could stop it with.
        run_ffmpeg(["-loglevel", "error", "-re", "-f", "lavfi", "-i", "anullsrc", "-t", "600", "-f", "null", "-"],
                   what="test", timeout=600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], env=subprocess_env())
    deadline = time.monotonic() + 30
    encoders: list[int] = []
    while not encoders and time.monotonic() < deadline:
        time.sleep(0.1)
        encoders = _children(proc.pid)
    assert encoders, "ffmpeg never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in encoders) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [pid for pid in encoders if _alive(pid)]
    for pid in survivors:  # never leave one behind, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
