"""The send ledger (``outreach_sends``): one row per campaign and address, reserved before SMTP DATA.

The functions taking ``conn`` run inside the caller's transaction (``outreach/ledger.py`` reserves
a send in one ``BEGIN IMMEDIATE`` transaction after checking what may block it). Every status
change goes through ``SEND_STATUSES``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from moneyprinter.errors import NotFound
from moneyprinter.store.db import Database, update_columns
from moneyprinter.store.states import SEND_STATUSES, SendStatus

COUNTED = (SendStatus.SENDING, SendStatus.SENT)  # what uses up the daily cap and blocks re-mailing
_COLUMNS = frozenset({"status", "mailbox", "message_id", "attempts", "retry_after", "reserved_at", "error",
                      "sent_at", "updated_at"})


@dataclass
class Send:
    id: int
    campaign_id: int
    business_id: int
    address: str
    mailbox: str
    status: SendStatus
    message_id: str
    attempts: int
    retry_after: str | None
    error: str | None
    reserved_at: str
    sent_at: str | None
    updated_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Send:
        return cls(**{**dict(row), "status": SendStatus(row["status"])})


@dataclass
class SendToReview:
    """A send whose outcome is unknown, with its campaign's name."""

    id: int
    campaign: str
    address: str
    message_id: str
    reserved_at: str
    error: str | None


def counted_since(conn: sqlite3.Connection, mailbox: str, since: str) -> tuple[int, str | None]:
    """(sends of ``mailbox`` reserved after ``since`` that count against its cap, the oldest one's time)."""
    row = conn.execute(
        f"SELECT COUNT(*), MIN(reserved_at) FROM outreach_sends WHERE mailbox = ? AND reserved_at > ?"
        f" AND status IN ({','.join('?' * len(COUNTED))})",
        (mailbox, since, *COUNTED),
    ).fetchone()
    return row[0], row[1]


def in_campaign(conn: sqlite3.Connection, campaign_id: int, business_id: int, address: str) -> Send | None:
    """This campaign's row for the address or, failing that, for another address of the business."""
    row = conn.execute(
        "SELECT * FROM outreach_sends WHERE campaign_id = ? AND (address = ? OR business_id = ?)"
        " ORDER BY address = ? DESC LIMIT 1",
        (campaign_id, address, business_id, address),
    ).fetchone()
    return Send.from_row(row) if row else None


def mailed_elsewhere_since(conn: sqlite3.Connection, address: str, campaign_id: int, since: str) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM outreach_sends WHERE address = ? AND campaign_id != ?"
        f" AND status IN ({','.join('?' * len(COUNTED))}) AND reserved_at > ? LIMIT 1",
        (address, campaign_id, *COUNTED, since),
    ).fetchone()
    return row is not None


def status_of(db: Database, campaign_id: int, address: str) -> SendStatus | None:
    row = db.query_one("SELECT status FROM outreach_sends WHERE campaign_id = ? AND address = ?", (campaign_id, address))
    return SendStatus(row["status"]) if row else None


def insert_reservation(conn: sqlite3.Connection, *, campaign_id: int, business_id: int, address: str, mailbox: str,
                       message_id: str, at: str) -> int:
    return conn.execute(
        "INSERT INTO outreach_sends (campaign_id, business_id, address, mailbox, status, message_id,"
        " attempts, reserved_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
        (campaign_id, business_id, address, mailbox, SendStatus.SENDING, message_id, at, at),
    ).lastrowid


def _change(conn: sqlite3.Connection, send: Send, status: SendStatus, changes: dict) -> None:
    new = SEND_STATUSES.check(send.status, status)
    update_columns(conn, "outreach_sends", send.id, {"status": new, **changes}, _COLUMNS, touch=False)


def reserve_again(conn: sqlite3.Connection, send: Send, *, mailbox: str, message_id: str, at: str) -> int:
    """A deferred send is reserved once more; returns its attempt number."""
    attempts = send.attempts + 1
    _change(conn, send, SendStatus.SENDING, {"mailbox": mailbox, "message_id": message_id, "attempts": attempts,
                                            "retry_after": None, "reserved_at": at, "updated_at": at})
    return attempts


def _get(conn: sqlite3.Connection, send_id: int) -> Send:
    row = conn.execute("SELECT * FROM outreach_sends WHERE id = ?", (send_id,)).fetchone()
    if row is None:
        raise NotFound(f"no send with id {send_id}", hint="see 'moneyprinter outreach review-sending'")
    return Send.from_row(row)


