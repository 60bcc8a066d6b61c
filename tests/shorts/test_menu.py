"""The YouTube menu screen, driven through its line prompts."""

from __future__ import annotations

import pytest

from moneyprinter.menu import prompts, youtube
from moneyprinter.store.accounts import add_account, list_accounts
from moneyprinter.publishers import submit
from moneyprinter.publishers.review import mark_published
from moneyprinter.store.content import create_item


def feed(monkeypatch, answers):
    answers = list(answers)
    asked = []

    def read_line(prompt):
        asked.append(prompt)
        if not answers:
            raise prompts.MenuExit
        return answers.pop(0)

    monkeypatch.setattr(prompts, "read_line", read_line)
    return asked


def test_create_account_list_videos_and_outbox(app, monkeypatch, home, capsys):
    # choose "Create a new account" (the only option), fill it in, list videos, show outbox, back
    feed(monkeypatch, ["1", "chan1", "space facts", "", "1", "2", "4", "8"])
    youtube.screen(app)
    assert [a.nickname for a in list_accounts(app.db, "youtube")] == ["chan1"]
    out = capsys.readouterr().out
    assert "Shorts of chan1" in out and "Nothing is waiting in the outbox." in out


def test_outbox_and_unfinished_shorts_are_listed(app, monkeypatch, home, capsys):
    account = add_account(app.db, "youtube", "chan2", topic="sea")
    create_item(app.db, account.id, "short", status="failed", metadata={"aspect": "9:16"})
    video = home / "short.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42")
    for title in ("Sea Stars", "Old Whales"):
        submit(app, create_item(app.db, account.id, "short", status="ready", title=title, media_path=str(video)))
    mark_published(app.db, 3, "https://youtube.com/shorts/abc")  # "Old Whales" was uploaded by hand
    feed(monkeypatch, ["1", "4", "3"])  # pick chan2, outbox, resume (then input ends)
    with pytest.raises(prompts.MenuExit):
        youtube.screen(app)
    out = capsys.readouterr().out
    assert "Sea Stars" in out and "Old Whales" not in out
    assert "Resume which Short?" in out and "failed" in out


def test_the_menu_offers_a_batch(app, monkeypatch, home, capsys, tmp_path):
    add_account(app.db, "youtube", "chan3", topic="sea")
    batch = tmp_path / "ideas.jsonl"
    batch.write_text('{"account": "chan3", "topic": "Sea stars", "mood": "calm"}\n')
    feed(monkeypatch, ["1", "5", str(batch), "n", "8"])
    youtube.screen(app)
    out = capsys.readouterr().out
    assert "Make Shorts from a batch file" in out and "ideas.jsonl line 1: unknown field mood" in out
