"""Outreach campaigns may be 'paused' (too many recipient errors in a row; resumed by hand), and
replies are matched to sends by Message-ID (an index).

SQLite cannot alter a CHECK constraint, and rebuilding ``outreach_campaigns`` would cascade-delete
its sends and businesses (foreign keys are on and cannot be switched off inside a transaction).
Widening a CHECK list does not change any stored row, which is the case SQLite documents as safe
for editing the schema text directly (https://www.sqlite.org/lang_altertable.html, "writable_schema").
"""

OLD = "CHECK (status IN ('active', 'stopped'))"
NEW = "CHECK (status IN ('active', 'stopped', 'paused'))"


def up(conn):
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'outreach_campaigns' AND instr(sql, ?) > 0",
            (OLD, NEW, OLD),
        ).rowcount
        if changed != 1:
            raise RuntimeError("outreach_campaigns: status CHECK constraint not found")
        conn.execute(f"PRAGMA schema_version = {version + 1}")  # other connections re-read the schema
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("CREATE INDEX outreach_sends_message_id ON outreach_sends (message_id)")
