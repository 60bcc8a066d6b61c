"""Publishers: where finished content goes. ``submit`` is the one entry point the platforms call.

``submit`` creates the item's publication record (one per item and destination, ever), honours the account's
``approval`` (``manual`` waits in review) and publishes through the account's publisher:
``outbox`` (default), ``youtube_api``, ``youtube_studio`` or ``x_api``. Calling it again for the
same item never publishes twice: it resumes, reconciles, or returns the recorded result.

Errors: a deferral raises ``RateLimited``/``QuotaExceeded`` (exit code 75: try later; the record
says when), a failure raises a ``MoneyPrinterError``; in both cases the record is saved first.

``submit_everywhere`` is what the platforms call: the item's own publication, then one per cross-post
destination of its account (``destinations``), each tried whatever happened to the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from moneyprinter.errors import MoneyPrinterError, PublishError, UsageError
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import Account, get_account_by_id
from moneyprinter.store.content import ContentItem
from moneyprinter.store.publications import Publication
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
    pub, found = prepare(app, item, account, review=review)
    return _go(app, item, pub, [*review, *found])


def prepare(app: App, item: ContentItem, account: Account | None = None, *,
            review: Sequence[str] = ()) -> tuple[Publication, list[str]]:
    """The item's publication to ``account`` (default: its own), created if there is none: ``review``
    when a person must read it first, else ``pending``. Nothing is sent. Returns it and the problems
    ``preflight`` found (which put it in review)."""
    from moneyprinter.publishers.destinations import problems, refusal

    home = get_account_by_id(app.db, item.account_id)
    account = account or home
    own = account.id == home.id
    if not own and account.platform == home.platform:
        raise UsageError(f"item {item.id} already goes to {home.platform} through '{home.nickname}'",
                         hint="cross-post it to another platform")
    why = None if own else refusal(home, account, item.kind)
    if why:
        raise UsageError(f"item {item.id} cannot go to {why}", hint="cross-post it to a network that takes it")
    if review and list(item.metadata.get("review_reasons") or []) != list(review):
        item = content.update_item(app.db, item.id, metadata={**item.metadata, "review_reasons": list(review)})
    existing = publications.get_for_item(app.db, item.id, account.platform)
    if existing is not None and existing.account_id not in (None, account.id):  # one publication per network
        other = get_account_by_id(app.db, existing.account_id)
        raise UsageError(f"item {item.id} already goes to {account.platform} through '{other.nickname}'",
                         hint="an item goes to one account per network; see: moneyprinter publications --json")
    if existing is not None:
        return existing, []
    found = problems(app, account, item, cross_post=not own)
    # A destination with problems waits in review with them: a person edits the text or rejects it there.
    # A cross-post of an account whose content a person approves waits for that person too.
    manual = account.approval == "manual" or bool(review) or bool(found) or (not own and home.approval == "manual")
    initial = PublicationStatus.REVIEW if manual else PublicationStatus.PENDING
    pub = publications.ensure(app.db, item.id, account.id, account.publisher, initial, destination=account.platform,
                              item_follows=own)
    if found and pub.status == PublicationStatus.REVIEW:
        pub = publications.update(app.db, pub.id, error="; ".join(found))
    return pub, found


def _go(app: App, item: ContentItem, pub: Publication, reasons: Sequence[str]) -> SubmitResult:
    """Publish a prepared publication unless it waits for a person."""
    from moneyprinter.publishers.engine import publish_item

    if pub.status == PublicationStatus.REVIEW:
        why = f" ({'; '.join(reasons)})" if reasons else (f" ({pub.error})" if pub.error else "")
        return SubmitResult(
            item.id, "review", item.media_path or "", f"waiting for review: moneyprinter review (item {item.id}){why}",
            pub.id,
        )
    if pub.status == PublicationStatus.NEEDS_ATTENTION:  # only a person may go on from here
        from moneyprinter.publishers.base import NeedsAttention

        raise NeedsAttention(f"item {item.id} needs attention: {pub.error}",
                             hint=pub_hint(pub, item.id, cross_post=pub.account_id != item.account_id))
    pub, outcome = publish_item(app, item.id, destination=pub.destination)
    location = outcome.url or outcome.location or ""
    return SubmitResult(item.id, outcome.status, location, outcome.message, pub.id, outcome.remote_id, outcome.url)


# --- one item, many destinations ----------------------------------------------------------------

_SETTLED = (PublicationStatus.PUBLISHED, PublicationStatus.OUTBOX, PublicationStatus.REJECTED)
DEFERRED = 75


@dataclass
class Delivery:
    """What happened to an item on one destination: a result, or the error that stopped it."""

    item_id: int
    account: Account
    own: bool
    result: SubmitResult | None = None
    error: MoneyPrinterError | None = None

    @property
    def exit_code(self) -> int:
        return 0 if self.error is None else self.error.exit_code

    @property
    def name(self) -> str:
        return f"{self.account.platform} '{self.account.nickname}'"

    def line(self) -> str:
        """One line: the destination and what happened there."""
        if self.error is None:
            what = self.result.message if self.result else "done"
        else:
            what = ("deferred: " if self.exit_code == DEFERRED else "failed: ") + str(self.error)
        return f"item {self.item_id} -> {self.name}: {what}"


@dataclass
class Deliveries:
    """Every destination's outcome of one submit, in the order they were tried (the item's own first)."""

    item_id: int
    items: list[Delivery]

    @property
    def own(self) -> Delivery | None:
        return next((d for d in self.items if d.own), None)

    @property
    def exit_code(self) -> int:
        """The worst: any failure's code, else 75 if anything was deferred, else 0."""
        codes = [d.exit_code for d in self.items if d.exit_code]
        failures = [c for c in codes if c != DEFERRED]
        return failures[0] if failures else (DEFERRED if codes else 0)

    def lines(self) -> list[str]:
        return [d.line() for d in self.items]

    def crossed(self) -> list[Delivery]:
        return [d for d in self.items if not d.own]

    def summary(self) -> tuple[str, str]:
        """(status, message) for a caller that answers with one record (the API, MCP): the first
        destination's status and every destination's line. A lone failure is raised as the error it is."""
        if len(self.items) == 1:
            only = self.items[0]
            if only.error is not None:
                raise only.error
            return only.result.status, only.result.message or only.result.status
        first = self.items[0]
        status = first.result.status if first.result else ("deferred" if first.exit_code == DEFERRED else "failed")
        return status, "; ".join(self.lines())

    def raise_if_failed(self) -> None:
        """For a caller that reports with an exception (a scheduled run): the worst outcome, every line in it."""
        if self.exit_code == 0:
            return
        error = PublishError("; ".join(d.line() for d in self.items if d.error is not None),
                             hint=f"see: moneyprinter publications --json; go on with: moneyprinter publish {self.item_id}")
        error.exit_code = self.exit_code
        raise error


