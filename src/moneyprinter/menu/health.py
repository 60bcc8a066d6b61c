"""Health screen and the compact summary shown when the menu starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from moneyprinter.health import Status, run_health
from moneyprinter.menu.prompts import console
from moneyprinter.terminal.health import print_report

if TYPE_CHECKING:
    from moneyprinter.app import App


def summary(app: App) -> None:
    report = run_health(app)
    counts = report.counts()
    line = f"health: {counts['PASS']} pass, {counts['WARN']} warn, {counts['FAIL']} fail, {counts['SKIP']} skip"
    console.print(line if report.ok else f"[red]{line}[/]")
    console.print("  (start with 'moneyprinter --skip-health' to open the menu without this check)", style="dim")
    for outcome in report.outcomes:
        if outcome.result.status in (Status.FAIL, Status.WARN):
            fix = f" - {outcome.result.remediation}" if outcome.result.remediation else ""
            line = f"  {outcome.result.status.value} {outcome.check.name}: {outcome.result.message}{fix}"
            console.print(escape(line))


def screen(app: App) -> None:
    print_report(run_health(app))
