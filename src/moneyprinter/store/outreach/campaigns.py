"""Outreach campaigns: the record, its status and its counts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from moneyprinter.store.db import Database, insert_ignore, update_columns, utcnow
from moneyprinter.store.states import CAMPAIGN_STATUSES, CampaignStatus, ReplyKind, SendStatus

EDITABLE = frozenset({"niche", "location", "sender_name", "sender_email", "postal_address", "subject", "body_text",
                      "body_html", "auto_send"})


@dataclass
class Campaign:
    id: int
    name: str
    niche: str
    location: str
    sender_name: str
    sender_email: str
    postal_address: str
    subject: str
    body_text: str
    body_html: str
    auto_send: bool
    status: CampaignStatus
    stop_reason: str | None
    created_at: str

    def fields(self) -> dict[str, str]:
        return {"name": self.name, "niche": self.niche, "location": self.location}

    def sender(self) -> dict[str, str]:
        return {"name": self.sender_name, "email": self.sender_email, "postal_address": self.postal_address}

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Campaign:
        return cls(
            id=row["id"], name=row["name"], niche=row["niche"], location=row["location"],
            sender_name=row["sender_name"], sender_email=row["sender_email"], postal_address=row["postal_address"],
            subject=row["subject"], body_text=row["body_text"], body_html=row["body_html"],
            auto_send=bool(row["auto_send"]), status=CampaignStatus(row["status"]), stop_reason=row["stop_reason"],
            created_at=row["created_at"],
        )


def insert(db: Database, name: str, fields: dict) -> bool:
    """A new active campaign; False if the name is taken."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise ValueError(f"outreach_campaigns: unknown column(s) {', '.join(sorted(unknown))}")
    now = utcnow()
    values = {"name": name, **{k: int(v) if isinstance(v, bool) else v for k, v in fields.items()},
              "created_at": now, "updated_at": now}
    with db.transaction() as conn:
        return insert_ignore(conn, "outreach_campaigns", values)


def find(db: Database, name: str) -> Campaign | None:
    row = db.query_one("SELECT * FROM outreach_campaigns WHERE name = ?", (name,))
    return Campaign.from_row(row) if row else None


def get_by_id(db: Database, campaign_id: int) -> Campaign:
    return Campaign.from_row(db.query_one("SELECT * FROM outreach_campaigns WHERE id = ?", (campaign_id,)))


def list_all(db: Database) -> list[Campaign]:
    return [Campaign.from_row(r) for r in db.query("SELECT * FROM outreach_campaigns ORDER BY id")]


def count(db: Database) -> int:
    return db.query_one("SELECT COUNT(*) FROM outreach_campaigns")[0]


def update(db: Database, campaign_id: int, changes: dict) -> None:
    values = {k: int(v) if isinstance(v, bool) else v for k, v in changes.items()}
    with db.transaction() as conn:
        update_columns(conn, "outreach_campaigns", campaign_id, values, EDITABLE)


def set_status(db: Database, campaign_id: int, status: CampaignStatus, stop_reason: str) -> None:
    """Stop or restart a campaign; ``IllegalTransition`` if its table does not allow the change."""
    with db.transaction() as conn:
        current = conn.execute("SELECT status FROM outreach_campaigns WHERE id = ?", (campaign_id,)).fetchone()
        new = CAMPAIGN_STATUSES.check(current["status"], status)
        update_columns(conn, "outreach_campaigns", campaign_id, {"status": new, "stop_reason": stop_reason},
                       frozenset({"status", "stop_reason"}))


def stats(db: Database, campaign_id: int) -> dict[str, int]:
    counts = {"businesses": 0, "with_email": 0, **{s.value: 0 for s in SendStatus}}
    counts["businesses"] = db.query_one(
        "SELECT COUNT(*) FROM outreach_campaign_businesses WHERE campaign_id = ?", (campaign_id,))[0]
    counts["with_email"] = db.query_one(
        "SELECT COUNT(DISTINCT e.business_id) FROM outreach_emails e JOIN outreach_campaign_businesses cb"
        " ON cb.business_id = e.business_id WHERE cb.campaign_id = ?", (campaign_id,))[0]
    for row in db.query("SELECT status, COUNT(*) FROM outreach_sends WHERE campaign_id = ? GROUP BY status", (campaign_id,)):
        counts[row[0]] = row[1]
    return counts


def outcome_counts(db: Database, campaign_id: int) -> dict[str, int]:
    """How the campaign's mailed addresses answered. Bounced (a hard bounce at send time or a DSN) and
    unsubscribed (one-click, or a reply asking to stop) come from the suppression list; replied (a
    person answered) and auto_replied (an out-of-office) count contacts, not messages, from the replies."""
    row = db.query_one(
        "SELECT COALESCE(SUM(x.reason LIKE 'hard bounce%' OR x.reason LIKE 'bounce%'), 0),"
        " COALESCE(SUM(x.reason = 'one-click unsubscribe' OR x.reason = 'unsubscribe reply'), 0)"
        " FROM outreach_sends s JOIN outreach_suppressions x ON x.kind = 'address' AND x.value = s.address"
        " WHERE s.campaign_id = ?", (campaign_id,))
    answered = {r["kind"]: r["contacts"] for r in db.query(
        "SELECT r.kind, COUNT(DISTINCT r.send_id) AS contacts FROM outreach_replies r"
        " JOIN outreach_sends s ON s.id = r.send_id WHERE s.campaign_id = ? GROUP BY r.kind", (campaign_id,))}
    return {"bounced": row[0], "unsubscribed": row[1], "replied": answered.get(ReplyKind.REPLY, 0),
            "auto_replied": answered.get(ReplyKind.AUTO_REPLY, 0)}
