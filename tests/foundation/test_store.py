"""The SQLite store: pragmas, migrations, two writing processes, accounts, and the MoneyPrinterV2 import."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest

from moneyprinter.errors import ImportFailed, NotFound, UsageError
from moneyprinter.store import open_database
from moneyprinter.store import accounts as repo
from moneyprinter.store.content import create_item, list_items
from moneyprinter.store.import_mpv2 import import_mpv2
from moneyprinter.store.migrations import apply_migrations, applied, discover, pending, run_script
from tests.conftest import REPO, subprocess_env


def test_wal_mode_busy_timeout_and_foreign_keys(db):
    assert db.query_one("PRAGMA journal_mode")[0] == "wal"
    assert db.query_one("PRAGMA busy_timeout")[0] >= 5000
    assert db.query_one("PRAGMA foreign_keys")[0] == 1
    assert db.path.parent == db.path.parent.resolve() and db.path.name == "moneyprinter.db"


def test_transaction_uses_begin_immediate(db, tmp_path):
    """Inside ``transaction()`` the write lock is already held: another connection cannot write."""
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    with db.transaction():
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released after commit
    other.execute("ROLLBACK")
    other.close()


def test_transaction_rolls_back_on_error(db):
    account = repo.add_account(db, "x", "keeper")
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            conn.execute("UPDATE accounts SET topic = 'changed' WHERE id = ?", (account.id,))
            raise RuntimeError("boom")
    assert repo.get_account_by_id(db, account.id).topic == ""
    with db.transaction():  # the connection is usable again
        pass


def test_migrations_are_recorded_and_idempotent(db):
    names = [name for _, name, _ in discover()]
    assert names[0] == "m001_core"
    assert applied(db) == set(names) and pending(db) == []
    rows = db.query("SELECT name, applied_at FROM _migrations ORDER BY name")
    assert [r["name"] for r in rows] == sorted(names) and all(r["applied_at"] for r in rows)
    assert apply_migrations(db) == []  # a second run does nothing
    db.close()
    with open_database(db.path) as again:
        assert apply_migrations(again) == []
        assert again.query_one("SELECT COUNT(*) FROM _migrations")[0] == len(names)


def test_run_script_stays_inside_the_transaction(db):
    with pytest.raises(sqlite3.OperationalError):
        with db.transaction() as conn:
            run_script(conn, "CREATE TABLE t1 (a INTEGER);\nINSERT INTO t1 VALUES (1);\nINSERT INTO nope VALUES (2);\n")
    assert db.query_one("SELECT name FROM sqlite_master WHERE name = 't1'") is None  # all rolled back


def test_two_processes_writing_at_once_never_see_database_is_locked(home):
    db_path = home / "shared.db"
    home.mkdir(parents=True, exist_ok=True)
    start_at = time.time() + 1.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.foundation.store_worker", str(db_path), prefix, "200", str(start_at)],
            cwd=REPO, env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for prefix in ("daemon", "cli")
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert "locked" not in err, err
        assert proc.returncode == 0, err
    (a_start, a_end), (b_start, b_end) = ([float(t) for t in out.split()] for out, _ in outputs)
    assert a_start < b_end and b_start < a_end  # the two really wrote at the same time
    with open_database(db_path) as db:
        counts = {r[0]: r[1] for r in db.query("SELECT substr(nickname, 1, 3), COUNT(*) FROM accounts GROUP BY 1")}
        assert counts == {"dae": 200, "cli": 200}
        assert db.query_one("SELECT COUNT(*) FROM content_items")[0] == 400
        assert db.query_one("SELECT COUNT(*) FROM _migrations")[0] == len(discover())  # migrated once


def test_opening_waits_for_another_process_holding_the_fresh_file(tmp_path):
    """Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is locked" at
    once, ignoring busy_timeout, while another connection holds a write lock on the not-yet-WAL file
    (the daemon and the CLI starting together on a fresh install)."""
    import threading

    path = tmp_path / "fresh.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE early (x)")
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    began = time.monotonic()
    try:
        with open_database(path) as db:
            assert db.query_one("PRAGMA journal_mode")[0] == "wal"
            assert repo.add_account(db, "x", "first").id == 1
    finally:
        release.join()
        other.close()
    assert time.monotonic() - began >= 0.25  # it waited for the lock instead of failing


# --- accounts ----------------------------------------------------------------------------------------


def test_accounts_add_list_edit_remove(db):
    yt = repo.add_account(db, "YouTube", "SpaceFacts", topic="  space facts ", language="en", publisher="youtube_api")
    x = repo.add_account(db, "twitter", "ai_daily", topic="AI news", language="pt-BR")
    assert (yt.platform, yt.topic, yt.publisher) == ("youtube", "space facts", "youtube_api")
    assert (x.platform, x.language, x.publisher, x.approval) == ("x", "pt-BR", "outbox", "auto")
    assert [a.nickname for a in repo.list_accounts(db)] == ["ai_daily", "SpaceFacts"]  # x sorts before youtube
    assert [a.nickname for a in repo.list_accounts(db, "youtube")] == ["SpaceFacts"]

    edited = repo.update_account(db, yt, topic="astronomy", approval="manual", options={"voice": "joe"})
    assert (edited.topic, edited.approval, edited.options) == ("astronomy", "manual", {"voice": "joe"})
    edited = repo.update_account(db, edited, options={"hashtags": 3})
    assert edited.options == {"voice": "joe", "hashtags": 3}
    assert repo.get_account(db, "yt", "spacefacts").id == yt.id  # lookup is case-insensitive

    item = create_item(db, x.id, "post", body="hello")
    repo.remove_account(db, x)
    with pytest.raises(NotFound):
        repo.get_account(db, "x", "ai_daily")
    assert list_items(db) == [] and item.id  # its history went with it (ON DELETE CASCADE)


def test_nicknames_are_unique_per_platform_case_insensitively(db):
    repo.add_account(db, "youtube", "Bob")
    with pytest.raises(UsageError, match="already exists"):
        repo.add_account(db, "youtube", "bob")
    repo.add_account(db, "x", "BOB")  # another platform may reuse it
    alice = repo.add_account(db, "youtube", "alice")
    with pytest.raises(UsageError, match="already exists"):
        repo.update_account(db, alice, nickname="BoB")
    assert repo.update_account(db, alice, nickname="Alice").nickname == "Alice"  # renaming itself is fine


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"nickname": "has space"}, "invalid nickname"),
        ({"nickname": "ok", "language": "English"}, "invalid language"),
        ({"nickname": "ok", "publisher": "x_api"}, "not available for youtube"),
        ({"nickname": "ok", "approval": "maybe"}, "invalid approval"),
        ({"nickname": "ok", "topic": "t" * 201}, "longer than 200"),
    ],
)
def test_invalid_account_fields_are_rejected(db, fields, message):
    nickname = fields.pop("nickname")
    with pytest.raises(UsageError, match=message):
        repo.add_account(db, "youtube", nickname, **fields)
    assert repo.list_accounts(db) == []


def test_unknown_platform_is_a_usage_error(db):
    with pytest.raises(UsageError, match="unknown platform 'myspace'"):
        repo.add_account(db, "myspace", "someone")


def test_accounts_cli_roundtrip(cli):
    assert cli("accounts", "add", "youtube", "space", "--topic", "space facts").exit_code == 0
    assert cli("accounts", "edit", "youtube", "SPACE", "--topic", "astronomy", "--language", "de").exit_code == 0
    listed = json.loads(cli("accounts", "list", "--json").output)
    assert [(a["nickname"], a["topic"], a["language"]) for a in listed] == [("space", "astronomy", "de")]
    missing = cli("accounts", "remove", "youtube", "nobody", "--yes")
    assert missing.exit_code == 2 and "no youtube account named 'nobody'" in missing.output
    assert cli("accounts", "remove", "youtube", "space", "--yes").exit_code == 0
    assert "no accounts yet" in cli("accounts", "list").output


# --- MoneyPrinterV2 import ---------------------------------------------------------------------------

YOUTUBE_JSON = {
    "accounts": [
        {
            "id": "5b0c2a52-9f0e-4c41-8f5e-1d2f0a0e9c11",
            "nickname": "Space Facts",
            "firefox_profile": "/home/me/.mozilla/firefox/abcd1234.default-release",
            "niche": "space and astronomy facts",
            "language": "English",
            "videos": [
                {"title": "Why Mars is red", "description": "Iron oxide!", "url": "https://youtube.com/shorts/abc",
                 "date": "2024-03-01 10:00:00"},
                {"title": "Black holes", "description": "", "url": "https://youtube.com/shorts/def",
                 "date": "2024-03-02 10:00:00"},
            ],
        },
        {"id": "7a9e", "nickname": "Recetas", "firefox_profile": "", "niche": "cocina", "language": "Italian",
         "videos": []},
    ]
}
TWITTER_JSON = {
    "accounts": [
        {
            "id": "c1d2e3f4-0000-4000-8000-000000000001",
            "nickname": "ai_daily",
            "firefox_profile": "/home/me/.mozilla/firefox/efgh5678.bot",
            "topic": "AI news",
            "posts": [
                {"content": "GPUs are the new oil.", "date": "03/01/2024, 12:00:00"},
                {"content": "Small models are getting good.", "date": "03/02/2024, 12:00:00"},
                {"content": "Open weights FTW.", "date": "03/03/2024, 12:00:00"},
            ],
        }
    ]
}


def write_mp(root, youtube=YOUTUBE_JSON, twitter=TWITTER_JSON):
    mp = root / "MoneyPrinterV2" / ".mp"
    mp.mkdir(parents=True)
    for name, data in (("youtube.json", youtube), ("twitter.json", twitter)):
        if data is not None:
            (mp / name).write_text(data if isinstance(data, str) else json.dumps(data, indent=4))
    return mp.parent


def test_import_of_a_moneyprinterv2_install(db, tmp_path):
    report = import_mpv2(db, write_mp(tmp_path))
    assert sorted(report.accounts_added) == ["x:ai_daily", "youtube:Recetas", "youtube:Space_Facts"]
    assert report.items_added == 5
    space = repo.get_account(db, "youtube", "Space_Facts")
    assert (space.topic, space.language, space.external_id) == (
        "space and astronomy facts", "en", "5b0c2a52-9f0e-4c41-8f5e-1d2f0a0e9c11")
    assert space.options["firefox_profile"].endswith("abcd1234.default-release")
    assert space.options["mpv2_nickname"] == "Space Facts"
    assert repo.get_account(db, "youtube", "Recetas").language == "it"
    videos = list_items(db, account_id=space.id)
    assert [(v.kind, v.status, v.title) for v in videos] == [
        ("short", "published", "Black holes"), ("short", "published", "Why Mars is red")]
    assert videos[1].metadata == {"url": "https://youtube.com/shorts/abc"}
    posts = list_items(db, account_id=repo.get_account(db, "x", "ai_daily").id)
    assert [p.body for p in posts][0] == "Open weights FTW." and posts[0].created_at.startswith("2024-03-03")


def test_import_twice_skips_existing_accounts(db, tmp_path):
    mp = write_mp(tmp_path)
    import_mpv2(db, mp)
    again = import_mpv2(db, mp / ".mp")  # the .mp folder itself works too
    assert again.accounts_added == [] and len(again.accounts_skipped) == 3 and again.items_added == 0
    assert db.query_one("SELECT COUNT(*) FROM content_items")[0] == 5


@pytest.mark.parametrize(
    ("twitter", "message"),
    [
        ('{"accounts": [ {"nickname": "x",', "not valid JSON (line 1"),
        ({"acounts": []}, "expected an object with an 'accounts' list"),
        ({"accounts": [{"topic": "no nickname"}]}, "accounts[0] has no 'nickname'"),
        ({"accounts": [{"nickname": "ok", "posts": [{"date": "01/01/2024, 00:00:00"}]}]}, "has no 'content'"),
        ({"accounts": [{"nickname": "ok", "posts": "oops"}]}, "'posts' must be a list"),
        ({"accounts": [{"nickname": "ok", "language": "Klingon"}]}, "invalid language 'klingon'"),
    ],
)
def test_malformed_file_is_reported_and_nothing_is_imported(db, tmp_path, twitter, message):
    mp = write_mp(tmp_path, twitter=twitter)  # youtube.json is fine; twitter.json is broken
    with pytest.raises(ImportFailed) as info:
        import_mpv2(db, mp)
    assert "twitter.json" in str(info.value) and message in str(info.value)
    assert "nothing was imported" in str(info.value)
    assert repo.list_accounts(db) == [] and list_items(db) == []


def test_import_via_cli_reports_a_malformed_file_in_one_line(cli, tmp_path):
    mp = write_mp(tmp_path, twitter="not json")
    result = cli("accounts", "import", str(mp))
    assert result.exit_code == 1 and "twitter.json: not valid JSON" in result.output
    assert "Traceback" not in result.output
    assert "no accounts yet" in cli("accounts", "list").output
    ok = write_mp(tmp_path / "good")
    result = cli("accounts", "import", str(ok))
    assert result.exit_code == 0 and "3 account(s) and 5 history item(s) imported" in result.output


def test_import_of_a_folder_without_caches(db, tmp_path):
    with pytest.raises(ImportFailed, match="no youtube.json or twitter.json"):
        import_mpv2(db, tmp_path)
