"""Script-only drafts: the words first, read and edited by a person, then --resume makes the video."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moneyprinter.store import content
from moneyprinter.store.accounts import add_account
from tests.shorts.conftest import SCRIPT

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_script_only_stops_before_media_and_resume_renders_the_edited_words(shorts_app, cli, model_server):
    add_account(shorts_app.db, "youtube", "chan", topic="ocean animals")
    result = cli("short", "--account", "chan", "--script-only", "--json", "--topic", "How octopuses change colour")
    assert result.exit_code == 0, result.output
    draft = json.loads(result.output)
    assert draft["status"] == "draft" and draft["title"] == "The Octopus Colour Trick"
    assert draft["sentences"][:3] == SCRIPT[:3] and draft["sentences"][-1].startswith("Follow for more")
    assert "shorts" in draft["tags"] and draft["approval"] == "by account"
    assert "#shorts" in draft["description"] and draft["description"].startswith(SCRIPT[0])
    work = content.get_item(shorts_app.db, draft["id"]).work_dir
    names = {p.name for p in Path(work).iterdir()}
    assert {"topic.txt", "script.txt", "script.json", "metadata.json"} <= names
    assert not names & {"voice.wav", "images", "short.mp4"}  # no media yet

    edited = "Octopuses hide in plain sight. They change colour in a blink. Follow for more ocean facts."
    (Path(work) / "script.txt").write_text(edited, encoding="utf-8")
    resumed = cli("short", "--account", "chan", "--resume", str(draft["id"]), "--no-publish")
    assert resumed.exit_code == 0, resumed.output
    item = content.get_item(shorts_app.db, draft["id"])
    assert item.status == "ready" and item.body == edited and item.media_path.endswith("short.mp4")

    listed = json.loads(cli("videos", "--account", "chan", "--json").output)
    assert [(v["id"], v["status"], v["sentences"][0]) for v in listed] == [(draft["id"], "ready", "Octopuses hide in plain sight.")]


def test_json_needs_script_only(shorts_app, cli):
    add_account(shorts_app.db, "youtube", "chan", topic="ocean animals")
    result = cli("short", "--account", "chan", "--json")
    assert result.exit_code == 2 and "--script-only" in result.output
