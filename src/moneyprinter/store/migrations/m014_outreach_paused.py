"""Outreach campaigns may be 'paused' (too many recipient errors in a row; resumed by hand), and
replies are matched to sends by Message-ID (an index).

SQLite cannot alter a CHECK constraint, and rebuilding ``outreach_campaigns`` would cascade-delete
its sends and businesses (foreign keys are on and cannot be switched off inside a transaction).
Widening a CHECK list does not change any stored row, which is the case SQLite documents as safe
for editing the schema text directly (https://www.sqlite.org/lang_altertable.html, "writable_schema").
"""

from moneyprinter.store.migrations import widen_check

OLD = "CHECK (status IN ('active', 'stopped'))"
NEW = "CHECK (status IN ('active', 'stopped', 'paused'))"


def up(conn):
    widen_check(conn, "outreach_campaigns", OLD, NEW)
    conn.execute("CREATE INDEX outreach_sends_message_id ON outreach_sends (message_id)")
