"""Found emails of businesses, each stored with the page it came from."""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.store.db import Database, utcnow


@dataclass
class Contact:
    business_id: int
    address: str
    source_url: str
    method: str
    own_domain: bool
    mx_ok: bool | None


def save(db: Database, business_id: int, address: str, source_url: str, method: str, own_domain: bool,
         mx_ok: bool | None = None) -> bool:
    """Store one address for a business; returns False when it was already known."""
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT OR IGNORE INTO outreach_emails (business_id, address, source_url, method, own_domain, mx_ok,"
            " found_at) VALUES (?,?,?,?,?,?,?)",
            (business_id, address.lower(), source_url, method, int(own_domain),
             None if mx_ok is None else int(mx_ok), utcnow()),
        )
        return cur.rowcount == 1


def for_business(db: Database, business_id: int) -> list[Contact]:
    """Best first: own domain, not failing MX, then in the order found."""
    rows = db.query(
        "SELECT * FROM outreach_emails WHERE business_id = ?"
        " ORDER BY own_domain DESC, COALESCE(mx_ok, 1) DESC, id",
        (business_id,),
    )
    return [
        Contact(r["business_id"], r["address"], r["source_url"], r["method"], bool(r["own_domain"]),
                None if r["mx_ok"] is None else bool(r["mx_ok"]))
        for r in rows
    ]


def best(db: Database, business_id: int) -> Contact | None:
    found = [c for c in for_business(db, business_id) if c.mx_ok is not False]
    return found[0] if found else None
