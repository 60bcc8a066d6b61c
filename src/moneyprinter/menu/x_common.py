"""What the X and Affiliate screens share: choosing an X account and making sure it has a topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.menu.accounts import pick_account
from moneyprinter.menu.prompts import ask, console
from moneyprinter.store import accounts as repo
from moneyprinter.terminal.output import print_error

if TYPE_CHECKING:
    from moneyprinter.app import App


def pick_x_account(app: App, *, need_topic: bool) -> repo.Account:
    account = pick_account(app, "x")
    if need_topic and not account.topic.strip():
        console.print(f"[yellow]The account '{account.nickname}' has no topic yet.[/]")
        topic = ask("What should it post about", validate=_topic_problem)
        account = repo.update_account(app.db, account, topic=topic)
        console.print(f"[green]Topic saved: {account.topic}[/]")
    return account


def _topic_problem(value: str) -> str | None:
    try:
        repo.validate_fields("x", {"topic": value})
    except MoneyPrinterError as exc:
        return str(exc)
    return None


def run_action(action, *args) -> None:
    """Run one menu action; a failure is one line and the screen stays open."""
    try:
        action(*args)
    except MoneyPrinterError as exc:
        print_error(exc)
