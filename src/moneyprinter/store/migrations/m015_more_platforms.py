"""Accounts on the networks a Short or post is cross-posted to: TikTok, Bluesky, Mastodon, Instagram, Threads.

Widening a CHECK list changes no stored row, so the schema text is edited in place as m014 does
(rebuilding ``accounts`` would cascade-delete every item, schedule and publication).
"""

OLD = "CHECK (platform IN ('youtube', 'x'))"
NEW = "CHECK (platform IN ('youtube', 'x', 'tiktok', 'bluesky', 'mastodon', 'instagram', 'threads'))"


def up(conn):
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'accounts' AND instr(sql, ?) > 0",
            (OLD, NEW, OLD),
        ).rowcount
        if changed != 1:
            raise RuntimeError("accounts: platform CHECK constraint not found")
        conn.execute(f"PRAGMA schema_version = {version + 1}")  # other connections re-read the schema
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
