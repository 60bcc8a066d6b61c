"""Accounts and content items: the tables every capability shares."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE accounts (
            id          INTEGER PRIMARY KEY,
            platform    TEXT NOT NULL CHECK (platform IN ('youtube', 'x')),
            nickname    TEXT NOT NULL,
            topic       TEXT NOT NULL DEFAULT '',
            language    TEXT NOT NULL DEFAULT 'en',
            publisher   TEXT NOT NULL DEFAULT 'outbox',
            approval    TEXT NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto', 'manual')),
            options     TEXT NOT NULL DEFAULT '{}',
            external_id TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            UNIQUE (platform, nickname)
        );

        CREATE TABLE content_items (
            id          INTEGER PRIMARY KEY,
            account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'draft',
            title       TEXT NOT NULL DEFAULT '',
            body        TEXT NOT NULL DEFAULT '',
            metadata    TEXT NOT NULL DEFAULT '{}',
            media_path  TEXT,
            work_dir    TEXT,
            error       TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE INDEX content_items_account ON content_items (account_id, created_at);
        """
    )
