"""Health checks of the scheduler capability: is the daemon alive, did recent runs fail."""

from __future__ import annotations

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


@health_check("scheduler", group="scheduler", critical=False)
def scheduler_alive(ctx: HealthContext) -> CheckResult:
    from moneyprinter.scheduler.status import daemon_state
    from moneyprinter.store import open_database
    from moneyprinter.store import schedules as store

    try:
        with open_database(ctx.data_dir / "moneyprinter.db") as db:
            state = daemon_state(db, ctx.config.settings.scheduler)
            enabled = store.count_enabled(db)
            failed = store.failed_of_last(db, 10)
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
