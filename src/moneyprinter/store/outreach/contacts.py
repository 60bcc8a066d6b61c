"""Found emails of businesses (``outreach_emails``), each stored with the page it came from."""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.store.db import Database, insert_ignore, utcnow


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
        return insert_ignore(conn, "outreach_emails", {
            "business_id": business_id, "address": address.lower(), "source_url": source_url, "method": method,
            "own_domain": int(own_domain), "mx_ok": None if mx_ok is None else int(mx_ok), "found_at": utcnow(),
        })


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
