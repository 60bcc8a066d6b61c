"""Running one publication: lock it, record the attempt, call the account's publisher, record the outcome.

Outcomes map to statuses (``store.states.PUBLICATION_STATES``):
- published / outbox: done (a rerun returns the recorded result and touches nothing remote);
- RateLimited / QuotaExceeded: back to ``pending`` with ``not_before`` - nothing runs it before then;
- NeedsAttention (outcome unknown, browser flow broke): ``needs_attention``, never retried by itself;
- any other error: ``failed`` with the reason; a later ``publish`` resumes from the stored session.

An item's own publication (to its account's platform) carries the item's status with it, in the
same transaction; a publication to another destination (a cross-post) changes only itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
from datetime import UTC, datetime, timedelta

from filelock import FileLock, Timeout

from moneyprinter import paths
from moneyprinter.errors import (
    MoneyPrinterError,
    NotFound,
    PublishError,
    QuotaExceeded,
    RateLimited,
    Terminated,
    UsageError,
)
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, create_publisher
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import Account, get_account_by_id
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.publications import Publication
from moneyprinter.store.states import AttemptOutcome, PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)
P = PublicationStatus


def publish_item(app: App, item_id: int, *, destination: str | None = None, approve: bool = False,
                 retry_unknown: bool = False) -> tuple[Publication, Outcome]:
    """Publish one content item through its account's publisher. Safe to call again after any failure.

    ``destination`` picks one of the item's publications (default: its own, to its account's
    platform); ``approve`` publishes an item waiting in review; ``retry_unknown`` lets a person retry
    a browser upload whose outcome was unknown after they checked it is not on the channel.
    """
    item = content.get_item(app.db, item_id)
    home = get_account_by_id(app.db, item.account_id)
    pub = publications.get_for_item(app.db, item.id, destination)
    if pub is None:
        if destination not in (None, home.platform):
            raise NotFound(f"item {item.id} has no publication to {destination}",
                           hint="see: moneyprinter publications --json")
        pub = publications.ensure(app.db, item.id, home.id, home.publisher, P.PENDING)
    account = home if pub.account_id == home.id else get_account_by_id(app.db, pub.account_id)
    with _lock(item.id, None if _is_own(pub, home) else pub.destination):
        pub = publications.get(app.db, pub.id)  # re-read under the lock
        if pub.status == P.PUBLISHED:
            return pub, Outcome("published", pub.remote_id, pub.remote_url, pub.location, "already published")
        if pub.status == P.REJECTED:
            raise UsageError(f"item {item.id} was rejected in review", hint="it will not be published")
        if pub.status == P.REVIEW and not approve:
            raise UsageError(f"item {item.id} is waiting for review", hint=f"approve it: moneyprinter review approve {item.id}")
        _check_not_before(pub)
        if pub.publisher != account.publisher and pub.status in (P.REVIEW, P.PENDING, P.FAILED, P.OUTBOX):
            pub = publications.update(app.db, pub.id, publisher=account.publisher)
        if pub.status == P.REVIEW:
            _preflight(app, account, item, own=_is_own(pub, home))
            pub = publications.update(app.db, pub.id, status=P.PENDING, error=None)
        return _run(app, account, item, pub, retry_unknown, own=_is_own(pub, home))


def _preflight(app: App, account: Account, item: ContentItem, *, own: bool) -> None:
    """At approval: refuse, naming the destination, what its network would refuse (a text too long)."""
    from moneyprinter.publishers.destinations import problems

    found = problems(app, account, item, cross_post=not own)
    if found:
        raise UsageError("; ".join(found), hint=f"edit the text (moneyprinter review edit {item.id}) or reject this "
                                                f"destination (moneyprinter review reject {item.id} --destination "
                                                f"{account.platform})")


def _is_own(pub: Publication, home: Account) -> bool:
    """The item's own publication: the one whose status the item shows."""
    return pub.account_id == home.id and pub.destination == home.platform


def publish_due(app: App, *, limit: int = 50) -> list[tuple[int, str]]:
    """Publish every ``pending`` publication whose deferral has passed (for the scheduler); returns (item, outcome)."""
    done = []
    for due in publications.due(app.db, utcnow(), limit):
        try:
            pub, _ = publish_item(app, due.item_id, destination=due.destination)
            done.append((due.item_id, pub.status.value))
        except MoneyPrinterError as exc:
            done.append((due.item_id, f"error: {exc}"))
    return done


def scheduled_publish_due(app: App, target: str = "all") -> str:
    """The ``publish.due`` job: retry deferred items once their wait is over; a failure fails the run."""
    results = publish_due(app)
    errors = [f"item {item_id}: {outcome}" for item_id, outcome in results if outcome.startswith("error")]
    if errors:
        raise PublishError(f"{len(errors)} of {len(results)} due item(s) failed: " + "; ".join(errors)[:400])
    report = [f"item {item_id}: {outcome}" for item_id, outcome in results]
    report += [stuck_line(pub) for pub in stuck(app.db)]
    return ", ".join(report) if report else "nothing is due"


def stuck(db) -> list[Publication]:
    """Publications left in ``publishing`` with no live process holding their lock: a run was killed."""
    return [p for p in publications.list_publications(db, status=P.PUBLISHING, limit=1000) if not _running(p)]


