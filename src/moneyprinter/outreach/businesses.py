"""The normalized businesses table and its dedup rules.

A business is the same as one already stored when its website domain matches, else its phone
number, else its name plus address. A match fills in the fields the stored row lacks.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from moneyprinter.store.db import Database, utcnow

FIELDS = ("name", "address", "city", "phone", "website", "category")


@dataclass
class BusinessIn:
    """A business as a discovery source reports it (any field may be empty but the name)."""

    name: str
    address: str = ""
    city: str = ""
    phone: str = ""
    website: str = ""
    category: str = ""
    source: str = ""
    emails: list[str] = field(default_factory=list)  # emails the source itself listed


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

    def fields(self) -> dict[str, str]:
        """What templates see as ``business``."""
        data = asdict(self)
        data.pop("emails_checked_at")
        return data


def normalize_website(raw: str) -> str:
    """'example.com/x' -> 'http://example.com/x'; anything without a host -> ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not re.match(r"^https?://", raw, re.I):
        if "://" in raw or " " in raw:
            return ""
        raw = "http://" + raw
    host = urlsplit(raw).hostname
    return raw if host and "." in host or host in ("localhost",) or _is_ip(host) else ""


def _is_ip(host: str | None) -> bool:
    return bool(host) and re.fullmatch(r"[\d.]+", host or "") is not None


def domain_key(website: str) -> str | None:
    """The host without 'www.', or None. Social and map links are not a business's own domain."""
    host = urlsplit(website).hostname if website else None
    if not host:
        return None
    host = host.lower().removeprefix("www.")
    port = urlsplit(website).port
    if any(host == d or host.endswith("." + d) for d in SHARED_HOSTS):
        return None
    return f"{host}:{port}" if port else host


# Hosts many businesses share: a link there does not identify one business.
SHARED_HOSTS = ("facebook.com", "instagram.com", "google.com", "goo.gl", "linktr.ee", "yelp.com", "wa.me")


def phone_key(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    return digits[-9:] if len(digits) >= 6 else None  # the last 9 digits ignore country-code spelling


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(name: str, address: str) -> str:
    return f"{_fold(name)}|{_fold(address)}"


def _row_to_business(row: sqlite3.Row) -> Business:
    return Business(
        id=row["id"], name=row["name"], address=row["address"], city=row["city"], phone=row["phone"],
        website=row["website"], category=row["category"], source=row["source"],
        domain=(row["domain_key"] or ""), emails_checked_at=row["emails_checked_at"],
    )


def find_duplicate(conn: sqlite3.Connection, item: BusinessIn) -> sqlite3.Row | None:
    website = normalize_website(item.website)
    dkey = domain_key(website)
    if dkey:
        row = conn.execute("SELECT * FROM outreach_businesses WHERE domain_key = ?", (dkey,)).fetchone()
        if row:
            return row
    pkey = phone_key(item.phone)
    if pkey:
        row = conn.execute("SELECT * FROM outreach_businesses WHERE phone_key = ?", (pkey,)).fetchone()
        if row and not (dkey and row["domain_key"] and row["domain_key"] != dkey):
            return row
    if item.address:
        row = conn.execute(
            "SELECT * FROM outreach_businesses WHERE name_key = ?", (name_key(item.name, item.address),)
        ).fetchone()
        if row and not (dkey and row["domain_key"] and row["domain_key"] != dkey):
            return row
    return None


def upsert(db: Database, item: BusinessIn) -> tuple[int, bool]:
    """Store ``item`` or merge it into its duplicate. Returns (business id, created)."""
    if not item.name.strip():
        raise ValueError("a business needs a name")
    website = normalize_website(item.website)
    now = utcnow()
    with db.transaction() as conn:
        existing = find_duplicate(conn, item)
        if existing is None:
            cur = conn.execute(
                "INSERT INTO outreach_businesses (name, address, city, phone, website, category, source,"
                " domain_key, phone_key, name_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (item.name.strip(), item.address.strip(), item.city.strip(), item.phone.strip(), website,
                 item.category.strip(), item.source, domain_key(website), phone_key(item.phone),
                 name_key(item.name, item.address), now, now),
            )
            return cur.lastrowid, True
        merged = {f: existing[f] or (website if f == "website" else getattr(item, f).strip()) for f in FIELDS}
        conn.execute(
            "UPDATE outreach_businesses SET name=?, address=?, city=?, phone=?, website=?, category=?,"
            " domain_key=?, phone_key=?, updated_at=? WHERE id=?",
            (merged["name"], merged["address"], merged["city"], merged["phone"], merged["website"],
             merged["category"], existing["domain_key"] or domain_key(merged["website"]),
             existing["phone_key"] or phone_key(merged["phone"]), now, existing["id"]),
        )
        return existing["id"], False


def get(db: Database, business_id: int) -> Business:
    return _row_to_business(db.query_one("SELECT * FROM outreach_businesses WHERE id = ?", (business_id,)))


def for_campaign(db: Database, campaign_id: int) -> list[Business]:
    rows = db.query(
        "SELECT b.* FROM outreach_businesses b JOIN outreach_campaign_businesses cb ON cb.business_id = b.id"
        " WHERE cb.campaign_id = ? ORDER BY b.id",
        (campaign_id,),
    )
    return [_row_to_business(r) for r in rows]


def link_to_campaign(db: Database, campaign_id: int, business_id: int) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO outreach_campaign_businesses (campaign_id, business_id, added_at) VALUES (?,?,?)",
            (campaign_id, business_id, utcnow()),
        )


def mark_emails_checked(db: Database, business_id: int, note: str) -> None:
    with db.transaction() as conn:
        conn.execute(
            "UPDATE outreach_businesses SET emails_checked_at = ?, emails_note = ? WHERE id = ?",
            (utcnow(), note[:500], business_id),
        )
