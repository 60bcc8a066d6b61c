"""Publishing: one publication record per content item, its attempts, quota spend, X rate limits, token metadata.

A publication moves review -> pending -> publishing -> published | outbox | failed | needs_attention
(or review -> rejected). ``session_uri``, ``request_ids``, ``file_hash`` and ``state`` hold what a
rerun needs to resume or reconcile instead of publishing twice.
"""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE publications (
            id            INTEGER PRIMARY KEY,
            item_id       INTEGER NOT NULL UNIQUE REFERENCES content_items(id) ON DELETE CASCADE,
            account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            publisher     TEXT NOT NULL,
            status        TEXT NOT NULL CHECK (status IN ('review', 'pending', 'publishing', 'outbox', 'published',
                                                          'failed', 'needs_attention', 'rejected')),
            file_path     TEXT,
            file_hash     TEXT,
            file_size     INTEGER,
            session_uri   TEXT,
            request_ids   TEXT NOT NULL DEFAULT '[]',
            state         TEXT NOT NULL DEFAULT '{}',
            remote_id     TEXT,
            remote_url    TEXT,
            location      TEXT,
            error         TEXT,
            not_before    TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            publishing_at TEXT,
            published_at  TEXT
        );
        CREATE INDEX publications_account_status ON publications (account_id, status);

        CREATE TABLE publication_attempts (
            id             INTEGER PRIMARY KEY,
            publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
            publisher      TEXT NOT NULL,
            outcome        TEXT NOT NULL DEFAULT 'running',
            error          TEXT,
            started_at     TEXT NOT NULL,
            finished_at    TEXT
        );
        CREATE INDEX publication_attempts_pub ON publication_attempts (publication_id);

        CREATE TABLE quota_spend (
            service         TEXT NOT NULL,
            day             TEXT NOT NULL,
            units           INTEGER NOT NULL DEFAULT 0,
            exhausted_until TEXT,
            updated_at      TEXT NOT NULL,
            PRIMARY KEY (service, day)
        );

        CREATE TABLE x_rate_limits (
            account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            endpoint    TEXT NOT NULL,
            limit_total INTEGER,
            remaining   INTEGER,
            reset_at    TEXT,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (account_id, endpoint)
        );

        CREATE TABLE publisher_tokens (
            account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            provider    TEXT NOT NULL,
            path        TEXT NOT NULL,
            scopes      TEXT NOT NULL DEFAULT '',
            expires_at  TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            PRIMARY KEY (account_id, provider)
        );
        """
    )
