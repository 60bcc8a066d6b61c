"""Settings of the scheduler daemon (owned by the scheduler capability)."""

from __future__ import annotations

import os
from typing import Annotated

from pydantic import Field

from moneyprinter.settings.base import Section

# Keys are job kinds with '_' for '.', so they stay plain TOML keys (a dotted key would nest).
DEFAULT_TIMEOUTS_S = {
    "youtube_short": 3600,
    "twitter_post": 600,
    "affiliate_pitch": 900,
    "outreach_campaign": 3600,
}


PositiveSeconds = Annotated[int, Field(gt=0)]  # a timeout of 0 would kill every run at once
AtLeastOne = Annotated[int, Field(ge=1)]

# Kinds that render video: each takes a few cores and about a gigabyte, so few run at once.
DEFAULT_KIND_LIMITS = {"youtube_short": 1}


class SchedulerSettings(Section):
    """The scheduler daemon ('moneyprinter scheduler run') and single runs ('moneyprinter run')."""

    missed_grace_minutes: float = Field(
        30, ge=0, description="A run missed while the daemon was down runs once on restart if it is at most this old"
    )
    timeouts_s: dict[str, PositiveSeconds] = Field(
        default_factory=lambda: dict(DEFAULT_TIMEOUTS_S),
        description="Per job kind (youtube_short, twitter_post, ...): seconds before a run is killed with its children",
    )
    default_timeout_s: int = Field(1800, gt=0, description="Timeout of job kinds not listed in timeouts_s")
    shutdown_grace_s: float = Field(
        60, ge=0, description="On SIGTERM/Ctrl-C, running jobs get this long to finish before they are killed"
    )
    kill_grace_s: float = Field(5, ge=0, description="After SIGTERM, seconds before a job's process group gets SIGKILL")
    tick_interval_s: float = Field(
        1.0, gt=0, le=60, description="How often the daemon wakes to start due jobs and check running ones (tests use 0.1)"
    )
    heartbeat_interval_s: float = Field(5.0, gt=0, description="How often the daemon records that it is alive")
    publish_due_every_minutes: int = Field(
        15, ge=0, description="The daemon keeps a 'publish.due' schedule that retries deferred publications this often "
        "(0 = do not create it; remove or disable it like any schedule)"
    )
    max_parallel_jobs: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1,
        description="Jobs the daemon runs at once (default: the CPU count); due jobs over it wait in order",
    )
    max_parallel_by_kind: dict[str, AtLeastOne] = Field(
        default_factory=lambda: dict(DEFAULT_KIND_LIMITS),
        description="Per job kind (youtube_short, ...): jobs of that kind at once, within max_parallel_jobs",
    )
    output_tail_lines: int = Field(20, ge=0, le=500, description="Last lines of a run's output kept in its history")

    def timeout_for(self, kind: str) -> int:
        return _by_kind(self.timeouts_s, kind, self.default_timeout_s)

    def kind_limit(self, kind: str) -> int:
        return _by_kind(self.max_parallel_by_kind, kind, self.max_parallel_jobs)


def _by_kind(values: dict[str, int], kind: str, default: int) -> int:
    for key in (kind, kind.replace(".", "_")):
        if key in values:
            return values[key]
    return default
