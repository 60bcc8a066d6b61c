"""Businesses found by discovery, deduplicated by keys the caller computes (``outreach/businesses.py``)."""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass

from moneyprinter.store.db import Database, insert_ignore, update_columns, utcnow

FIELDS = ("name", "address", "city", "phone", "website", "category")


@dataclass
class Business:
    id: int
    name: str
    address: str
    city: str
    phone: str
    website: str
    category: str
    source: str
    domain: str
    emails_checked_at: str | None
    emails_note: str = ""  # what the last email search found or skipped, and why

    def fields(self) -> dict[str, str]:
        """What templates see as ``business``."""
        data = asdict(self)
        data.pop("emails_checked_at")
        data.pop("emails_note")
        return data

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Business:
        return cls(
            id=row["id"], name=row["name"], address=row["address"], city=row["city"], phone=row["phone"],
            website=row["website"], category=row["category"], source=row["source"],
            domain=(row["domain_key"] or ""), emails_checked_at=row["emails_checked_at"],
            emails_note=row["emails_note"] or "",
        )


@dataclass(frozen=True)
class Keys:
    """How a business is recognised again: its website domain, else its phone, else name plus address."""

    domain: str | None
    phone: str | None
    name: str  # the name key; used for matching only when the business has an address
    has_address: bool


def _find_duplicate(conn: sqlite3.Connection, keys: Keys) -> sqlite3.Row | None:
    if keys.domain:
        row = conn.execute("SELECT * FROM outreach_businesses WHERE domain_key = ?", (keys.domain,)).fetchone()
        if row:
            return row
    candidates = []
    if keys.phone:
        candidates.append(("phone_key", keys.phone))
    if keys.has_address:
        candidates.append(("name_key", keys.name))
    for column, value in candidates:
        row = conn.execute(f"SELECT * FROM outreach_businesses WHERE {column} = ?", (value,)).fetchone()
        if row and not (keys.domain and row["domain_key"] and row["domain_key"] != keys.domain):
            return row  # a match with another website is another business
    return None


def save(db: Database, fields: dict[str, str], source: str, keys: Keys,
         domain_of=lambda website: None, phone_of=lambda phone: None) -> tuple[int, bool]:
    """Store a business or fill in the fields its duplicate lacks. Returns (business id, created).

    ``domain_of`` and ``phone_of`` compute the keys of merged fields, for a stored row that had none.
    """
    now = utcnow()
    with db.transaction() as conn:
        existing = _find_duplicate(conn, keys)
        if existing is None:
            cur = conn.execute(
                "INSERT INTO outreach_businesses (name, address, city, phone, website, category, source,"
                " domain_key, phone_key, name_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*(fields[f] for f in FIELDS), source, keys.domain, keys.phone, keys.name, now, now),
            )
            return cur.lastrowid, True
        merged = {f: existing[f] or fields[f] for f in FIELDS}
        merged["domain_key"] = existing["domain_key"] or domain_of(merged["website"])
        merged["phone_key"] = existing["phone_key"] or phone_of(merged["phone"])
        update_columns(conn, "outreach_businesses", existing["id"], merged,
                       frozenset({*FIELDS, "domain_key", "phone_key"}))
        return existing["id"], False


def get(db: Database, business_id: int) -> Business:
    return Business.from_row(db.query_one("SELECT * FROM outreach_businesses WHERE id = ?", (business_id,)))


def for_campaign(db: Database, campaign_id: int) -> list[Business]:
    rows = db.query(
        "SELECT b.* FROM outreach_businesses b JOIN outreach_campaign_businesses cb ON cb.business_id = b.id"
        " WHERE cb.campaign_id = ? ORDER BY b.id",
        (campaign_id,),
    )
    return [Business.from_row(r) for r in rows]


def link_to_campaign(db: Database, campaign_id: int, business_id: int) -> None:
    with db.transaction() as conn:
        insert_ignore(conn, "outreach_campaign_businesses",
                      {"campaign_id": campaign_id, "business_id": business_id, "added_at": utcnow()})


def mark_emails_checked(db: Database, business_id: int, note: str) -> None:
    with db.transaction() as conn:
        changes = {"emails_checked_at": utcnow(), "emails_note": note[:500]}
        update_columns(conn, "outreach_businesses", business_id, changes, frozenset(changes), touch=False)
