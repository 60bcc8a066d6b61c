"""The campaign record: niche, location, sender identity and template."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from moneyprinter.errors import NotFound, UsageError
from moneyprinter.outreach import templates
from moneyprinter.store.db import Database, utcnow

DEFAULT_SUBJECT = "A question about {{ business.name }}"
DEFAULT_TEXT = """Hello {{ business.name }} team,

I came across your {{ campaign.niche }} business{% if business.city %} in {{ business.city }}{% endif %} \
and wanted to ask whether you would be open to a short conversation about {{ campaign.niche }} marketing.

Best regards,
{{ sender.name }}
"""
DEFAULT_HTML = """<p>Hello {{ business.name }} team,</p>
<p>I came across your {{ campaign.niche }} business{% if business.city %} in {{ business.city }}{% endif %}
and wanted to ask whether you would be open to a short conversation about {{ campaign.niche }} marketing.</p>
<p>Best regards,<br>{{ sender.name }}</p>
"""

EDITABLE = ("niche", "location", "sender_name", "sender_email", "postal_address", "subject", "body_text",
            "body_html", "auto_send")


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
    status: str
    stop_reason: str | None
    created_at: str

    def fields(self) -> dict[str, str]:
        return {"name": self.name, "niche": self.niche, "location": self.location}

    def sender(self) -> dict[str, str]:
        return {"name": self.sender_name, "email": self.sender_email, "postal_address": self.postal_address}


def _from_row(row: sqlite3.Row) -> Campaign:
    return Campaign(
        id=row["id"], name=row["name"], niche=row["niche"], location=row["location"],
        sender_name=row["sender_name"], sender_email=row["sender_email"], postal_address=row["postal_address"],
        subject=row["subject"], body_text=row["body_text"], body_html=row["body_html"],
        auto_send=bool(row["auto_send"]), status=row["status"], stop_reason=row["stop_reason"],
        created_at=row["created_at"],
    )


def check_sender_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise UsageError(f"sender email '{value}' is not valid: {exc}", hint="use an address like you@yourcompany.com") from None


def create(
    db: Database, name: str, *, niche: str, location: str, sender_name: str, sender_email: str,
    postal_address: str = "", subject: str | None = None, body_text: str | None = None,
    body_html: str | None = None, auto_send: bool = False,
) -> Campaign:
    name = name.strip()
    if not name or not niche.strip() or not sender_name.strip():
        raise UsageError("a campaign needs a name, a niche and a sender name")
    sender_email = check_sender_email(sender_email)
    if body_html is None:  # the default HTML would say something else than the user's own text
        body_html = "" if body_text else DEFAULT_HTML
    elif body_html.strip() and not body_text:
        raise _needs_own_text()
    subject, body_text = subject or DEFAULT_SUBJECT, body_text or DEFAULT_TEXT
    templates.check_syntax(subject, body_text, body_html)
    now = utcnow()
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM outreach_campaigns WHERE name = ?", (name,)).fetchone():
            raise UsageError(f"campaign '{name}' already exists", hint="choose another name or use 'outreach edit'")
        conn.execute(
            "INSERT INTO outreach_campaigns (name, niche, location, sender_name, sender_email, postal_address,"
            " subject, body_text, body_html, auto_send, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (name, niche.strip(), location.strip(), sender_name.strip(), sender_email, postal_address.strip(),
             subject, body_text, body_html, int(auto_send), now, now),
        )
    return get(db, name)


def _needs_own_text() -> UsageError:
    return UsageError("an HTML template needs a text template saying the same",
                      hint="give --text-file too (mail clients show one part or the other)")


def get(db: Database, name: str) -> Campaign:
    row = db.query_one("SELECT * FROM outreach_campaigns WHERE name = ?", (name,))
    if row is None:
        raise NotFound(f"no outreach campaign named '{name}'", hint="see 'moneyprinter outreach list'")
    return _from_row(row)


def list_all(db: Database) -> list[Campaign]:
    return [_from_row(r) for r in db.query("SELECT * FROM outreach_campaigns ORDER BY id")]


def update(db: Database, campaign: Campaign, **changes) -> Campaign:
    changes = {k: v for k, v in changes.items() if v is not None}
    unknown = set(changes) - set(EDITABLE) - {"status", "stop_reason"}
    if unknown:
        raise UsageError(f"cannot change {', '.join(sorted(unknown))}")
    if "sender_email" in changes:
        changes["sender_email"] = check_sender_email(changes["sender_email"])
    if "body_text" in changes and "body_html" not in changes and campaign.body_html == DEFAULT_HTML:
        changes["body_html"] = ""  # the default HTML would contradict the user's own text
    if changes.get("body_html", "").strip() and changes.get("body_text", campaign.body_text) == DEFAULT_TEXT:
        raise _needs_own_text()
    if {"subject", "body_text", "body_html"} & set(changes):
        templates.check_syntax(changes.get("subject", campaign.subject), changes.get("body_text", campaign.body_text),
                               changes.get("body_html", campaign.body_html))
    if not changes:
        return campaign
    sets = ", ".join(f"{k} = ?" for k in changes)
    values = [int(v) if isinstance(v, bool) else v for v in changes.values()]
    with db.transaction() as conn:
        conn.execute(f"UPDATE outreach_campaigns SET {sets}, updated_at = ? WHERE id = ?", (*values, utcnow(), campaign.id))
    return get(db, campaign.name)


def stats(db: Database, campaign_id: int) -> dict[str, int]:
    counts = {"businesses": 0, "with_email": 0, "sending": 0, "sent": 0, "deferred": 0, "failed": 0}
    counts["businesses"] = db.query_one(
        "SELECT COUNT(*) FROM outreach_campaign_businesses WHERE campaign_id = ?", (campaign_id,))[0]
    counts["with_email"] = db.query_one(
        "SELECT COUNT(DISTINCT e.business_id) FROM outreach_emails e JOIN outreach_campaign_businesses cb"
        " ON cb.business_id = e.business_id WHERE cb.campaign_id = ?", (campaign_id,))[0]
    for row in db.query("SELECT status, COUNT(*) FROM outreach_sends WHERE campaign_id = ? GROUP BY status", (campaign_id,)):
        counts[row[0]] = row[1]
    return counts
