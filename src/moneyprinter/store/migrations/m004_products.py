"""Affiliate products (per X account) and the record of each pitch made for them."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE products (
            id           INTEGER PRIMARY KEY,
            account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            product_key  TEXT NOT NULL,
            link         TEXT NOT NULL,
            title        TEXT NOT NULL,
            description  TEXT NOT NULL DEFAULT '',
            features     TEXT NOT NULL DEFAULT '[]',
            price        TEXT,
            currency     TEXT,
            source       TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            UNIQUE (account_id, product_key)
        );

        CREATE TABLE product_pitches (
            id              INTEGER PRIMARY KEY,
            product_id      INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
            content_item_id INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
            pitched_at      TEXT NOT NULL
        );
        CREATE INDEX product_pitches_product ON product_pitches (product_id, pitched_at);
        """
    )
