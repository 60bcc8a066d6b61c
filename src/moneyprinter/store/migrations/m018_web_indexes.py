"""Indexes for the web pages' lists: history newest first (optionally by kind and status)."""

from __future__ import annotations

from moneyprinter.store.migrations import run_script


def up(conn) -> None:
    run_script(conn, """
        CREATE INDEX IF NOT EXISTS content_items_created ON content_items (created_at, id);
        CREATE INDEX IF NOT EXISTS content_items_kind_status ON content_items (kind, status, created_at);
        """)
