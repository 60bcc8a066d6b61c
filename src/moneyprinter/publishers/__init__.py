"""Publishers: where finished content goes. ``submit`` is the one entry point the platforms call.

``submit`` creates the item's publication record (one per item, ever), honours the account's
``approval`` (``manual`` waits in review) and publishes through the account's publisher:
``outbox`` (default), ``youtube_api``, ``youtube_studio`` or ``x_api``. Calling it again for the
same item never publishes twice: it resumes, reconciles, or returns the recorded result.

Errors: a deferral raises ``RateLimited``/``QuotaExceeded`` (exit code 75: try later; the record
says when), a failure raises a ``MoneyPrinterError``; in both cases the record is saved first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from moneyprinter.publishers import records
from moneyprinter.store import content
from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.store.content import ContentItem


@dataclass
class SubmitResult:
    item_id: int
    status: str  # "review", "outbox", "published"
    location: str  # a folder, a file or a URL
    message: str
    publication_id: int | None = None
    remote_id: str | None = None
    url: str | None = None


def submit(app, item: ContentItem, *, review: Sequence[str] = ()) -> SubmitResult:
    """Hand a finished content item to its account's publisher, or to review when the account asks for
    manual approval or ``review`` gives reasons (the quality gate's, or 'written by the local model')."""
    from moneyprinter.publishers.engine import publish_item

    account = get_account_by_id(app.db, item.account_id)
    if review:
        item = content.update_item(app.db, item.id, metadata={**item.metadata, "review_reasons": list(review)})
    initial = "review" if account.approval == "manual" or review else "pending"
    pub = records.ensure(app.db, item.id, account.id, account.publisher, initial)
    if pub.status == "review":
        content.update_item(app.db, item.id, status="review")
        why = f" ({'; '.join(review)})" if review else ""
        return SubmitResult(
            item.id, "review", item.media_path or "", f"waiting for review: moneyprinter review (item {item.id}){why}",
            pub.id,
        )
    if pub.status == "needs_attention":  # only a person may go on from here
        from moneyprinter.publishers.base import NeedsAttention

        raise NeedsAttention(f"item {item.id} needs attention: {pub.error}",
                             hint=f"see: moneyprinter publications --status needs_attention; then moneyprinter publish {item.id}")
    pub, outcome = publish_item(app, item.id)
    location = outcome.url or outcome.location or ""
    return SubmitResult(item.id, outcome.status, location, outcome.message, pub.id, outcome.remote_id, outcome.url)
