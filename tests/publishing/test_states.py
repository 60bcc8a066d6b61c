"""Item, publication, attempt and paid-request statuses: enums, one transition table each, CHECKs that agree."""

from __future__ import annotations

import re

import pytest

from moneyprinter.store import content, paid_requests, publications
from moneyprinter.store.accounts import add_account
from moneyprinter.store.db import Database
from moneyprinter.store.migrations import apply_migrations, discover
from moneyprinter.store.states import (
    ITEM_STATES,
    PUBLICATION_STATES,
    AttemptOutcome,
    IllegalTransition,
    ItemStatus,
    PaidRequestStatus,
    PublicationStatus,
)


def check_list(db, table: str, column: str) -> list[str]:
    """The values of ``CHECK (column IN (...))`` in the table's schema as SQLite stores it."""
    sql = db.query_one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))["sql"]
    match = re.search(rf"CHECK \({column} IN \(([^)]*)\)\)", sql)
    assert match, f"{table}.{column} has no CHECK constraint"
    return re.findall(r"'([^']*)'", match.group(1))


@pytest.mark.parametrize("table, column, enum", [
    ("content_items", "status", ItemStatus),
    ("publications", "status", PublicationStatus),
    ("publication_attempts", "outcome", AttemptOutcome),
    ("paid_requests", "status", PaidRequestStatus),
])
def test_check_constraints_list_the_enum_values(db, table, column, enum):
    assert check_list(db, table, column) == [s.value for s in enum]


def _item(db, status="ready", kind="post"):
    account = add_account(db, "x", f"acc{status}")
    return content.create_item(db, account.id, kind, status=status, body="hello")


def test_an_illegal_item_transition_is_refused_and_nothing_is_written(db):
    item = _item(db, "published")
    with pytest.raises(IllegalTransition, match="content item: cannot go from 'published' to 'failed'"):
        content.update_item(db, item.id, status="failed", error="boom")
    stored = content.get_item(db, item.id)
    assert stored.status is ItemStatus.PUBLISHED and stored.error is None


@pytest.mark.parametrize("old, new", [
    ("published", "pending"), ("published", "publishing"), ("rejected", "pending"), ("review", "publishing"),
    ("review", "failed"), ("publishing", "outbox"), ("needs_attention", "outbox"), ("pending", "review"),
])
def test_illegal_publication_transitions_are_refused(db, old, new):
    item = _item(db)
    pub = publications.ensure(db, item.id, item.account_id, "outbox", old)
    with pytest.raises(IllegalTransition, match=f"publication: cannot go from '{old}' to '{new}'"):
        publications.update(db, pub.id, status=new)
    assert publications.get(db, pub.id).status == old


@pytest.mark.parametrize("old, new", [("ready", "rejected"), ("published", "outbox"), ("rejected", "review"),
                                      ("outbox", "ready"), ("draft", "ready")])
def test_illegal_item_transitions(old, new):
    assert not ITEM_STATES.allowed(old, new)


def test_the_tables_allow_what_the_code_does():
    assert PUBLICATION_STATES.allowed("review", "pending") and PUBLICATION_STATES.allowed("pending", "publishing")
    assert PUBLICATION_STATES.allowed("publishing", "needs_attention")
    assert PUBLICATION_STATES.allowed("outbox", "published")
    assert ITEM_STATES.allowed("outbox", "generating") and ITEM_STATES.allowed("generating", "outbox")  # --resume
    with pytest.raises(ValueError):
        ITEM_STATES.allowed("ready", "rendered")  # not a status at all


