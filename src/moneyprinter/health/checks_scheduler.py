"""Health checks of the scheduler capability: is the daemon alive, did recent runs fail."""

from __future__ import annotations

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


@health_check("scheduler", group="scheduler", critical=False)
def scheduler_alive(ctx: HealthContext) -> CheckResult:
    from moneyprinter.scheduler.status import daemon_state
    from moneyprinter.store import open_database
    from moneyprinter.store import schedules as store
    from moneyprinter.store.states import ScheduleManager

    try:
        with open_database(ctx.data_dir / "moneyprinter.db") as db:
            state = daemon_state(db, ctx.config.settings.scheduler)
            enabled = store.count_enabled(db, ScheduleManager.DAEMON)
            by_cron = store.count_enabled(db, ScheduleManager.CRON)
            failed = store.failed_of_last(db, 10)
    except MoneyPrinterError as exc:
        return CheckResult.fail(str(exc), "check the data directory")
    cron = f"; {by_cron} cron-managed schedule(s)" if by_cron else ""
    if enabled and not state.running:
        return CheckResult.warn(f"{state.describe()}; {enabled} enabled schedule(s) will not run{cron}",
                                "start it with 'moneyprinter scheduler run' or 'moneyprinter scheduler install --systemd'")
    if state.running:
        message = f"{state.describe()}; {enabled} enabled schedule(s){cron}"
    else:
        message = f"{state.describe()}{cron or ' (no enabled schedules)'}"
    if failed:  # daemon and cron runs alike
        return CheckResult.warn(f"{message}; {failed} of the last 10 runs failed or were missed",
                                "see 'moneyprinter scheduler status' and the run logs")
    return CheckResult.ok(message)
