"""Health: every check with its status, message and fix. The report is kept, and run again on request.

Checks talk to services (SMTP, APIs) and may take seconds, so pages show the last report and a
new one runs in the background: the dashboard never waits for the network.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request

from moneyprinter.check_result import Status
from moneyprinter.health.checker import HealthReport, run_health
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import redirect, render

router = page_router()


@dataclass
class Cached:
    report: HealthReport | None = None
    finished_at: float | None = None
    running: bool = False

    @property
    def finished_at_iso(self) -> str | None:
        return datetime.fromtimestamp(self.finished_at, UTC).isoformat() if self.finished_at else None

    def outcomes(self) -> list:
        """Failures first, then warnings, passes and skips."""
        order = {Status.FAIL: 0, Status.WARN: 1, Status.PASS: 2, Status.SKIP: 3}
        return sorted(self.report.outcomes, key=lambda o: order[o.result.status]) if self.report else []


class HealthCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.state = Cached()

    def refresh(self, request: Request) -> None:
        """Start a run in the background unless one is running."""
        with self._lock:
            if self.state.running:
                return
            self.state.running = True
        base = request.app.state.app
        threading.Thread(target=self._run, args=(base,), name="web-health", daemon=True).start()

    def _run(self, app) -> None:
        try:
            report = run_health(app)
        finally:
            with self._lock:
                self.state.running = False
        with self._lock:
            self.state.report, self.state.finished_at = report, time.time()


def cache_of(request: Request) -> HealthCache:
    state = request.app.state
    if not hasattr(state, "health"):
        state.health = HealthCache()
    return state.health


def latest(request: Request) -> Cached:
    """The last report; the first look starts a run."""
    cache = cache_of(request)
    if cache.state.report is None and not cache.state.running:
        cache.refresh(request)
    return cache.state


@router.get("/health")
def health_page(request: Request):

    state = latest(request)
    return render(request, "health.html", {"title": "Health", "state": state})


@router.post("/health")
def health_rerun(request: Request):
    cache_of(request).refresh(request)
    return redirect("/health", text="The checks are running; this page shows them when they are done.")
