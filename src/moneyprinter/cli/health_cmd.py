"""``moneyprinter health`` (``demo`` lives in shorts_cmd)."""

from __future__ import annotations

import click
from rich.markup import escape

from moneyprinter import paths
from moneyprinter.cli.output import console, print_json, table
from moneyprinter.config import AppConfig, Settings, load_secrets
from moneyprinter.errors import ConfigError
from moneyprinter.health import HealthChecker, HealthContext, HealthReport, Status
from moneyprinter.http_client import get_http_client

STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red", Status.SKIP: "dim"}


def run_health(app) -> HealthReport:
    """Run every registered check. A broken config is reported as a failed check, not raised."""
    config_error = None
    try:
        config = app.config
    except ConfigError as exc:
        config_error = str(exc)
        try:
            secrets = load_secrets(paths.env_path())
        except ConfigError:
            from moneyprinter.settings.secrets import Secrets

            secrets = Secrets()
        config = AppConfig(Settings(), secrets, paths.config_path(), paths.env_path())
    http = get_http_client()
    context = HealthContext(config=config, http=http, data_dir=paths.data_dir(), config_error=config_error)
    return HealthChecker(context).run()


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


@click.command("health")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def health(app, as_json: bool) -> None:
    """Check configuration, keys, storage and tools. Exit 1 if a critical check failed."""
    report = run_health(app)
    if as_json:
        print_json(report.to_json())
    else:
        print_report(report)
    raise SystemExit(0 if report.ok else 1)


def register(group: click.Group) -> None:
    group.add_command(health)
