"""Running one publication: lock it, record the attempt, call the account's publisher, record the outcome.

Outcomes map to statuses:
- published / outbox: done (a rerun returns the recorded result and touches nothing remote);
- RateLimited / QuotaExceeded: back to ``pending`` with ``not_before`` - nothing runs it before then;
- NeedsAttention (outcome unknown, browser flow broke): ``needs_attention``, never retried by itself;
- any other error: ``failed`` with the reason; a later ``publish`` resumes from the stored session.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from filelock import FileLock, Timeout

from moneyprinter import paths
from moneyprinter.errors import MoneyPrinterError, PublishError, QuotaExceeded, RateLimited, UsageError
from moneyprinter.publishers import records
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, create_publisher
from moneyprinter.publishers.records import Publication
from moneyprinter.store import content
from moneyprinter.store.accounts import get_account_by_id
from moneyprinter.store.db import utcnow

log = logging.getLogger(__name__)


def publish_item(app, item_id: int, *, approve: bool = False, retry_unknown: bool = False) -> tuple[Publication, Outcome]:
    """Publish one content item through its account's publisher. Safe to call again after any failure.

    ``approve`` publishes an item waiting in review; ``retry_unknown`` lets a person retry a browser
    upload whose outcome was unknown after they checked it is not on the channel.
    """
    item = content.get_item(app.db, item_id)
    account = get_account_by_id(app.db, item.account_id)
    pub = records.get_for_item(app.db, item.id) or records.ensure(
        app.db, item.id, account.id, account.publisher, "pending"
    )
    with _lock(item.id):
        pub = records.get(app.db, pub.id)  # re-read under the lock
        if pub.status == "published":
            return pub, Outcome("published", pub.remote_id, pub.remote_url, pub.location, "already published")
        if pub.status == "rejected":
            raise UsageError(f"item {item.id} was rejected in review", hint="it will not be published")
        if pub.status == "review" and not approve:
            raise UsageError(f"item {item.id} is waiting for review", hint=f"approve it: moneyprinter review approve {item.id}")
        _check_not_before(pub)
        if pub.publisher != account.publisher and pub.status in ("review", "pending", "failed", "outbox"):
            pub = records.update(app.db, pub.id, publisher=account.publisher)
        if pub.status == "review":
            pub = records.update(app.db, pub.id, status="pending")
        return _run(app, account, item, pub, retry_unknown)


def publish_due(app, *, limit: int = 50) -> list[tuple[int, str]]:
    """Publish every ``pending`` item whose deferral has passed (for the scheduler); returns (item, outcome)."""
    now = utcnow()
    rows = app.db.query(
        "SELECT item_id FROM publications WHERE status = 'pending' AND (not_before IS NULL OR not_before <= ?) "
        "ORDER BY id LIMIT ?", (now, limit),
    )
    done = []
    for row in rows:
        try:
            pub, _ = publish_item(app, row["item_id"])
            done.append((row["item_id"], pub.status))
        except MoneyPrinterError as exc:
            done.append((row["item_id"], f"error: {exc}"))
    return done


def scheduled_publish_due(app, target: str = "all") -> str:
    """The ``publish.due`` job: retry deferred items once their wait is over; a failure fails the run."""
    results = publish_due(app)
    errors = [f"item {item_id}: {outcome}" for item_id, outcome in results if outcome.startswith("error")]
    if errors:
        raise PublishError(f"{len(errors)} of {len(results)} due item(s) failed: " + "; ".join(errors)[:400])
    if not results:
        return "nothing is due"
    return ", ".join(f"item {item_id}: {outcome}" for item_id, outcome in results)


def _run(app, account, item, pub: Publication, retry_unknown: bool = False) -> tuple[Publication, Outcome]:
    publisher = create_publisher(pub.publisher)
    if account.platform not in publisher.platforms:
        raise UsageError(
            f"publisher '{pub.publisher}' cannot publish to {account.platform}",
            hint=f"moneyprinter accounts edit {account.platform} {account.nickname} --publisher ...",
        )
    attempt = records.start_attempt(app.db, pub, publisher.id)
    ctx = PublishContext(app, account, item, pub, retry_unknown=retry_unknown)
    try:
        outcome = publisher.publish(ctx)
    except (RateLimited, QuotaExceeded) as exc:
        _settle(app, ctx, attempt, "deferred", exc, status="pending", not_before=_not_before(exc))
        raise
    except NeedsAttention as exc:
        _settle(app, ctx, attempt, "needs_attention", exc, status="needs_attention")
        raise
    except MoneyPrinterError as exc:
        _settle(app, ctx, attempt, "failed", exc, status="failed")
        raise
    except BaseException as exc:
        # A bug or an interrupt: if the side effect may have started, a person must look.
        unknown = ctx.pub.status == "publishing"
        _settle(app, ctx, attempt, "needs_attention" if unknown else "failed", exc,
                status="needs_attention" if unknown else "failed")
        raise
    now = utcnow()
    pub = ctx.save(
        status=outcome.status, remote_id=outcome.remote_id, remote_url=outcome.url, location=outcome.location,
        error=None, not_before=None, published_at=now if outcome.status == "published" else None,
    )
    records.finish_attempt(app.db, attempt, outcome.status)
    content.update_item(app.db, item.id, status=outcome.status, error=None)
    return pub, outcome


def _settle(app, ctx: PublishContext, attempt: int, outcome: str, exc: BaseException, **changes) -> None:
    reason = str(exc) or exc.__class__.__name__
    try:
        ctx.save(error=reason, **changes)
        records.finish_attempt(app.db, attempt, outcome, reason)
        content.update_item(app.db, ctx.item.id, status=changes["status"], error=reason)
    except Exception:  # never hide the original error behind a bookkeeping one
        log.exception("could not record the publication outcome")


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


def _lock(item_id: int):
    folder = paths.ensure_data_dir() / "locks"
    folder.mkdir(exist_ok=True)
    lock = FileLock(str(folder / f"publication-{item_id}.lock"), timeout=0)
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
