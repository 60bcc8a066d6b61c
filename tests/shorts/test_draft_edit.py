"""`moneyprinter review edit ID` on a script-only Short draft: a sentence, the whole script, the title,
description and tags; the gate checks the edited words, and --resume renders them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moneyprinter.store import content
from moneyprinter.store.accounts import add_account

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture
def draft(shorts_app, cli):
    add_account(shorts_app.db, "youtube", "chan", topic="ocean animals")
    result = cli("short", "--account", "chan", "--script-only", "--json", "--topic", "How octopuses change colour")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def sentences(cli, item_id):
    return json.loads(cli("videos", "--account", "chan", "--json").output)[0]["sentences"]


def test_one_sentence_of_a_draft_is_edited_and_resume_renders_it(shorts_app, cli, draft):
    new = "An octopus can change colour in a fraction of a second."
    result = cli("review", "edit", str(draft["id"]), "--sentence", "2", "--text", new)
    assert result.exit_code == 0, result.output
    assert f"2. {new}" in result.output
    words = sentences(cli, draft["id"])
    assert words[1] == new and words[0] == draft["sentences"][0] and len(words) == len(draft["sentences"])
    work = Path(content.get_item(shorts_app.db, draft["id"]).work_dir)
    assert new in (work / "script.txt").read_text(encoding="utf-8")

    resumed = cli("short", "--account", "chan", "--resume", str(draft["id"]), "--no-publish")
    assert resumed.exit_code == 0, resumed.output
    item = content.get_item(shorts_app.db, draft["id"])
    assert item.status == "ready" and new in item.body and item.media_path.endswith("short.mp4")


def test_the_whole_script_title_description_and_tags_of_a_draft(shorts_app, cli, draft, tmp_path):
    script = tmp_path / "mine.txt"
    script.write_text("Octopuses hide in plain sight. They change colour in a blink. Follow for more ocean facts.\n")
    result = cli("review", "edit", str(draft["id"]), "--script", str(script), "--title", "Octopus Colour Magic",
                 "--description", "How octopuses vanish.", "--tags", "octopus, camouflage")
    assert result.exit_code == 0, result.output
    item = content.get_item(shorts_app.db, draft["id"])
    assert item.title == "Octopus Colour Magic" and item.metadata.description == "How octopuses vanish."
    assert item.metadata.tags == ["octopus", "camouflage"]
    assert sentences(cli, draft["id"])[0] == "Octopuses hide in plain sight."
    meta = json.loads((Path(item.work_dir) / "metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Octopus Colour Magic" and meta["tags"] == ["octopus", "camouflage"]


def test_the_gate_checks_the_edited_words(shorts_app, cli, draft):
    result = cli("review", "edit", str(draft["id"]), "--sentence", "2", "--text", "This sentence should only appear once.")
    assert result.exit_code == 0, result.output
    assert "meta talk" in result.output
    item = content.get_item(shorts_app.db, draft["id"])
    assert any("meta talk" in r for r in item.metadata.review_reasons)


@pytest.mark.parametrize(("args", "message"), [
    (["--sentence", "99", "--text", "Octopuses are clever."], "has sentences 1 to"),
    (["--sentence", "2"], "--text"),
    (["--sentence", "2", "--text", "   "], "empty"),
])
def test_bad_edits_of_a_draft_are_one_clear_line(shorts_app, cli, draft, args, message):
    result = cli("review", "edit", str(draft["id"]), *args)
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert sentences(cli, draft["id"]) == draft["sentences"]  # nothing changed
