"""Answers to outreach messages, one row per answer's Message-ID, so that reading the inbox again
(after a crash, or because a person's reply is left unread for them) never counts one twice."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE outreach_replies (
            id              INTEGER PRIMARY KEY,
            message_id      TEXT NOT NULL UNIQUE,
            send_id         INTEGER NOT NULL REFERENCES outreach_sends(id) ON DELETE CASCADE,
            kind            TEXT NOT NULL CHECK (kind IN ('reply', 'auto_reply', 'unsubscribe')),
            sender          TEXT NOT NULL,
            subject         TEXT NOT NULL DEFAULT '',
            snippet         TEXT NOT NULL DEFAULT '',
            received_at     TEXT NOT NULL,
            recorded_at     TEXT NOT NULL
        );
        CREATE INDEX outreach_replies_send ON outreach_replies (send_id, kind);
        CREATE INDEX outreach_replies_sender ON outreach_replies (sender, kind);
        """,
    )
