"""Health checks of outreach: SMTP configured and reachable once a campaign exists; sends awaiting review."""

from __future__ import annotations

import smtplib
import ssl

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check


def _campaigns_and_review(ctx: HealthContext) -> tuple[int, int]:
    from moneyprinter.store import open_database
    from moneyprinter.store.outreach import campaigns, sends

    with open_database(ctx.data_dir / "moneyprinter.db") as db:
        return campaigns.count(db), sends.count_awaiting_review(db)


@health_check("outreach smtp", group="outreach", critical=False)
def smtp_ready(ctx: HealthContext) -> CheckResult:
    try:
        campaigns, _ = _campaigns_and_review(ctx)
    except MoneyPrinterError as exc:
        return CheckResult.skip(f"database not readable ({exc.message})")
    if not campaigns:
        return CheckResult.skip("no outreach campaigns")
    s = ctx.config.settings.outreach
    if not s.smtp_host:
        return CheckResult.fail("SMTP is not configured", "set outreach.smtp_host, smtp_port, smtp_user and SMTP_PASSWORD")
    if s.smtp_user and not ctx.config.secrets.get("SMTP_PASSWORD"):
        return CheckResult.fail(f"outreach.smtp_user is {s.smtp_user} but SMTP_PASSWORD is not set", "add SMTP_PASSWORD to .env")
    where = f"{s.smtp_host}:{s.smtp_port}"
    timeout = min(5.0, s.smtp_timeout_s)
    try:  # connect and greet only: no login, so a health run never counts as a failed login attempt
        if s.smtp_security == "ssl":
            conn = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=timeout)
        with conn:
            conn.ehlo()
            if s.smtp_security == "starttls":
                conn.starttls(context=ssl.create_default_context())
    except (smtplib.SMTPException, OSError) as exc:
        return CheckResult.fail(f"SMTP server {where} not reachable ({exc.__class__.__name__})",
                                "check outreach.smtp_host, smtp_port and smtp_security")
    return CheckResult.ok(f"SMTP server {where} answers ({s.smtp_security})")


@health_check("outreach sends to review", group="outreach", critical=False)
def sends_to_review(ctx: HealthContext) -> CheckResult:
    try:
        campaigns, review = _campaigns_and_review(ctx)
    except MoneyPrinterError as exc:
        return CheckResult.skip(f"database not readable ({exc.message})")
    if not campaigns:
        return CheckResult.skip("no outreach campaigns")
    if review:
        return CheckResult.warn(f"{review} send(s) with unknown outcome", "moneyprinter outreach review-sending")
    return CheckResult.ok("no sends awaiting review")
