"""Console output helpers shared by the CLI and the menu."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.redact import redact

console = Console(highlight=False)


def print_error(exc: MoneyPrinterError) -> None:
    line = f"error: {exc.message}"
    if exc.hint:
        line += f" - {exc.hint}"
    click.echo(redact(line), err=True)


def print_json(data: Any) -> None:
    click.echo(redact(json.dumps(data, indent=2, default=str)))


def table(title: str | None, columns: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        t.add_column(column, overflow="fold")
    for row in rows:
        t.add_row(*[escape(redact("" if v is None else str(v))) for v in row])  # data, not markup: "[publishing]"
    return t
