"""Health checks of the scheduler capability: is the daemon alive, did recent runs fail."""

from __future__ import annotations

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


@health_check("scheduler", group="scheduler", critical=False)
def scheduler_alive(ctx: HealthContext) -> CheckResult:
    from moneyprinter.scheduler import store
    from moneyprinter.scheduler.status import daemon_state
    from moneyprinter.store import open_database

    try:
        with open_database(ctx.data_dir / "moneyprinter.db") as db:
            state = daemon_state(db, ctx.config.settings.scheduler)
            enabled = len(store.list_schedules(db, enabled_only=True))
            failed = db.query_one(
                "SELECT COUNT(*) AS n FROM (SELECT outcome FROM schedule_runs ORDER BY id DESC LIMIT 10)"
                " WHERE outcome IN ('failed', 'timed_out')"
            )["n"]
    except MoneyPrinterError as exc:
        return CheckResult.fail(str(exc), "check the data directory")
    if state.running:
        message = f"{state.describe()}; {enabled} enabled schedule(s)"
        if failed:
            return CheckResult.warn(f"{message}; {failed} of the last 10 runs failed",
                                    "see 'moneyprinter scheduler status' and the run logs")
        return CheckResult.ok(message)
    if enabled:
        return CheckResult.warn(f"{state.describe()}; {enabled} enabled schedule(s) will not run",
                                "start it with 'moneyprinter scheduler run' or 'moneyprinter scheduler install --systemd'")
    return CheckResult.ok(f"{state.describe()} (no enabled schedules)")
