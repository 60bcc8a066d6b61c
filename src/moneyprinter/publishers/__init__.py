"""Publishers: where finished content goes. ``submit`` is the one entry point the platforms call.

For now only the outbox exists; the publishing capability adds publication records, review,
and the live publishers behind this same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from moneyprinter.publishers.outbox import write_to_outbox
from moneyprinter.store import content
from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.store.content import ContentItem


@dataclass
class SubmitResult:
    item_id: int
    status: str  # "outbox", "review", "published", ...
    location: str  # a folder or a URL
    message: str


def submit(app, item: ContentItem) -> SubmitResult:
    """Hand a finished content item to its account's publisher."""
    account = get_account_by_id(app.db, item.account_id)
    folder: Path = write_to_outbox(app, account, item)
    content.update_item(app.db, item.id, status="outbox")
    return SubmitResult(item.id, "outbox", str(folder), f"written to the outbox: {folder}")
