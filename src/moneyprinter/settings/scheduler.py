"""Settings of the scheduler daemon (owned by the scheduler capability)."""

from __future__ import annotations

from pydantic import Field

from moneyprinter.settings.base import Section

# Keys are job kinds with '_' for '.', so they stay plain TOML keys (a dotted key would nest).
DEFAULT_TIMEOUTS_S = {
    "youtube_short": 3600,
    "twitter_post": 600,
    "affiliate_pitch": 900,
    "outreach_campaign": 3600,
}


class SchedulerSettings(Section):
    """The scheduler daemon ('moneyprinter scheduler run') and single runs ('moneyprinter run')."""

    missed_grace_minutes: float = Field(
        30, ge=0, description="A run missed while the daemon was down runs once on restart if it is at most this old"
    )
    timeouts_s: dict[str, int] = Field(
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
    output_tail_lines: int = Field(20, ge=0, le=500, description="Last lines of a run's output kept in its history")

    def timeout_for(self, kind: str) -> int:
        for key in (kind, kind.replace(".", "_")):
            if key in self.timeouts_s:
                return self.timeouts_s[key]
        return self.default_timeout_s
