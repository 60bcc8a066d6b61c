"""Found emails of businesses: which one to write to."""

from __future__ import annotations

from moneyprinter.store.db import Database
from moneyprinter.store.outreach.contacts import Contact, for_business, save

__all__ = ["Contact", "best", "for_business", "save"]


def best(db: Database, business_id: int) -> Contact | None:
    """The first address whose domain does not fail its MX lookup (own domain first, then in the order found)."""
    found = [c for c in for_business(db, business_id) if c.mx_ok is not False]
    return found[0] if found else None
