"""The YouTube Shorts screen: choose or create an account, make a Short, list its videos, see the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.media.draft import ASPECTS
from moneyprinter.menu.accounts import pick_account
from moneyprinter.menu.prompts import ask, choose, confirm, console
from moneyprinter.terminal.output import table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _generate(app: App, account) -> None:
    from moneyprinter.terminal.shorts import make_short_with_progress  # loads the pipeline: only when used

    topic = None
    if confirm("Choose the topic yourself?", default=False):
        topic = ask("Topic")
    aspects = list(ASPECTS)
    aspect = aspects[choose("Aspect ratio", ["9:16 (Shorts)", "16:9 (landscape)", "1:1 (square)"])]
    publish = confirm(f"Hand it to the publisher ({account.publisher}) when done?", default=True)
    try:
        make_short_with_progress(app, account, topic=topic, aspect=aspect, publish=publish)
    except MoneyPrinterError as exc:
        console.print(f"[red]error:[/] {exc.message}" + (f" - {exc.hint}" if exc.hint else ""))


def _script_only(app: App, account) -> None:
    """The words first: topic, script, title, description and tags, to read and edit before any media."""
    from moneyprinter.terminal.shorts import draft_with_progress

    topic = ask("Topic") if confirm("Choose the topic yourself?", default=False) else None
    try:
        draft_with_progress(app, account, topic=topic)
    except MoneyPrinterError as exc:
        console.print(f"[red]error:[/] {exc.message}" + (f" - {exc.hint}" if exc.hint else ""))


def _resume(app: App, account) -> None:
    from moneyprinter.platforms.youtube import YouTube
    from moneyprinter.terminal.shorts import make_short_with_progress

    failed = [i for i in YouTube(app, account).videos() if i.status in ("failed", "generating", "draft")]
    if not failed:
        console.print("No unfinished Shorts.")
        return
    labels = [f"#{i.id} {i.created_at[:16]} {i.status}: {(i.error or '')[:60]}" for i in failed]
    item = failed[choose("Resume which Short?", labels)]
    try:
        make_short_with_progress(app, account, resume=item.id)
    except MoneyPrinterError as exc:
        console.print(f"[red]error:[/] {exc.message}" + (f" - {exc.hint}" if exc.hint else ""))


def _batch(app: App, account) -> None:
    """Many Shorts from a file: one topic per line (for this account), or JSON lines naming their own."""
    from pathlib import Path

    from click.exceptions import Exit

    from moneyprinter.terminal.shorts import run_batch_file

    path = Path(ask("Batch file (one topic per line, or JSON lines)")).expanduser()
    publish = confirm(f"Hand each Short to the publisher ({account.publisher}) when done?", default=True)
    try:
        run_batch_file(app, path, account.nickname, publish=publish)
    except MoneyPrinterError as exc:
        console.print(f"[red]error:[/] {exc.message}" + (f" - {exc.hint}" if exc.hint else ""))
    except Exit:
        pass  # some Shorts failed: the table says which, and choosing this again resumes them


def _outbox(app: App, account) -> None:
    """Items waiting in the outbox (or in review) for a person: not yet marked as published."""
    from moneyprinter.store import publications
    from moneyprinter.store.content import get_item

    pending = [p for status in ("outbox", "review")
               for p in publications.list_publications(app.db, account_id=account.id, status=status)]
    if not pending:
        console.print("Nothing is waiting in the outbox.")
        return
    rows = []
    for pub in pending:
        item = get_item(app.db, pub.item_id)
        rows.append([item.id, pub.status, item.title, pub.location or item.media_path or ""])
    console.print(table(f"Waiting for {account.nickname} (upload by hand, then: moneyprinter outbox mark-published ID URL)",
                        ["id", "status", "title", "where"], rows))


def screen(app: App) -> None:
    from moneyprinter.terminal.shorts import videos_table

    account = pick_account(app, "youtube")
    actions = ["Generate a Short", "List its videos", "Resume an unfinished Short", "Show pending outbox items",
               "Make Shorts from a batch file", "Write a script only (read and edit it before the video)",
               "Switch account", "Back"]
    while True:
        console.print(f"\n[bold]YouTube[/] - account [cyan]{account.nickname}[/] ({account.topic or 'no niche'})")
        index = choose("YouTube Shorts", actions)
        handlers = (_generate, videos_table, _resume, _outbox, _batch, _script_only)
        if index < len(handlers):
            handlers[index](app, account)
        elif index == 6:
            account = pick_account(app, "youtube")
        else:
            return
