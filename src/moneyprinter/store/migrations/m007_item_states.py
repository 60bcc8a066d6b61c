"""CHECK constraints for the content item statuses and the publication attempt outcomes.

The lists match ``states.ItemStatus`` and ``states.AttemptOutcome`` (a test compares them). SQLite
cannot add a CHECK to a table, so both tables are rebuilt. A value the code never wrote (a hand
edit) becomes 'failed', and the old value is kept in the row's error text: nothing is lost.
"""

from moneyprinter.store.migrations import run_script

REBUILDS_TABLES = True

ITEM_STATUSES = "'draft', 'generating', 'ready', 'failed', 'review', 'pending', 'outbox', 'published', " \
                "'needs_attention', 'rejected'"
ATTEMPT_OUTCOMES = "'running', 'interrupted', 'deferred', 'needs_attention', 'failed', 'published', 'outbox'"


def up(conn):
    run_script(
        conn,
        f"""
        CREATE TABLE content_items_new (
            id          INTEGER PRIMARY KEY,
            account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ({ITEM_STATUSES})),
            title       TEXT NOT NULL DEFAULT '',
            body        TEXT NOT NULL DEFAULT '',
            metadata    TEXT NOT NULL DEFAULT '{{}}',
            media_path  TEXT,
            work_dir    TEXT,
            error       TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        INSERT INTO content_items_new (id, account_id, kind, status, title, body, metadata, media_path, work_dir,
                                       error, created_at, updated_at)
            SELECT id, account_id, kind,
                   CASE WHEN status IN ({ITEM_STATUSES}) THEN status ELSE 'failed' END,
                   title, body, metadata, media_path, work_dir,
                   CASE WHEN status IN ({ITEM_STATUSES}) THEN error
                        ELSE 'unknown status ''' || status || ''' before the upgrade'
                             || COALESCE('; ' || error, '') END,
                   created_at, updated_at
            FROM content_items;
        DROP TABLE content_items;
        ALTER TABLE content_items_new RENAME TO content_items;
        CREATE INDEX content_items_account ON content_items (account_id, created_at);

        CREATE TABLE publication_attempts_new (
            id             INTEGER PRIMARY KEY,
            publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
            publisher      TEXT NOT NULL,
            outcome        TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ({ATTEMPT_OUTCOMES})),
            error          TEXT,
            started_at     TEXT NOT NULL,
            finished_at    TEXT
        );
        INSERT INTO publication_attempts_new (id, publication_id, publisher, outcome, error, started_at, finished_at)
            SELECT id, publication_id, publisher,
                   CASE WHEN outcome IN ({ATTEMPT_OUTCOMES}) THEN outcome ELSE 'failed' END,
                   CASE WHEN outcome IN ({ATTEMPT_OUTCOMES}) THEN error
                        ELSE 'unknown outcome ''' || outcome || ''' before the upgrade'
                             || COALESCE('; ' || error, '') END,
                   started_at, finished_at
            FROM publication_attempts;
        DROP TABLE publication_attempts;
        ALTER TABLE publication_attempts_new RENAME TO publication_attempts;
        CREATE INDEX publication_attempts_pub ON publication_attempts (publication_id);
        """,
    )
