"""The daemon's two clocks: aware UTC wall time for due times, monotonic seconds for its own timers.

Wall time decides when a schedule is due (it is stored as UTC, so a DST change moves nothing).
The daemon's own timers (heartbeat, recovery, job timeouts) count elapsed seconds on the
monotonic clock, which neither DST nor an NTP step can move: on the autumn change a timer on
naive local time would wait an extra hour. Tests pass a clock they move by hand.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock(Clock):
    """A clock that moves only when told: wall and monotonic time advance together."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._mono = 1000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._mono

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._mono += seconds
