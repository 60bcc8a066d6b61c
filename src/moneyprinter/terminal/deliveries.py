"""One line per destination of a submit, approval or cross-post, and the exit code of the worst."""

from __future__ import annotations

import click

from moneyprinter.publishers import Deliveries
from moneyprinter.redact import redact


def report(done: Deliveries) -> int:
    """Print each destination's line and return the exit code to end with (0, 75 if anything was
    deferred, else a failure's). A single destination that failed is raised as the error it is, so
    it reads as every other error: one line with its fix, and its own exit code."""
    if len(done.items) == 1 and done.items[0].error is not None:
        raise done.items[0].error
    for delivery in done.items:
        click.echo(redact(delivery.line()), err=delivery.error is not None)
    return done.exit_code


def print_cross_posts(console, done: Deliveries | None) -> None:
    """The cross-posts' lines under an item's own (the menu's screens)."""
    for delivery in done.crossed() if done else ():
        console.print(redact(delivery.line()), style="red" if delivery.error else "green", markup=False)
