"""The daemon's own timers across the autumn clock change, on a hand-moved clock (no sleeping).

The host's zone is set to America/New_York and the wall clock is moved across 2026-11-01 02:00
EDT -> 01:00 EST, where naive local time runs the same hour twice.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine

from moneyprinter.scheduler.clock import ManualClock
from moneyprinter.scheduler.daemon import Daemon
from moneyprinter.store import schedules as store
from tests.scheduler.conftest import write_config

NEW_YORK = ZoneInfo("America/New_York")
BEFORE_FALL_BACK = datetime(2026, 11, 1, 5, 59, 0, tzinfo=UTC)  # 01:59:00 EDT; 06:00Z is 01:00 EST


def test_heartbeat_keeps_its_pace_across_the_autumn_change(home):
    from moneyprinter.app import App

    app = App()
    clock = ManualClock(BEFORE_FALL_BACK)
    daemon = Daemon(app, clock=clock)
    beats: list[str] = []
    idles: list[float] = []
    # A destination in a ZoneInfo zone also makes that zone the host's local time zone.
    with time_machine.travel(BEFORE_FALL_BACK.astimezone(NEW_YORK), tick=False) as traveller:
        daemon.acquire()
        try:
            daemon.start_timers()
            for _ in range(120):  # two minutes, one second at a time, across 06:00Z
                clock.advance(1)
                traveller.shift(1)
                daemon.sched.run_pending()
                lease = store.get_lease(app.db, store.DAEMON_LEASE)
                if not beats or beats[-1] != lease.heartbeat_at:
                    beats.append(lease.heartbeat_at)
                idles.append(daemon.idle_seconds())
            assert datetime.now().hour == 1  # the host really is in New York, in the repeated hour
        finally:
            daemon.release()
            app.close()
    interval = app.settings.scheduler.heartbeat_interval_s
    beats = beats[1:]  # the first entry is the lease's own stamp
    assert len(beats) >= 120 / interval - 2, beats
    gaps = [(store.parse_iso(b) - store.parse_iso(a)).total_seconds() for a, b in pairwise(beats)]
    assert max(gaps) <= interval + 1, gaps  # no hour-long stall at 02:00 EDT -> 01:00 EST
    assert all(0 <= idle <= interval for idle in idles), idles  # no busy loop, no oversleep


def test_timers_and_due_times_read_the_injected_clock(home):
    write_config(home)
    from moneyprinter.app import App

    app = App()
    clock = ManualClock(BEFORE_FALL_BACK)
    daemon = Daemon(app, clock=clock)
    daemon.start_timers()
    assert daemon.idle_seconds() == pytest.approx(app.settings.scheduler.heartbeat_interval_s)
    clock.advance(0.3)
    assert daemon.idle_seconds() == pytest.approx(app.settings.scheduler.heartbeat_interval_s - 0.3)
    app.close()
