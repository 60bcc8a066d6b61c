"""Schedules, token files and browser profiles name an account by id: a rename changes one row."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from moneyprinter.publishers import credentials
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.runner import run_job
from moneyprinter.scheduler.triggers import Trigger
from moneyprinter.store import schedules as store
from moneyprinter.store.accounts import update_account
from tests.publishing.conftest import x_account
from tests.twitter.conftest import script  # noqa: F401 - the scripted text provider fixture

POST = "A burr grinder gives an even grind, and an even grind is what makes pour-over taste sweet."


def _rows(db) -> dict[str, list[tuple]]:
    tables = ("accounts", "schedules", "publisher_tokens")
    return {t: [tuple(r) for r in db.query(f"SELECT * FROM {t} ORDER BY rowid")] for t in tables}


def test_a_renamed_account_keeps_its_schedule_firing_and_its_login_working(xapi, script, make_app, home):  # noqa: F811
    app = make_app()
    account = x_account(app)  # 'poster', publishing through the X API with keys in a token file
    token = credentials.credential_path("x", account)
    schedule = sched.add_schedule(app.db, "twitter.post", "poster", Trigger(every_seconds=3600))
    before, inode = _rows(app.db), token.stat().st_ino

    update_account(app.db, account, nickname="renamed")

    after = _rows(app.db)
    assert after["schedules"] == before["schedules"] and after["publisher_tokens"] == before["publisher_tokens"]
    changed = [(a, b) for a, b in zip(before["accounts"], after["accounts"], strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1][2] == "renamed"  # one row: the account's own
    assert token.stat().st_ino == inode and token == home / "tokens" / "x" / f"{account.id}.json"

    # The slot comes due: the daemon claims it and starts the job for the account's current name.
    now = store.now_utc()
    due = sched.get_schedule(app.db, schedule.id)
    due.next_run_at = due.next_planned_at = now - timedelta(seconds=5)
    with app.db.transaction() as conn:
        conn.execute("UPDATE schedules SET next_run_at = ?, next_planned_at = ? WHERE id = ?",
                     (store.iso(due.next_run_at), store.iso(due.next_run_at), schedule.id))
    claim = sched.claim_due(app.db, due, now=now, grace=timedelta(minutes=30))
    assert claim.run_id is not None and claim.schedule.target == "renamed"
    script.say(POST)
    result = run_job(app, claim.schedule.kind, claim.schedule.target, run_id=claim.run_id)

    assert result.outcome == "success"
    assert [p["text"] for p in xapi.posts] == [POST] and xapi.bad_signatures == 0  # signed with the token file's keys
    run = store.get_run(app.db, claim.run_id)
    assert (run.schedule_id, run.target, run.outcome) == (schedule.id, "renamed", "success")
    assert sched.get_schedule(app.db, schedule.id).last_outcome == "success"


def _at_m006(path):
    """A database with the schema as it was before schedules and logins were keyed by id."""
    from moneyprinter.store.db import Database
    from moneyprinter.store.migrations import applied, discover

    db = Database(path)
    applied(db)
    for number, name, module in discover():
        if number <= 6:
            with db.transaction() as conn:
                module.up(conn)
                conn.execute("INSERT INTO _migrations VALUES (?, 'test')", (name,))
    return db


def test_migration_moves_schedules_and_login_files_from_nicknames_to_ids(home):
    from moneyprinter.store.db import open_database

    old = _at_m006(home / "moneyprinter.db")
    stamp = "2026-01-01T00:00:00+00:00"
    with old.transaction() as conn:
        for platform, nickname in (("youtube", "chan"), ("x", "chan"), ("x", "2")):  # x:chan gets id 2
            conn.execute("INSERT INTO accounts (platform, nickname, created_at, updated_at) VALUES (?, ?, ?, ?)",
                         (platform, nickname, stamp, stamp))
        ids = {(r["platform"], r["nickname"]): r["id"] for r in conn.execute("SELECT * FROM accounts")}
        trigger = Trigger(every_seconds=3600).to_json()
        for kind, target in (("youtube.short", "chan"), ("twitter.post", "CHAN"), ("twitter.post", "gone"),
                             ("outreach.campaign", "chan"), ("test.echo", "chan")):
            conn.execute("INSERT INTO schedules (kind, target, trigger, last_outcome, created_at, updated_at)"
                         " VALUES (?, ?, ?, 'success', ?, ?)", (kind, target, trigger, stamp, stamp))
        conn.execute("INSERT INTO schedule_runs (schedule_id, kind, target, source, started_at, outcome)"
                     " VALUES (1, 'youtube.short', 'chan', 'daemon', ?, 'success')", (stamp,))
        for nickname in ("chan", "2"):  # chan.json becomes 2.json: the old 2.json must move first
            path = home / "tokens" / "x" / f"{nickname}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'{{"who": "{nickname}"}}')
            conn.execute("INSERT INTO publisher_tokens (account_id, provider, path, created_at, updated_at)"
                         " VALUES (?, 'x', ?, ?, ?)", (ids[("x", nickname)], str(path), stamp, stamp))
        profile = home / "browser-profiles" / "chromium" / "chan"
        profile.mkdir(parents=True)
        (profile / "Cookies").write_text("session")
    old.close()

    with open_database(home / "moneyprinter.db") as db:
        rows = {r["kind"] + ":" + r["target"]: r["account_id"]
                for r in db.query("SELECT kind, target, account_id FROM schedules")}
        assert rows == {"youtube.short:": ids[("youtube", "chan")], "twitter.post:": ids[("x", "chan")],
                        "twitter.post:gone": None, "outreach.campaign:chan": None, "test.echo:chan": None}
        assert [s.target for s in sched.list_schedules(db)][:2] == ["chan", "chan"]
        assert db.query_one("SELECT schedule_id FROM schedule_runs")[0] == 1  # the run still links to its schedule
        assert ids[("x", "chan")] == 2
        for nickname in ("chan", "2"):
            account_id = ids[("x", nickname)]
            moved = home / "tokens" / "x" / f"{account_id}.json"
            assert moved.read_text() == f'{{"who": "{nickname}"}}'
            stored = db.query_one("SELECT path FROM publisher_tokens WHERE account_id = ?", (account_id,))[0]
            assert stored == str(moved)
        assert not (home / "tokens" / "x" / "chan.json").exists()
        assert (home / "browser-profiles" / "chromium" / str(ids[("youtube", "chan")]) / "Cookies").exists()
        assert not profile.exists()


def test_a_schedule_outcome_outside_the_enum_is_refused(home):
    from moneyprinter.store.db import open_database

    with open_database(home / "moneyprinter.db") as db:
        try:
            db.conn.execute("INSERT INTO schedules (kind, target, trigger, last_outcome, created_at, updated_at)"
                            " VALUES ('test.echo', 'x', '{}', 'done', '', '')")
        except sqlite3.IntegrityError as exc:
            assert "CHECK constraint failed" in str(exc)
        else:
            raise AssertionError("the CHECK constraint let 'done' in")


def test_login_file_migration_finishes_a_run_that_stopped_half_way(home):
    """Renames cannot roll back with the transaction: a rerun completes what a crash left staged."""
    from moneyprinter.store.migrations import m010_login_files_by_id as m010

    old = _at_m006(home / "moneyprinter.db")
    with old.transaction() as conn:
        for nickname in ("ann", "bob"):
            conn.execute("INSERT INTO accounts (platform, nickname, created_at, updated_at) VALUES ('x', ?, '', '')",
                         (nickname,))
    old.close()
    tokens = home / "tokens" / "x"
    tokens.mkdir(parents=True)
    (tokens / f"{m010.STAGING}1.json").write_text("ann's keys")  # ann's file was staged when the process died
    (tokens / "bob.json").write_text("bob's keys")
    from moneyprinter.store.db import open_database

    with open_database(home / "moneyprinter.db") as db:
        with db.transaction() as conn:
            m010.up(conn)  # and once more on a finished migration: nothing moves
    assert sorted(p.name for p in tokens.iterdir()) == ["1.json", "2.json"]
    assert (tokens / "1.json").read_text() == "ann's keys" and (tokens / "2.json").read_text() == "bob's keys"
