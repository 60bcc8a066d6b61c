"""Health checks of publishing: each account's publisher can reach its service, and nothing is stuck."""

from __future__ import annotations

from moneyprinter import paths
from moneyprinter.health.registry import CheckResult, HealthContext, Status, health_check

_ORDER = {Status.FAIL: 3, Status.WARN: 2, Status.PASS: 1, Status.SKIP: 0}


def _open_db():
    if not paths.db_path().exists():
        return None
    from moneyprinter.store.db import open_database

    return open_database()


@health_check("publishers", group="publishing", critical=True)
def check_publishers(ctx: HealthContext) -> CheckResult:
    """Every account's publisher, the cross-post destinations' too: YouTube channels.list?mine=true,
    X GET /2/users/me, Studio browser and driver present, each network's cheap authenticated call."""
    if ctx.config_error:
        return CheckResult.skip("configuration did not load")
    db = _open_db()
    if db is None:
        return CheckResult.skip("no accounts yet")
    try:
        from moneyprinter.publishers.base import create_publisher
        from moneyprinter.store.accounts import list_accounts

        accounts = [a for a in list_accounts(db) if a.publisher != "outbox"]
        if not accounts:
            return CheckResult.skip("every account uses the outbox")
        from moneyprinter.app import App

        app = App(ctx.config, db=db, http=ctx.http)  # the check's client: no change to the process-wide one
        results = [_check_account(app, a, create_publisher) for a in accounts]
    finally:
        db.close()
    worst = max(results, key=lambda r: _ORDER[r.status])
    message = "; ".join(r.message for r in results)
    fixes = "; ".join(r.remediation for r in results if r.remediation)
    return CheckResult(worst.status, message, fixes)


def _check_account(app, account, create_publisher) -> CheckResult:
    """One account's publisher check (destination accounts of cross-posts included); a publisher that
    cannot be loaded, or whose check fails outright, is a FAIL naming the account, not a crash."""
    from moneyprinter.errors import MoneyPrinterError

    name = f"{account.platform} '{account.nickname}'"
    try:
        return create_publisher(account.publisher).health_check(app, account)
    except MoneyPrinterError as exc:
        return CheckResult.fail(f"{name}: {exc.message}", exc.hint)
    except NotImplementedError:
        return CheckResult.fail(f"{name}: publisher '{account.publisher}' has no health check",
                                "use the outbox publisher for this account until it has one")


@health_check("publications", group="publishing", critical=False)
def check_publications(ctx: HealthContext) -> CheckResult:
    """Publications that wait for a person (needs_attention, review), failed ones and ones stuck in
    ``publishing`` by a killed run are reported, not hidden."""
    db = _open_db()
    if db is None:
        return CheckResult.skip("no database yet")
    try:
        from moneyprinter.publishers.engine import stuck
        from moneyprinter.store import publications

        counts = publications.count_by_status(db)
        left = stuck(db)
    finally:
        db.close()
    attention, review, failed = (counts.get(s, 0) for s in ("needs_attention", "review", "failed"))
    message = (f"{counts.get('published', 0)} published, {review} waiting for review, {failed} failed, "
               f"{attention} need attention" + (f", {len(left)} stuck in publishing" if left else ""))
    fixes = [f"item {p.item_id} is stuck in publishing (its run was killed): moneyprinter publish {p.item_id}"
             for p in left[:5]]
    if attention:
        fixes.append("look first: moneyprinter publications --status needs_attention")
    if failed:
        fixes.append("see why: moneyprinter publications --status failed")
    if fixes:
        return CheckResult.warn(message, "; ".join(fixes))
    return CheckResult.ok(message)
