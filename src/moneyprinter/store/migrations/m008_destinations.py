"""One content item, many destinations: a publication per (item, destination).

Before, ``publications.item_id`` was UNIQUE (one publication per item, ever). Now each
destination (the platform an item goes to: its own account's, and later others for
cross-posting) has its own publication with its own state and attempts. Existing records get
their account's platform as destination, which is what every new item's own publication uses.
"""

from moneyprinter.store.migrations import run_script

REBUILDS_TABLES = True

PUBLICATION_STATUSES = "'review', 'pending', 'publishing', 'outbox', 'published', 'failed', " \
                       "'needs_attention', 'rejected'"


def up(conn):
    run_script(
        conn,
        f"""
        CREATE TABLE publications_new (
            id            INTEGER PRIMARY KEY,
            item_id       INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
            destination   TEXT NOT NULL,
            account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            publisher     TEXT NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ({PUBLICATION_STATUSES})),
            file_path     TEXT,
            file_hash     TEXT,
            file_size     INTEGER,
            session_uri   TEXT,
            request_ids   TEXT NOT NULL DEFAULT '[]',
            state         TEXT NOT NULL DEFAULT '{{}}',
            remote_id     TEXT,
            remote_url    TEXT,
            location      TEXT,
            error         TEXT,
            not_before    TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            publishing_at TEXT,
            published_at  TEXT,
            UNIQUE (item_id, destination)
        );
        INSERT INTO publications_new
            SELECT p.id, p.item_id, COALESCE(a.platform, 'unknown'), p.account_id, p.publisher, p.status,
                   p.file_path, p.file_hash, p.file_size, p.session_uri, p.request_ids, p.state,
                   p.remote_id, p.remote_url, p.location,
                   p.error, p.not_before, p.created_at, p.updated_at, p.publishing_at, p.published_at
            FROM publications p LEFT JOIN accounts a ON a.id = p.account_id;
        DROP TABLE publications;
        ALTER TABLE publications_new RENAME TO publications;
        CREATE INDEX publications_account_status ON publications (account_id, status);
        CREATE INDEX publications_due ON publications (status, not_before);
        """,
    )
