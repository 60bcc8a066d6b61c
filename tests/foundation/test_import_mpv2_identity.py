"""MoneyPrinterV2 import: one account is one account (matched by its id), one video is one item."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from moneyprinter.store import accounts as repo
from moneyprinter.store.content import list_items
from moneyprinter.store.import_mpv2 import import_mpv2
from tests.conftest import subprocess_env


def _mp(root, youtube=None, twitter=None):
    mp = root / ".mp"
    mp.mkdir(parents=True, exist_ok=True)
    for name, data in (("youtube.json", youtube), ("twitter.json", twitter)):
        if data is not None:
            (mp / name).write_text(json.dumps(data, ensure_ascii=False))
    return mp


def test_reimport_after_a_rename_matches_the_mpv2_id_and_imports_nothing_new(db, tmp_path):
    twitter = {"accounts": [{"id": "acc-1", "nickname": "ai_daily", "topic": "AI",
                             "posts": [{"content": "One.", "date": "03/01/2024, 12:00:00"}]}]}
    mp = _mp(tmp_path, twitter=twitter)
    import_mpv2(db, mp)
    account = repo.get_account(db, "x", "ai_daily")
    repo.update_account(db, account, nickname="ai_weekly")
    again = import_mpv2(db, mp)
    assert again.accounts_added == [] and again.items_added == 0
    assert [a.nickname for a in repo.list_accounts(db)] == ["ai_weekly"]
    assert len(list_items(db)) == 1


def test_a_video_recorded_when_generated_and_when_uploaded_is_one_item(db, tmp_path):
    youtube = {"accounts": [{"id": "yt-1", "nickname": "owls", "niche": "owls", "language": "en", "videos": [
        {"title": "Owl eyes", "description": "Why owls stare", "topic": "owl eyes", "script": "Owls cannot move their eyes.",
         "uploaded": False, "date": "2024-03-01 10:00:00"},
        {"title": "Owl eyes", "description": "Why owls stare", "uploaded": True,
         "url": "https://youtube.com/shorts/owl1", "date": "2024-03-01 11:00:00"},
        {"title": "Owl ears", "description": "Lopsided", "topic": "owl ears", "script": "One ear is higher.",
         "uploaded": False, "date": "2024-03-02 10:00:00"},
    ]}]}
    report = import_mpv2(db, _mp(tmp_path, youtube=youtube))
    assert report.items_added == 2
    items = {i.title: i for i in list_items(db)}
    eyes, ears = items["Owl eyes"], items["Owl ears"]
    assert eyes.status == "published" and eyes.metadata.url == "https://youtube.com/shorts/owl1"
    assert eyes.metadata.topic == "owl eyes" and eyes.body == "Owls cannot move their eyes."
    assert ears.status == "draft" and ears.metadata.url is None and ears.body == "One ear is higher."


def test_unicode_nicknames_are_kept_and_collisions_are_reported(db, tmp_path):
    youtube = {"accounts": [
        {"id": "a", "nickname": "日本の謎", "niche": "mysteries", "videos": []},
        {"id": "b", "nickname": "Space Facts", "niche": "space",
         "videos": [{"title": "Mars", "url": "https://youtube.com/shorts/m", "date": "2024-03-01 10:00:00"}]},
        {"id": "c", "nickname": "Space_Facts", "niche": "space too",
         "videos": [{"title": "Venus", "url": "https://youtube.com/shorts/v", "date": "2024-03-01 10:00:00"}]},
    ]}
    report = import_mpv2(db, _mp(tmp_path, youtube=youtube))
    names = sorted(a.nickname for a in repo.list_accounts(db))
    assert "日本の謎" in names and len(names) == 3
    assert report.collisions and "Space Facts" in report.collisions[0] and "Space_Facts" in report.collisions[0]
    assert sorted(i.title for i in list_items(db)) == ["Mars", "Venus"]


def test_an_empty_video_list_is_a_valid_cache(db, tmp_path):
    report = import_mpv2(db, _mp(tmp_path, youtube={"videos": []}))
    assert report.accounts_added == [] and report.items_added == 0


def test_two_processes_merging_options_lose_none(db, home):
    account = repo.add_account(db, "x", "poster", topic="tech")
    code = textwrap.dedent(f"""
        import sys
        from moneyprinter.store.db import open_database
        from moneyprinter.store import accounts as repo
        db = open_database()
        for n in range(100):
            account = repo.get_account_by_id(db, {account.id})
            repo.update_account(db, account, options={{f"{{sys.argv[1]}}{{n}}": n}})
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, tag], env=subprocess_env()) for tag in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    options = repo.get_account_by_id(db, account.id).options
    assert sum(1 for k in options if k[0] in "ab" and k[1:].isdigit()) == 200
