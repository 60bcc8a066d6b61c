"""Running the real program in a child process, with extra environment variables."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import subprocess_env


def run_moneyprinter(*args: str, env_extra: dict[str, str] | None = None, timeout: float = 60, **kw):
    return subprocess.run(
        [sys.executable, "-m", "moneyprinter", *args],
        capture_output=True, text=True, timeout=timeout, env=subprocess_env(**(env_extra or {})), **kw,
    )
