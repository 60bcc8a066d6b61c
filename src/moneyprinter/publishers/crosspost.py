"""A person's commands on an item's destinations: cross-post it now, or go on with all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.publishers import Deliveries, Delivery, SubmitResult, deliver_all, prepare, settled_message
from moneyprinter.publishers.destinations import destinations, find_targets
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.store.states import PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

_DONE = (PublicationStatus.PUBLISHED, PublicationStatus.OUTBOX, PublicationStatus.REJECTED)


def cross_post(app: App, item_id: int, targets: list[str]) -> Deliveries:
    """``publish ID --to PLATFORM:NICKNAME`` (or ``group:NAME``, that group's destinations): submit the item
    to each named account now (a destination done before is reported, not sent again)."""
    item = content.get_item(app.db, item_id)
    accounts = find_targets(app.db, targets)  # every name checked before anything is sent
    reasons = list(item.metadata.get("review_reasons") or [])
    return deliver_all(app, item, [(account, account.id == item.account_id) for account in accounts], reasons)


def _record_destinations(app: App, item) -> list[Delivery]:
    """The item's own publication (``pending``: publishing it is what the person asked for) and one per
    cross-post destination of its account (``review`` where a person or ``preflight`` must look first)."""
    home = get_account_by_id(app.db, item.account_id)
    publications.ensure(app.db, item.id, home.id, home.publisher, PublicationStatus.PENDING)
    reasons = list(item.metadata.get("review_reasons") or [])
    refused = []
    for account in destinations(app.db, home):
        try:
            prepare(app, item, account, review=reasons)
        except MoneyPrinterError as exc:  # it has no publication: reported with the others' outcomes
            refused.append(Delivery(item.id, account, own=False, error=exc))
    return refused


def publish_all(app: App, item_id: int, *, retry_unknown: bool = False) -> Deliveries:
    """``publish ID``: the item's own publication (approving it if it waits), then each of its cross-posts
    that is not done yet, each on its own; returns every destination's outcome."""
    from moneyprinter.publishers.engine import publish_item

    item = content.get_item(app.db, item_id)
    refused = []
    if publications.get_for_item(app.db, item_id) is None:
        refused = _record_destinations(app, item)  # first submitted now: all recorded before anything is sent
    own = publications.get_for_item(app.db, item_id)
    others = [p for p in publications.for_item(app.db, item_id) if own is None or p.id != own.id]
    done = Deliveries(item_id, [])
    for pub in [own, *others]:
        account = get_account_by_id(app.db, pub.account_id if pub else item.account_id)
        delivery = Delivery(item_id, account, own=pub is own)
        done.items.append(delivery)
        if pub is not None and pub is not own and pub.status in _DONE:
            delivery.result = SubmitResult(item_id, pub.status.value, pub.remote_url or pub.location or "",
                                           settled_message(pub), pub.id, pub.remote_id, pub.remote_url)
            continue
        try:
            result, outcome = publish_item(app, item_id, destination=pub.destination if pub else None, approve=True,
                                           retry_unknown=retry_unknown)
            delivery.result = SubmitResult(item_id, result.status.value, outcome.url or outcome.location or "",
                                           outcome.message or result.status.value, result.id, outcome.remote_id,
                                           outcome.url)
        except MoneyPrinterError as exc:
            delivery.error = exc
    done.items += refused
    return done
