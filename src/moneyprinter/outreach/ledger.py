"""The send ledger: every message is reserved as ``sending`` in SQLite before SMTP DATA.

``reserve`` runs in one ``BEGIN IMMEDIATE`` transaction that checks the suppression list, the
campaign's own history, other campaigns' recent mail to the address and the mailbox's rolling
24 h cap, then writes the reservation. Two processes can therefore never both reserve the same
address, and a crash after DATA leaves a ``sending`` row that is never retried automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from moneyprinter.errors import UsageError
from moneyprinter.outreach.suppression import is_suppressed
from moneyprinter.store.db import Database

COUNTED = ("sending", "sent")  # what uses up the daily cap and blocks re-mailing


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
    since = iso(at - timedelta(hours=24))
    row = conn.execute(
        f"SELECT COUNT(*), MIN(reserved_at) FROM outreach_sends WHERE mailbox = ? AND reserved_at > ?"
        f" AND status IN ({','.join('?' * len(COUNTED))})",
        (mailbox, since, *COUNTED),
    ).fetchone()
    frees_at = iso(datetime.fromisoformat(row[1]) + timedelta(hours=24)) if row[1] else None
    return row[0], frees_at


def blocked(conn, campaign_id: int, business_id: int, address: str, resend_after_days: int, at: datetime):
    """(why this address must not be mailed now, or None; this campaign's existing row for it)."""
    stamp, address = iso(at), address.lower()
    if is_suppressed(conn, address):
        return "suppressed", None
    row = conn.execute(
        "SELECT * FROM outreach_sends WHERE campaign_id = ? AND (address = ? OR business_id = ?)"
        " ORDER BY address = ? DESC LIMIT 1",
        (campaign_id, address, business_id, address),
    ).fetchone()
    if row is not None:
        if row["address"] != address:
            return f"business already contacted at {row['address']}", row
        if row["status"] != "deferred":
            return f"already {row['status']} in this campaign", row
        if row["retry_after"] and row["retry_after"] > stamp:
            return f"deferred until {row['retry_after']}", row
    recent = conn.execute(
        "SELECT 1 FROM outreach_sends WHERE address = ? AND campaign_id != ? AND status IN ('sending', 'sent')"
        " AND reserved_at > ? LIMIT 1",
        (address, campaign_id, iso(at - timedelta(days=resend_after_days))),
    ).fetchone()
    if recent:
        return f"mailed by another campaign in the last {resend_after_days} days", row
    return None, row


def reserve(
    db: Database, *, campaign_id: int, business_id: int, address: str, mailbox: str, message_id: str,
    cap: int, resend_after_days: int, at: datetime | None = None,
) -> Reservation | str:
    """Reserve one send, or return why not. Raises ``CapReached`` when the mailbox is spent."""
    at = at or now()
    stamp, address, mailbox = iso(at), address.lower(), mailbox.lower()
    with db.transaction() as conn:
        why, row = blocked(conn, campaign_id, business_id, address, resend_after_days, at)
        if why:
            return why
        used, frees_at = sent_last_24h(conn, mailbox, at)
        if used >= cap:
            raise CapReached(used, cap, frees_at)
        if row is None:
            cur = conn.execute(
                "INSERT INTO outreach_sends (campaign_id, business_id, address, mailbox, status, message_id,"
                " attempts, reserved_at, updated_at) VALUES (?,?,?,?, 'sending', ?, 1, ?, ?)",
                (campaign_id, business_id, address, mailbox, message_id, stamp, stamp),
            )
            return Reservation(cur.lastrowid, address, message_id, 1)
        conn.execute(
            "UPDATE outreach_sends SET status = 'sending', mailbox = ?, message_id = ?, attempts = attempts + 1,"
            " retry_after = NULL, reserved_at = ?, updated_at = ? WHERE id = ?",
            (mailbox, message_id, stamp, stamp, row["id"]),
        )
        return Reservation(row["id"], address, message_id, row["attempts"] + 1)


def _set(db: Database, send_id: int, status: str, *, error: str | None = None, retry_after: str | None = None) -> None:
    stamp = iso(now())
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outreach_sends SET status = ?, error = ?, retry_after = ?, updated_at = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
            (status, error, retry_after, stamp, status, stamp, send_id),
        )


def mark_sent(db: Database, send_id: int) -> None:
    _set(db, send_id, "sent")


def mark_failed(db: Database, send_id: int, error: str) -> None:
    _set(db, send_id, "failed", error=error[:500])


def mark_deferred(db: Database, send_id: int, error: str, retry_minutes: float) -> None:
    _set(db, send_id, "deferred", error=error[:500], retry_after=iso(now() + timedelta(minutes=retry_minutes)))


def last_send_at(db: Database, mailbox: str) -> datetime | None:
    row = db.query_one(
        "SELECT MAX(reserved_at) FROM outreach_sends WHERE mailbox = ? AND status IN ('sending', 'sent')",
        (mailbox.lower(),),
    )
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def awaiting_review(db: Database) -> list[dict]:
    """Sends whose outcome is unknown (a crash or a dropped connection during DATA)."""
    rows = db.query(
        "SELECT s.id, c.name AS campaign, s.address, s.message_id, s.reserved_at, s.error FROM outreach_sends s"
        " JOIN outreach_campaigns c ON c.id = s.campaign_id WHERE s.status = 'sending' ORDER BY s.id"
    )
    return [dict(r) for r in rows]


RESOLUTIONS = {"sent": "sent", "failed": "failed", "retry": "deferred"}


def resolve(db: Database, send_id: int, outcome: str) -> None:
    """A person decided what happened to a ``sending`` row: sent, failed, or retry (send again)."""
    if outcome not in RESOLUTIONS:
        raise UsageError(f"unknown outcome '{outcome}'", hint="use sent, failed or retry")
    with db.transaction() as conn:
        row = conn.execute("SELECT status FROM outreach_sends WHERE id = ?", (send_id,)).fetchone()
        if row is None or row["status"] != "sending":
            raise UsageError(f"send {send_id} is not awaiting review", hint="see 'moneyprinter outreach review-sending'")
        stamp = iso(now())
        conn.execute(
            "UPDATE outreach_sends SET status = ?, error = COALESCE(error, '') || ?, retry_after = NULL,"
            " updated_at = ? WHERE id = ?",
            (RESOLUTIONS[outcome], f" [resolved by hand: {outcome}]", stamp, send_id),
        )


def note(db: Database, send_id: int, error: str) -> None:
    """Keep the row as it is (``sending``) but say what happened, for the review list."""
    with db.transaction() as conn:
        conn.execute("UPDATE outreach_sends SET error = ?, updated_at = ? WHERE id = ?", (error[:500], iso(now()), send_id))
