"""The send ledger: every message is reserved as ``sending`` in the database before SMTP DATA.

``reserve`` runs in one write transaction (``db.transaction()`` takes the write lock first) that
checks the suppression list, whether someone at the business or address answered the campaign in
person, the campaign's own history, other campaigns' recent mail to the address and the mailbox's
rolling 24 h cap, then writes the reservation. Two processes can therefore never both reserve the same
address, and a crash after DATA leaves a ``sending`` row that is never retried automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from moneyprinter.errors import UsageError
from moneyprinter.outreach.suppression import is_suppressed
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import replies, sends
from moneyprinter.store.states import SendStatus


def now() -> datetime:
    return datetime.now(UTC)


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


@dataclass
class Reservation:
    send_id: int
    address: str
    message_id: str
    attempt: int


class CapReached(Exception):
    """The mailbox has sent its daily cap in the last 24 h."""

    def __init__(self, used: int, cap: int, frees_at: str | None) -> None:
        super().__init__(f"{used} of {cap}")
        self.used, self.cap, self.frees_at = used, cap, frees_at


def sent_last_24h(conn, mailbox: str, at: datetime) -> tuple[int, str | None]:
    """(count, when the oldest of them leaves the 24 h window)."""
    count, oldest = sends.counted_since(conn, mailbox, iso(at - timedelta(hours=24)))
    return count, iso(datetime.fromisoformat(oldest) + timedelta(hours=24)) if oldest else None


def blocked(conn, campaign_id: int, business_id: int, address: str, resend_after_days: int, at: datetime):
    """(why this address must not be mailed now, or None; this campaign's existing send for it)."""
    stamp, address = iso(at), address.lower()
    if is_suppressed(conn, address):
        return "suppressed", None
    replied_at = replies.first_reply_at(conn, campaign_id, business_id, address)
    if replied_at:  # a person answered: the conversation is theirs now, not the campaign's
        return f"replied in this campaign on {replied_at}: answer by hand", None
    send = sends.in_campaign(conn, campaign_id, business_id, address)
    if send is not None:
        if send.address != address:
            return f"business already contacted at {send.address}", send
        if send.status != SendStatus.DEFERRED:
            return f"already {send.status} in this campaign", send
        if send.retry_after and send.retry_after > stamp:
            return f"deferred until {send.retry_after}", send
    if sends.mailed_elsewhere_since(conn, address, campaign_id, iso(at - timedelta(days=resend_after_days))):
        return f"mailed by another campaign in the last {resend_after_days} days", send
    return None, send


def reserve(
    db: Database, *, campaign_id: int, business_id: int, address: str, mailbox: str, message_id: str,
    cap: int, resend_after_days: int, at: datetime | None = None,
) -> Reservation | str:
    """Reserve one send, or return why not. Raises ``CapReached`` when the mailbox is spent."""
    at = at or now()
    stamp, address, mailbox = iso(at), address.lower(), mailbox.lower()
    with db.transaction() as conn:
        why, send = blocked(conn, campaign_id, business_id, address, resend_after_days, at)
        if why:
            return why
        used, frees_at = sent_last_24h(conn, mailbox, at)
        if used >= cap:
            raise CapReached(used, cap, frees_at)
        if send is None:
            send_id = sends.insert_reservation(conn, campaign_id=campaign_id, business_id=business_id, address=address,
                                               mailbox=mailbox, message_id=message_id, at=stamp)
            return Reservation(send_id, address, message_id, 1)
        attempt = sends.reserve_again(conn, send, mailbox=mailbox, message_id=message_id, at=stamp)
        return Reservation(send.id, address, message_id, attempt)


def mark_sent(db: Database, send_id: int) -> None:
    sends.set_outcome(db, send_id, SendStatus.SENT, at=iso(now()))


def mark_failed(db: Database, send_id: int, error: str) -> None:
    sends.set_outcome(db, send_id, SendStatus.FAILED, at=iso(now()), error=error[:500])


def mark_deferred(db: Database, send_id: int, error: str, retry_minutes: float) -> None:
    sends.set_outcome(db, send_id, SendStatus.DEFERRED, at=iso(now()), error=error[:500],
                      retry_after=iso(now() + timedelta(minutes=retry_minutes)))


def release(db: Database, reservation: Reservation) -> None:
    """Nothing was sent and the recipient played no part (the sender's server refused): as if never reserved."""
    sends.release(db, reservation.send_id, at=iso(now()))


def requeue_failed(db: Database, campaign_id: int) -> list[str]:
    """A person looked at the failures: failed sends are tried again at the next run (suppressed ones stay)."""
    return sends.requeue_failed(db, campaign_id, at=iso(now()), keep=is_suppressed)


def problems(db: Database, campaign_id: int) -> list[sends.Send]:
    """Failed and deferred sends of a campaign, for a person deciding whether to retry."""
    return sends.problems(db, campaign_id)


def last_send_at(db: Database, mailbox: str) -> datetime | None:
    stamp = sends.last_counted_at(db, mailbox.lower())
    return datetime.fromisoformat(stamp) if stamp else None


def awaiting_review(db: Database) -> list[sends.SendToReview]:
    """Sends whose outcome is unknown (a crash or a dropped connection during DATA)."""
    return sends.awaiting_review(db)


RESOLUTIONS = {"sent": SendStatus.SENT, "failed": SendStatus.FAILED, "retry": SendStatus.DEFERRED}


def resolve(db: Database, send_id: int, outcome: str) -> None:
    """A person decided what happened to a ``sending`` row: sent, failed, or retry (send again)."""
    if outcome not in RESOLUTIONS:
        raise UsageError(f"unknown outcome '{outcome}'", hint="use sent, failed or retry")
    if not sends.resolve(db, send_id, RESOLUTIONS[outcome], at=iso(now()), note=f" [resolved by hand: {outcome}]"):
        raise UsageError(f"send {send_id} is not awaiting review", hint="see 'moneyprinter outreach review-sending'")


def note(db: Database, send_id: int, error: str) -> None:
    """Keep the row as it is (``sending``) but say what happened, for the review list."""
    sends.note(db, send_id, error[:500], at=iso(now()))