def stuck_line(pub: Publication) -> str:
    return (f"item {pub.item_id}: stuck in publishing since {pub.publishing_at or pub.updated_at} (no process is "
            f"publishing it); run: moneyprinter publish {pub.item_id} (it looks on the platform before sending)")


def _running(pub: Publication) -> bool:
    """Whether a live process holds the publication's lock (a lock file is only locked while its process lives)."""
    folder = paths.data_dir() / "locks"
    for name in (f"publication-{pub.item_id}", f"publication-{pub.item_id}-{pub.destination}"):
        path = folder / f"{name}.lock"
        if not path.exists():
            continue
        probe = FileLock(str(path), timeout=0)
        try:
            probe.acquire()
        except Timeout:
            return True
        probe.release()
    return False


def _run(app: App, account: Account, item: ContentItem, pub: Publication, retry_unknown: bool = False, *,
         own: bool = True) -> tuple[Publication, Outcome]:
    publisher = create_publisher(pub.publisher)
    if account.platform not in publisher.platforms:
        raise UsageError(
            f"publisher '{pub.publisher}' cannot publish to {account.platform}",
            hint=f"moneyprinter accounts edit {account.platform} {account.nickname} --publisher ...",
        )
    attempt = publications.start_attempt(app.db, pub, publisher.id)
    ctx = PublishContext(app, account, item, pub, retry_unknown=retry_unknown)
    settle = _Settle(app, ctx, attempt, own)
    try:
        outcome = publisher.publish(ctx)
    except (RateLimited, QuotaExceeded) as exc:
        settle(AttemptOutcome.DEFERRED, exc, P.PENDING, not_before=_not_before(exc))
        raise
    except NeedsAttention as exc:
        settle(AttemptOutcome.NEEDS_ATTENTION, exc, P.NEEDS_ATTENTION)
        raise
    except MoneyPrinterError as exc:
        settle(AttemptOutcome.FAILED, exc, P.FAILED)
        raise
    except BaseException as exc:
        # A bug or an interrupt: if the side effect may have started, a person must look.
        unknown = ctx.pub.status == P.PUBLISHING
        settle(AttemptOutcome.NEEDS_ATTENTION if unknown else AttemptOutcome.FAILED, exc,
               P.NEEDS_ATTENTION if unknown else P.FAILED)
        raise
    now = utcnow()
    pub = publications.change(
        app.db, pub.id, item={"status": outcome.status, "error": None} if own else None,
        attempt=(attempt, outcome.status, None),
        status=outcome.status, remote_id=outcome.remote_id, remote_url=outcome.url, location=outcome.location,
        error=None, not_before=None, published_at=now if outcome.status == P.PUBLISHED else None,
    )
    ctx.pub = pub
    return pub, outcome


class _Settle:
    """Records a failed, deferred or unknown outcome: the publication, its attempt and (if it is the
    item's own) the item, in one transaction."""

    def __init__(self, app: App, ctx: PublishContext, attempt: int, own: bool) -> None:
        self.app, self.ctx, self.attempt, self.own = app, ctx, attempt, own

    def __call__(self, outcome: AttemptOutcome, exc: BaseException, status: PublicationStatus, **changes) -> None:
        reason = _reason(exc)
        try:
            self.ctx.pub = publications.change(
                self.app.db, self.ctx.pub.id, item={"status": status.value, "error": reason} if self.own else None,
                attempt=(self.attempt, outcome, reason), status=status, error=reason, **changes,
            )
        except Exception:  # never hide the original error behind a bookkeeping one
            log.exception("could not record the publication outcome")


def _reason(exc: BaseException) -> str:
    """What stopped the attempt, in words (an interrupt's own text is '143' or empty)."""
    if isinstance(exc, Terminated):
        return "interrupted by SIGTERM"
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted (Ctrl-C)"
    if isinstance(exc, SystemExit):
        return f"interrupted (exit {exc.code})"
    return str(exc) or exc.__class__.__name__


def _not_before(exc: MoneyPrinterError) -> str | None:
    if isinstance(exc, QuotaExceeded):
        return exc.resets_at
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is None:
        return None
    return (datetime.now(UTC) + timedelta(seconds=float(retry_after))).isoformat(timespec="seconds")


def _check_not_before(pub: Publication) -> None:
    if not pub.not_before:
        return
    when = datetime.fromisoformat(pub.not_before)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    wait = (when - datetime.now(UTC)).total_seconds()
    if wait > 0:
        raise RateLimited(
            "publishing", f"item {pub.item_id} is deferred until {pub.not_before} ({pub.error or 'rate limit'})",
            retry_after=wait, hint="it will be published after that time; nothing is sent before",
        )


def _lock(item_id: int, destination: str | None):
    """Held while one publication runs. An item's own publication keeps the lock name it had before
    items had several destinations, so an older process still running is kept out too."""
    folder = paths.ensure_data_dir() / "locks"
    folder.mkdir(exist_ok=True)
    name = f"publication-{item_id}" + (f"-{destination}" if destination else "")
    lock = FileLock(str(folder / f"{name}.lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UsageError(
            f"item {item_id} is being published by another process", hint="wait for it to finish"
        ) from None
    return _Held(lock)


class _Held:
    def __init__(self, lock: FileLock) -> None:
        self.lock = lock

    def __enter__(self):
        return self.lock

    def __exit__(self, *exc) -> None:
        self.lock.release()
