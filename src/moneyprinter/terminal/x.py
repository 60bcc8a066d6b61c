"""The X post history and affiliate product tables, for ``moneyprinter posts|products`` and the menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.store.content import ContentItem
from moneyprinter.store.products import Product
from moneyprinter.terminal.output import table

if TYPE_CHECKING:
    from moneyprinter.app import App


def history_row(item: ContentItem) -> dict:
    return {
        "id": item.id,
        "date": item.created_at[:16].replace("T", " "),
        "kind": item.kind,
        "text": item.body,
        "url": item.metadata.url or item.metadata.location or "",
        "status": item.status,
    }


def product_table(app: App, found: list[Product]) -> Table:
    names = {}
    rows = []
    for p in found:
        if p.account_id not in names:
            names[p.account_id] = get_account_by_id(app.db, p.account_id).nickname
        last = (p.last_pitched_at or "never")[:16].replace("T", " ")
        rows.append([p.id, names[p.account_id], p.title, len(p.features), p.source, last, p.link])
    return table(None, ["id", "account", "title", "features", "source", "last pitched", "link"], rows)
