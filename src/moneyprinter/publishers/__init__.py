"""Publishers: where finished content goes. ``submit`` is the one entry point the platforms call.

``submit`` creates the item's publication record (one per item and destination, ever), honours the account's
``approval`` (``manual`` waits in review) and publishes through the account's publisher:
``outbox`` (default), ``youtube_api``, ``youtube_studio`` or ``x_api``. Calling it again for the
same item never publishes twice: it resumes, reconciles, or returns the recorded result.

Errors: a deferral raises ``RateLimited``/``QuotaExceeded`` (exit code 75: try later; the record
says when), a failure raises a ``MoneyPrinterError``; in both cases the record is saved first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from moneyprinter.errors import UsageError
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import Account, get_account_by_id
from moneyprinter.store.content import ContentItem
from moneyprinter.store.states import PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App


@dataclass
class SubmitResult:
    item_id: int
    status: str  # "review", "outbox", "published"
    location: str  # a folder, a file or a URL
    message: str
    publication_id: int | None = None
    remote_id: str | None = None
    url: str | None = None


def submit(app: App, item: ContentItem, account: Account | None = None, *, review: Sequence[str] = ()) -> SubmitResult:
    """Hand a finished content item to its account's publisher (or to review).

    ``account`` sends it to another account's platform as well (a cross-post): that publication
    has its own status and attempts, and the item's status stays that of its own publication.
    ``review`` gives reasons a person must read it first (the quality gate's, or 'written by the
    local model'): it then waits in review whatever the account's approval.
    """
    from moneyprinter.publishers.engine import publish_item

    home = get_account_by_id(app.db, item.account_id)
    account = account or home
    own = account.id == home.id
    if not own and account.platform == home.platform:
        raise UsageError(f"item {item.id} already goes to {home.platform} through '{home.nickname}'",
                         hint="cross-post it to another platform")
    if review:
        item = content.update_item(app.db, item.id, metadata={**item.metadata, "review_reasons": list(review)})
    manual = account.approval == "manual" or bool(review)
    initial = PublicationStatus.REVIEW if manual else PublicationStatus.PENDING
    pub = publications.ensure(app.db, item.id, account.id, account.publisher, initial, destination=account.platform,
                              item_follows=own)
    if pub.status == PublicationStatus.REVIEW:
        why = f" ({'; '.join(review)})" if review else ""
        return SubmitResult(
            item.id, "review", item.media_path or "", f"waiting for review: moneyprinter review (item {item.id}){why}",
            pub.id,
        )
    if pub.status == PublicationStatus.NEEDS_ATTENTION:  # only a person may go on from here
        from moneyprinter.publishers.base import NeedsAttention

        raise NeedsAttention(f"item {item.id} needs attention: {pub.error}",
                             hint=pub_hint(pub, item.id))
    pub, outcome = publish_item(app, item.id, destination=pub.destination)
    location = outcome.url or outcome.location or ""
    return SubmitResult(item.id, outcome.status, location, outcome.message, pub.id, outcome.remote_id, outcome.url)


def pub_hint(pub, item_id: int) -> str:
    """How a person goes on from ``needs_attention``: check first, then release."""
    return (f"check what the error says (moneyprinter publications --status needs_attention); then either "
            f"moneyprinter outbox mark-published {item_id} URL or moneyprinter publish {item_id} --retry-unknown")
