"""Affiliate products of an X account and when each was last pitched."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from moneyprinter.errors import NotFound
from moneyprinter.store.content import ContentItem, create_item
from moneyprinter.store.db import Database, utcnow


@dataclass
class Product:
    id: int
    account_id: int
    product_key: str
    link: str
    title: str
    description: str = ""
    features: list[str] = field(default_factory=list)
    price: str | None = None
    currency: str | None = None
    source: str = ""
    created_at: str = ""
    updated_at: str = ""
    last_pitched_at: str | None = None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Product:
        data = dict(row)
        data["features"] = json.loads(data["features"] or "[]")
        return cls(**data)


_SELECT = """
    SELECT p.*, (SELECT MAX(pitched_at) FROM product_pitches WHERE product_id = p.id) AS last_pitched_at
    FROM products p
"""


def save_product(
    db: Database,
    account_id: int,
    *,
    product_key: str,
    link: str,
    title: str,
    description: str = "",
    features: list[str] | None = None,
    price: str | None = None,
    currency: str | None = None,
    source: str,
) -> Product:
    """Insert, or refresh the details of the account's product with the same key."""
    now = utcnow()
    with db.transaction() as conn:
        conn.execute(
            """INSERT INTO products (account_id, product_key, link, title, description, features, price, currency,
                                     source, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (account_id, product_key) DO UPDATE SET
                   link = excluded.link, title = excluded.title, description = excluded.description,
                   features = excluded.features, price = excluded.price, currency = excluded.currency,
                   source = excluded.source, updated_at = excluded.updated_at""",
            (account_id, product_key, link, title, description, json.dumps(features or []), price, currency,
             source, now, now),
        )
    return find_product(db, account_id, product_key=product_key)


def find_product(db: Database, account_id: int, *, product_key: str | None = None, link: str | None = None) -> Product | None:
    column, value = ("product_key", product_key) if product_key is not None else ("link", link)
    row = db.query_one(f"{_SELECT} WHERE p.account_id = ? AND p.{column} = ?", (account_id, value))
    return Product.from_row(row) if row else None


def get_product(db: Database, product_id: int) -> Product:
    row = db.query_one(f"{_SELECT} WHERE p.id = ?", (product_id,))
    if row is None:
        raise NotFound(f"no product with id {product_id}", hint="list them with 'moneyprinter products'")
    return Product.from_row(row)


def list_products(db: Database, account_id: int | None = None) -> list[Product]:
    if account_id is None:
        rows = db.query(f"{_SELECT} ORDER BY p.account_id, p.created_at, p.id")
    else:
        rows = db.query(f"{_SELECT} WHERE p.account_id = ? ORDER BY p.created_at, p.id", (account_id,))
    return [Product.from_row(r) for r in rows]


def cutoff(days: int, now: datetime | None = None) -> str:
    """The timestamp before which a pitch no longer blocks the next one."""
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")


def pitched_recently(product: Product, days: int) -> bool:
    return product.last_pitched_at is not None and product.last_pitched_at > cutoff(days)


def next_to_pitch(db: Database, account_id: int, days: int) -> Product | None:
    """The account's product pitched longest ago (never pitched first) that is outside the window."""
    candidates = [p for p in list_products(db, account_id) if not pitched_recently(p, days)]
    candidates.sort(key=lambda p: (p.last_pitched_at or "", p.created_at, p.id))
    return candidates[0] if candidates else None


def create_pitch(db: Database, account_id: int, product_id: int, *, title: str, body: str,
                 metadata: dict[str, Any]) -> ContentItem:
    """The pitch's content item and the record of the pitch, stored together (before the publisher runs)."""
    with db.transaction() as conn:
        item = create_item(db, account_id, "pitch", title=title, body=body, metadata=metadata)
        conn.execute(
            "INSERT INTO product_pitches (product_id, content_item_id, pitched_at) VALUES (?, ?, ?)",
            (product_id, item.id, utcnow()),
        )
    return item