def set_outcome(db: Database, send_id: int, status: SendStatus, *, at: str, error: str | None = None,
                retry_after: str | None = None) -> None:
    """What SMTP said: sent, failed or deferred (with when to try again)."""
    with db.transaction() as conn:
        changes = {"error": error, "retry_after": retry_after, "updated_at": at}
        if status == SendStatus.SENT:
            changes["sent_at"] = at
        _change(conn, _get(conn, send_id), status, changes)


def resolve(db: Database, send_id: int, status: SendStatus, *, at: str, note: str) -> bool:
    """A person decided what became of a ``sending`` row; False if the row is not awaiting review."""
    with db.transaction() as conn:
        row = conn.execute("SELECT * FROM outreach_sends WHERE id = ?", (send_id,)).fetchone()
        if row is None or row["status"] != SendStatus.SENDING:
            return False
        send = Send.from_row(row)
        _change(conn, send, status, {"error": (send.error or "") + note, "retry_after": None, "updated_at": at})
        return True


def for_message_ids(db: Database, message_ids: list[str]) -> Send | None:
    """The send with one of these Message-IDs (the last one a reply refers to wins)."""
    for message_id in reversed(message_ids):
        row = db.query_one("SELECT * FROM outreach_sends WHERE message_id = ?", (message_id,))
        if row:
            return Send.from_row(row)
    return None


def confirm_delivered(conn: sqlite3.Connection, send_id: int, *, at: str) -> None:
    """An answer to the message arrived: a send awaiting review (outcome unknown) was sent after all."""
    send = _get(conn, send_id)
    if send.status == SendStatus.SENDING:
        _change(conn, send, SendStatus.SENT, {"sent_at": at, "updated_at": at,
                                             "error": f"{send.error or ''} [confirmed: an answer to it arrived]"[:500]})


def problems(db: Database, campaign_id: int) -> list[Send]:
    """The campaign's failed and deferred sends with what the server said, newest first."""
    rows = db.query("SELECT * FROM outreach_sends WHERE campaign_id = ? AND status IN (?, ?) ORDER BY updated_at DESC",
                    (campaign_id, SendStatus.FAILED, SendStatus.DEFERRED))
    return [Send.from_row(r) for r in rows]


def release(db: Database, send_id: int, *, at: str) -> None:
    """Undo a reservation after which nothing was sent (the sender's server refused): a first attempt
    is deleted, a retried one goes back to ``deferred``, due at once, with its attempt uncounted."""
    with db.transaction() as conn:
        send = _get(conn, send_id)
        if send.status != SendStatus.SENDING:
            return
        if send.attempts <= 1:
            conn.execute("DELETE FROM outreach_sends WHERE id = ? AND status = ?", (send_id, SendStatus.SENDING))
            return
        _change(conn, send, SendStatus.DEFERRED, {"attempts": send.attempts - 1, "retry_after": None, "updated_at": at})


def requeue_failed(db: Database, campaign_id: int, *, at: str, keep) -> list[str]:
    """Failed sends of a campaign become ``deferred`` (due at once), except those ``keep(conn, address)``
    says to leave (suppressed ones). Returns the re-queued addresses."""
    done = []
    with db.transaction() as conn:
        rows = conn.execute("SELECT * FROM outreach_sends WHERE campaign_id = ? AND status = ? ORDER BY id",
                            (campaign_id, SendStatus.FAILED)).fetchall()
        for row in rows:
            send = Send.from_row(row)
            if keep(conn, send.address):
                continue
            _change(conn, send, SendStatus.DEFERRED,
                    {"retry_after": None, "error": f"{send.error or ''} [re-queued by hand]"[:500], "updated_at": at})
            done.append(send.address)
    return done


def note(db: Database, send_id: int, error: str, *, at: str) -> None:
    """Keep the status, record what happened (for the review list)."""
    with db.transaction() as conn:
        update_columns(conn, "outreach_sends", send_id, {"error": error, "updated_at": at}, _COLUMNS, touch=False)


def last_counted_at(db: Database, mailbox: str) -> str | None:
    row = db.query_one(
        f"SELECT MAX(reserved_at) FROM outreach_sends"
        f" WHERE mailbox = ? AND status IN ({','.join('?' * len(COUNTED))})",
        (mailbox, *COUNTED),
    )
    return row[0] if row else None


def awaiting_review(db: Database) -> list[SendToReview]:
    rows = db.query(
        "SELECT s.id, c.name AS campaign, s.address, s.message_id, s.reserved_at, s.error FROM outreach_sends s"
        " JOIN outreach_campaigns c ON c.id = s.campaign_id WHERE s.status = ? ORDER BY s.id",
        (SendStatus.SENDING,),
    )
    return [SendToReview(**dict(r)) for r in rows]


def count_awaiting_review(db: Database) -> int:
    return db.query_one("SELECT COUNT(*) FROM outreach_sends WHERE status = ?", (SendStatus.SENDING,))[0]
