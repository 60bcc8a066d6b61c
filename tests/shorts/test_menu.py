"""The YouTube menu screen, driven through its line prompts."""

from __future__ import annotations

import json

import pytest

from moneyprinter.menu import prompts, youtube
from moneyprinter.store.accounts import add_account, list_accounts
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
    feed(monkeypatch, ["1", "chan1", "space facts", "", "1", "2", "4", "6"])
    youtube.screen(app)
    assert [a.nickname for a in list_accounts(app.db, "youtube")] == ["chan1"]
    out = capsys.readouterr().out
    assert "Shorts of chan1" in out and "The outbox is empty." in out


def test_outbox_and_unfinished_shorts_are_listed(app, monkeypatch, home, capsys):
    account = add_account(app.db, "youtube", "chan2", topic="sea")
    create_item(app.db, account.id, "short", status="failed", metadata={"aspect": "9:16"})
    folder = home / "outbox" / "youtube" / "chan2" / "7"
    folder.mkdir(parents=True)
    (folder / "metadata.json").write_text(json.dumps({"id": 7, "title": "Sea Stars", "media": "short.mp4"}))
    feed(monkeypatch, ["1", "4", "3"])  # pick chan2, outbox, resume (then input ends)
    with pytest.raises(prompts.MenuExit):
        youtube.screen(app)
    out = capsys.readouterr().out
    assert "Sea Stars" in out and "Resume which Short?" in out and "failed" in out
