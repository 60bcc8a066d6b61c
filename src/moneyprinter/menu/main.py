"""The main menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import signal

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.menu import accounts, affiliate, health, outreach, review, schedules, x, youtube
from moneyprinter.menu.prompts import Cancelled, MenuExit, choose, console
from moneyprinter.terminal.output import print_error

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

SCREENS = (
    ("YouTube Shorts", youtube.screen),
    ("Twitter/X", x.screen),
    ("Affiliate marketing", affiliate.screen),
    ("Outreach", outreach.screen),
    ("Review & publish", review.screen),
    ("Schedules", schedules.screen),
    ("Health", health.screen),
    ("Accounts", accounts.screen),
)


def run_menu(app: App, *, skip_health: bool = False) -> int:
    """Run until Quit, Ctrl-C or Ctrl-D. Returns the process exit code."""
    # A process started in the background by a shell inherits SIGINT as ignored; the menu is
    # interactive, so Ctrl-C must work whatever the parent did.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    console.print("[bold]moneyprinter[/]")
    try:
        if not skip_health:
            health.summary(app)
        while True:
            labels = [label for label, _ in SCREENS] + ["Quit"]
            index = choose("Main menu", labels)
            if index == len(SCREENS):
                break
            _run_screen(app, SCREENS[index][1])
    except MenuExit:
        console.print()
    console.print("Bye.")
    return 0


def _run_screen(app: App, screen) -> None:
    try:
        if screen is not health.screen:  # health reports a broken config itself, as a row
            app.config  # noqa: B018 - a broken config is reported before any form is filled in
        screen(app)
    except Cancelled:  # Ctrl-C in a screen: back to the main menu, not out of the program
        console.print("[yellow]Cancelled.[/]")
    except MoneyPrinterError as exc:
        print_error(exc)
