"""The health report as a table, for ``moneyprinter health`` and the menu's Health screen."""

from __future__ import annotations

from rich.markup import escape

from moneyprinter.health import HealthReport, Status
from moneyprinter.terminal.output import console, table

STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red", Status.SKIP: "dim"}


def print_report(report: HealthReport) -> None:
    rows = []
    for o in report.outcomes:
        status = f"[{STYLE[o.result.status]}]{o.result.status.value}[/]"
        rows.append([status, escape(o.check.name), escape(o.result.message or ""), escape(o.result.remediation or "")])
    t = table(None, ["status", "check", "result", "fix"], [])
    for row in rows:
        t.add_row(*row)
    console.print(t)
    counts = report.counts()
    verdict = "[green]ready[/]" if report.ok else "[red]not ready: critical checks failed[/]"
    console.print(
        f"{verdict} - {counts['PASS']} pass, {counts['WARN']} warn, {counts['FAIL']} fail, {counts['SKIP']} skip "
        f"in {report.seconds:.1f} s"
    )
