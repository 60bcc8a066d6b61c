"""Job functions FOR TESTING the scheduler: they post nothing and finish quickly (or hang on purpose)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import os
import subprocess
import sys

from moneyprinter.errors import RateLimited, ServiceUnavailable, UsageError

if TYPE_CHECKING:
    from moneyprinter.app import App


def echo(app: App, target: str) -> str:
    print(f"test.echo ran for {target} (pid {os.getpid()})", flush=True)
    return f"echoed {target}"


def sleep(app: App, target: str) -> str:
    """Sleep ``target`` seconds in a grandchild process, so killing the process group can be observed."""
    try:
        seconds = float(target)
    except ValueError:
        raise UsageError(f"test.sleep needs a number of seconds as its target, got '{target}'") from None
    child = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])
    print(f"test.sleep pid {os.getpid()} grandchild {child.pid}", flush=True)
    child.wait()
    return f"slept {seconds:g}s"


def fail(app: App, target: str) -> str:
    if target == "defer":
        raise RateLimited("test", "pretending to be rate-limited", retry_after=60)
    raise ServiceUnavailable("test", f"pretending to fail for {target}")
