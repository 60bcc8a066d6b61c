"""Answers to our messages (``outreach_replies``), each tied to the send it answers.

The answer's own Message-ID is unique: reading the same message again (a re-poll, or a poll that
died before it could mark the message read) records nothing new.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from moneyprinter.store.db import Database, insert_ignore
from moneyprinter.store.outreach import sends
from moneyprinter.store.states import ReplyKind


@dataclass
class Reply:
    """One answer, with the business and the address our message went to."""

    message_id: str
    kind: ReplyKind
    business: str
    address: str  # the address we wrote to
    sender: str  # who answered (may be another mailbox)
    subject: str
    snippet: str
    received_at: str


def record(db: Database, send_id: int, *, message_id: str, kind: ReplyKind, sender: str, subject: str,
           snippet: str, received_at: str, at: str) -> bool:
    """Store an answer unless its Message-ID is known; True if it is new. An answer proves that the
    message arrived, so a send whose outcome was unknown is confirmed sent in the same transaction."""
    with db.transaction() as conn:
        new = insert_ignore(conn, "outreach_replies", {
            "message_id": message_id, "send_id": send_id, "kind": ReplyKind(kind), "sender": sender,
            "subject": subject, "snippet": snippet, "received_at": received_at, "recorded_at": at,
        })
        if new:
            sends.confirm_delivered(conn, send_id, at=at)
        return new


def for_campaign(db: Database, campaign_id: int, kinds: tuple[ReplyKind, ...]) -> list[Reply]:
    """The campaign's answers of these kinds, newest first."""
    rows = db.query(
        f"SELECT r.message_id, r.kind, b.name AS business, s.address, r.sender, r.subject, r.snippet, r.received_at"
        f" FROM outreach_replies r JOIN outreach_sends s ON s.id = r.send_id"
        f" JOIN outreach_businesses b ON b.id = s.business_id"
        f" WHERE s.campaign_id = ? AND r.kind IN ({','.join('?' * len(kinds))})"
        f" ORDER BY r.received_at DESC, r.id DESC",
        (campaign_id, *kinds),
    )
    return [Reply(**{**dict(r), "kind": ReplyKind(r["kind"])}) for r in rows]


def first_reply_at(conn: sqlite3.Connection, campaign_id: int, business_id: int, address: str) -> str | None:
    """When someone at this business or address first answered the campaign in person, or None.
    Runs inside the caller's transaction (the ledger's reservation)."""
    row = conn.execute(
        "SELECT MIN(r.received_at) FROM outreach_replies r JOIN outreach_sends s ON s.id = r.send_id"
        " WHERE s.campaign_id = ? AND r.kind = ? AND (s.business_id = ? OR s.address = ? OR r.sender = ?)",
        (campaign_id, ReplyKind.REPLY, business_id, address, address),
    ).fetchone()
    return row[0] if row else None
