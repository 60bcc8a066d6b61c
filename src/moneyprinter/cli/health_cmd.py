"""``moneyprinter health`` (``demo`` lives in shorts_cmd)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.health.checker import run_health
from moneyprinter.terminal.health import print_report
from moneyprinter.terminal.output import print_json

if TYPE_CHECKING:
    from moneyprinter.app import App


@click.command("health")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def health(app: App, as_json: bool) -> None:
    """Check configuration, keys, storage and tools. Exit 1 if a critical check failed."""
    report = run_health(app)
    if as_json:
        print_json(report.to_json())
    else:
        print_report(report)
    raise SystemExit(0 if report.ok else 1)


def register(group: click.Group) -> None:
    group.add_command(health)
