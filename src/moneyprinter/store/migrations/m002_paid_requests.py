"""Paid requests (image generation, transcription) recorded before they are made.

A row is claimed in 'started' before the call. 'done' and 'failed' (the service answered with an
error, so nothing was charged) are final; a row left in 'started' means the outcome is unknown
(crash or timeout), and the request is never repeated for that purpose.
"""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE paid_requests (
            id          INTEGER PRIMARY KEY,
            item_id     INTEGER NOT NULL REFERENCES content_items(id) ON DELETE CASCADE,
            provider    TEXT NOT NULL,
            purpose     TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'started' CHECK (status IN ('started', 'done', 'failed')),
            remote_id   TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL,
            UNIQUE (item_id, provider, purpose)
        );
        """
    )
