"""Bounded concurrency in the real daemon: at most max_parallel_jobs children, per-kind limits, waiting recorded."""

from __future__ import annotations

import signal
import time

from tests.scheduler.conftest import FAST_CONFIG, query, wait_for
from tests.scheduler.test_daemon import add, runs

LIMITS = """max_parallel_jobs = 2
max_parallel_by_kind = { "test.sleep" = 1 }
"""


def started_not_closed(home) -> list[dict]:
    return query(home, "SELECT kind FROM schedule_runs WHERE pid IS NOT NULL AND ended_at IS NULL")


def test_due_jobs_over_the_limits_wait_in_order_and_say_so(home, db, start_daemon):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        FAST_CONFIG.format(shutdown_grace=10, grace=30, sleep_timeout=20).replace("[scheduler]\n", "[scheduler]\n" + LIMITS)
    )
    sleepers = [add(db, "test.sleep", f"1.{i}", 3600, due_in_s=0) for i in range(3)]
    echoes = [add(db, "test.echo", f"e{i}", 3600, due_in_s=0) for i in range(3)]
    daemon = start_daemon()
    peak_all = peak_sleep = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        active = started_not_closed(home)
        peak_all = max(peak_all, len(active))
        peak_sleep = max(peak_sleep, sum(1 for r in active if r["kind"] == "test.sleep"))
        if len(query(home, "SELECT id FROM schedule_runs WHERE ended_at IS NOT NULL")) == 6:
            break
        time.sleep(0.05)
    assert peak_all <= 2 and peak_sleep <= 1, (peak_all, peak_sleep)
    done = [r for s in sleepers + echoes for r in runs(home, s.id)]
    assert [r["outcome"] for r in done] == ["success"] * 6
    waited = [r for r in done if "waited" in r["message"]]
    assert len(waited) >= 3 and all("for a free slot" in r["message"] for r in waited)
    sleep_runs = sorted((r for r in done if r["kind"] == "test.sleep"), key=lambda r: r["id"])
    starts = [r["pid"] for r in sleep_runs]
    assert all(starts)  # each one did start, in the order it came due (run ids follow the claims)
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0


def test_runs_still_waiting_at_shutdown_are_closed(home, db, start_daemon):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        FAST_CONFIG.format(shutdown_grace=0.5, grace=30, sleep_timeout=20).replace("[scheduler]\n", "[scheduler]\nmax_parallel_jobs = 1\n")
    )
    first = add(db, "test.sleep", "30", 3600, due_in_s=0)
    second = add(db, "test.sleep", "31", 3600, due_in_s=0)
    daemon = start_daemon()
    wait_for(lambda: runs(home, second.id) and "waiting for a free slot" in runs(home, second.id)[0]["message"])
    daemon.signal(signal.SIGTERM)
    assert daemon.wait() == 0
    [waited] = runs(home, second.id)
    assert waited["outcome"] == "failed" and waited["ended_at"] and "waited for a free slot" in waited["message"]
    assert waited["pid"] is None
    assert runs(home, first.id)[0]["ended_at"]
