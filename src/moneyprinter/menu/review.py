"""The review screen: content waiting for a person, and the publication publications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.menu.prompts import ask, choose, confirm, console
from moneyprinter.publishers import review
from moneyprinter.store import publications
from moneyprinter.terminal.output import print_error, table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _show(w: review.Waiting) -> None:
    item = w.item
    console.print(f"\n[bold]Item {item.id}[/] - {w.account.platform}:{w.account.nickname} ({item.kind}, "
                  f"publisher {w.account.publisher})")
    for label, value in (("Title", item.title), ("Text", item.body),
                         ("Description", item.metadata.description),
                         ("Tags", ", ".join(map(str, item.metadata.tags)))):
        if value:
            console.print(f"  {label}: {escape(str(value))}")
    if item.media_path:
        console.print(f"  File: {escape(item.media_path)}" + ("" if w.media_exists else " [red](missing)[/]"))
    if w.pub.error:
        console.print(f"  [yellow]Waits because: {escape(w.pub.error)}[/]")


def _which_text(item) -> tuple[int | None, str]:
    """A thread is edited one part at a time: ask which; anything else has one text."""
    texts = review.texts_to_publish(item)
    if item.kind != "thread" or len(texts) < 2:
        return None, item.body or ""
    index = choose("Which part?", [f"[{n}/{len(texts)}] {t[:60]}" for n, t in enumerate(texts, start=1)])
    return index + 1, texts[index]


def _review_one(app: App, w: review.Waiting) -> None:
    _show(w)
    actions = ["Approve and publish", "Edit the title", "Edit the text", "Reject", "Back"]
    while True:
        index = choose("What now?", actions)
        try:
            if index == 0:
                done = review.approve(app, w.item.id, w.pub.destination)
                for delivery in done.items:
                    if delivery.error is not None:
                        raise delivery.error
                    console.print(f"[green]{escape(delivery.line())}[/]")
                return
            if index == 1:
                w.item = review.edit(app.db, w.item.id, title=ask("New title", default=w.item.title or None))
                _show(w)
            elif index == 2:
                part, current = _which_text(w.item)
                w.item = review.edit(app.db, w.item.id, text=ask("New text", default=current or None), part=part,
                                     x_limit=app.settings.publishing.x_max_weighted_length)
                _show(w)
            elif index == 3:
                if confirm(f"Reject item {w.item.id}? It will never be published"):
                    review.reject(app.db, w.item.id, ask("Reason", default="rejected in review"), w.pub.destination)
                    console.print("[yellow]Rejected.[/]")
                    return
            else:
                return
        except MoneyPrinterError as exc:
            print_error(exc)
            if index == 0:
                return


def _publications(app: App) -> None:
    pubs = publications.list_publications(app.db, limit=30)
    if not pubs:
        console.print("No publications yet.")
        return
    rows = [[p.item_id, p.destination, p.publisher, p.status, p.remote_url or p.location or "", p.error or ""]
            for p in pubs]
    console.print(table(None, ["item", "destination", "publisher", "status", "where", "error"], rows))


def screen(app: App) -> None:
    while True:
        waiting = review.waiting(app.db)
        labels = [f"#{w.item.id} {w.account.platform}:{w.account.nickname} - {(w.item.title or w.item.body)[:50]}"
                  for w in waiting]
        options = labels + ["Show recent publications", "Back"]
        index = choose(f"Review ({len(waiting)} waiting)", options)
        if index < len(waiting):
            _review_one(app, waiting[index])
        elif index == len(waiting):
            _publications(app)
        else:
            return
