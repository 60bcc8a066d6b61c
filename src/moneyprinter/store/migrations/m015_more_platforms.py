"""Accounts on the networks a Short or post is cross-posted to: TikTok, Bluesky, Mastodon, Instagram, Threads.

The CHECK list is widened in place (rebuilding ``accounts`` would cascade-delete every item,
schedule and publication).
"""

from moneyprinter.store.migrations import widen_check

OLD = "CHECK (platform IN ('youtube', 'x'))"
NEW = "CHECK (platform IN ('youtube', 'x', 'tiktok', 'bluesky', 'mastodon', 'instagram', 'threads'))"


def up(conn):
    widen_check(conn, "accounts", OLD, NEW)