def submit_everywhere(app: App, item: ContentItem, *, review: Sequence[str] = ()) -> Deliveries:
    """Submit the item to its own account, then to each of that account's cross-post destinations.

    Every destination's publication is recorded before anything is sent, so a run killed halfway
    leaves the others ``pending`` (``publish-due`` and ``publish ID`` finish them). One destination's
    failure, deferral or ``needs_attention`` never stops or repeats another: all are tried and each
    outcome is returned. A destination already done (published, in the outbox, rejected) or waiting
    for a person (review) is reported, not run again. If the item's own publication failed, its error
    is raised after the destinations were tried (its hint lists theirs, its exit code is the worst).
    """
    from moneyprinter.publishers.destinations import destinations

    home = get_account_by_id(app.db, item.account_id)
    done = deliver_all(app, item, [(home, True), *((a, False) for a in destinations(app.db, home))], review)
    mine = done.own
    if mine is not None and mine.error is not None:
        if done.crossed():
            others = "; ".join(d.line() for d in done.crossed())
            mine.error.hint = f"{mine.error.hint}; {others}" if mine.error.hint else others
            mine.error.exit_code = done.exit_code
        raise mine.error
    return done


def submit_cross_posts(app: App, item: ContentItem, *, review: Sequence[str] = ()) -> Deliveries:
    """Only the destinations (for an item whose own publication was handed over already: a rerun)."""
    from moneyprinter.publishers.destinations import destinations

    home = get_account_by_id(app.db, item.account_id)
    return deliver_all(app, item, [(a, False) for a in destinations(app.db, home)], review)


def deliver_all(app: App, item: ContentItem, targets: list[tuple[Account, bool]], review: Sequence[str]) -> Deliveries:
    """Record every target's publication first (nothing sent), then submit to each; (account, own) pairs."""
    prepared: list[tuple[Delivery, Publication | None, list[str]]] = []
    for account, own in targets:
        delivery = Delivery(item.id, account, own)
        try:
            pub, found = prepare(app, item, None if own else account, review=review)
        except MoneyPrinterError as exc:
            delivery.error, pub, found = exc, None, []
        prepared.append((delivery, pub, found))
    for delivery, pub, found in prepared:
        if pub is None:
            continue
        if not delivery.own and (pub.status in _SETTLED or (pub.status == PublicationStatus.REVIEW and not found)):
            delivery.result = SubmitResult(item.id, pub.status.value, pub.remote_url or pub.location or "",
                                           settled_message(pub), pub.id, pub.remote_id, pub.remote_url)
            continue
        try:
            delivery.result = _go(app, content.get_item(app.db, item.id), publications.get(app.db, pub.id),
                                  [*review, *found])
        except MoneyPrinterError as exc:
            delivery.error = exc
    return Deliveries(item.id, [d for d, _, _ in prepared])


def settled_message(pub) -> str:
    if pub.status == PublicationStatus.REVIEW:
        return "waiting for review" + (f" ({pub.error})" if pub.error else "")
    where = pub.remote_url or pub.location
    return f"already {pub.status.value}" + (f": {where}" if where else "")


def pub_hint(pub, item_id: int, *, cross_post: bool = False) -> str:
    """How a person goes on from ``needs_attention``: check first, then release (that destination only)."""
    only = f" --destination {pub.destination}" if cross_post else ""
    return (f"check what the error says (moneyprinter publications --status needs_attention); then either "
            f"moneyprinter outbox mark-published {item_id} URL{only} or "
            f"moneyprinter publish {item_id}{only} --retry-unknown")