def test_item_and_publication_change_in_one_transaction(db):
    """If the item's change is refused, the publication's is not written either: they never disagree."""
    item = _item(db, "ready")
    pub = publications.ensure(db, item.id, item.account_id, "outbox", "pending")
    attempt = publications.start_attempt(db, pub, "outbox")
    with pytest.raises(IllegalTransition, match="content item: cannot go from 'ready' to 'rejected'"):
        publications.change(db, pub.id, item={"status": "rejected"}, attempt=(attempt, "failed", "boom"),
                            status="failed", error="boom")
    assert publications.get(db, pub.id).status == "pending" and publications.get(db, pub.id).error is None
    assert publications.attempts(db, pub.id)[0].outcome is AttemptOutcome.RUNNING
    changed = publications.change(db, pub.id, item={"status": "outbox"}, attempt=(attempt, "outbox", None),
                                  status="outbox")
    assert changed.status is PublicationStatus.OUTBOX and content.get_item(db, item.id).status is ItemStatus.OUTBOX
    assert publications.attempts(db, pub.id)[0].outcome is AttemptOutcome.OUTBOX
    with pytest.raises(IllegalTransition, match="publication attempt: cannot go from 'outbox' to 'failed'"):
        publications.finish_attempt(db, attempt, "failed")


def test_paid_request_done_is_final(db):
    item = _item(db)
    assert paid_requests.claim(db, item.id, "venice", "image 1")
    paid_requests.finish(db, item.id, "venice", "image 1", "done", remote_id="r1")
    with pytest.raises(IllegalTransition, match="paid request: cannot go from 'done' to 'failed'"):
        paid_requests.finish(db, item.id, "venice", "image 1", "failed")
    stored = paid_requests.get(db, item.id, "venice", "image 1")
    assert stored.status is PaidRequestStatus.DONE and stored.remote_id == "r1"


def _database_at(path, last: int) -> Database:
    """A database migrated only up to migration number ``last``, as an older release left it."""
    db = Database(path)
    apply_migrations_until(db, last)
    return db


def apply_migrations_until(db: Database, last: int) -> None:
    db.conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for number, name, module in discover():
        if number <= last:
            with db.transaction() as conn:
                module.up(conn)
                conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, '2026-01-01')", (name,))


def test_upgrade_keeps_every_row_and_reference(tmp_path):
    """The rebuilt tables keep their rows; the tables that reference them are not emptied by a cascade."""
    db = _database_at(tmp_path / "old.db", 6)
    now = "2026-01-01T00:00:00+00:00"
    db.conn.execute("INSERT INTO accounts (id, platform, nickname, created_at, updated_at)"
                    " VALUES (1, 'youtube', 'c', ?, ?)", (now, now))
    for item_id, status in ((1, "outbox"), (2, "rendered")):
        db.conn.execute("INSERT INTO content_items (id, account_id, kind, status, error, metadata, created_at,"
                        " updated_at) VALUES (?, 1, 'short', ?, NULL, '{\"topic\": \"owls\"}', ?, ?)",
                        (item_id, status, now, now))
    db.conn.execute("INSERT INTO publications (id, item_id, account_id, publisher, status, created_at, updated_at)"
                    " VALUES (1, 1, 1, 'outbox', 'outbox', ?, ?)", (now, now))
    db.conn.execute("INSERT INTO publication_attempts (publication_id, publisher, outcome, started_at)"
                    " VALUES (1, 'outbox', 'outbox', ?)", (now,))
    db.conn.execute("INSERT INTO paid_requests (item_id, provider, purpose, status, created_at, updated_at)"
                    " VALUES (1, 'venice', 'image 1', 'done', ?, ?)", (now, now))
    apply_migrations(db)
    assert db.query_one("PRAGMA foreign_keys")[0] == 1
    assert [dict(r) for r in db.query("SELECT id, status, error FROM content_items ORDER BY id")] == [
        {"id": 1, "status": "outbox", "error": None},
        {"id": 2, "status": "failed", "error": "unknown status 'rendered' before the upgrade"},
    ]
    assert content.get_item(db, 1).metadata["topic"] == "owls"
    assert [(p.status, p.destination) for p in publications.list_publications(db)] == [("outbox", "youtube")]
    assert [a.outcome for a in publications.attempts(db, 1)] == ["outbox"]
    assert db.query_one("SELECT COUNT(*) FROM paid_requests")[0] == 1
    assert db.query("PRAGMA foreign_key_check") == []
    # the references still cascade as before
    db.conn.execute("DELETE FROM content_items WHERE id = 1")
    assert db.query_one("SELECT COUNT(*) FROM publications")[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM publication_attempts")[0] == 0
    db.close()
