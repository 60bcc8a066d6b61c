"""A Short made by the pipeline goes to its channel and to each cross-post destination; a resume goes on
with the destinations not done and repeats none."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moneyprinter.store import content, publications
from moneyprinter.store.accounts import get_account

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_a_short_fans_out_and_a_resume_finishes_only_the_failed_destination(shorts_app, cli):
    assert cli("accounts", "add", "youtube", "cooking", "--topic", "octopus facts").exit_code == 0
    # A publisher that cannot run here (not logged in): that destination fails, the others go on.
    assert cli("accounts", "add", "tiktok", "cook-tt", "--publisher", "tiktok_api").exit_code == 0
    assert cli("accounts", "add", "bluesky", "cook.bsky").exit_code == 0
    assert cli("accounts", "add", "mastodon", "cook.social").exit_code == 0
    edited = cli("accounts", "edit", "youtube", "cooking", "--cross-post", "tiktok:cook-tt",
                 "--cross-post", "bluesky:cook.bsky", "--cross-post", "mastodon:cook.social")
    assert edited.exit_code == 0, edited.output

    made = cli("short", "--account", "cooking")
    assert made.exit_code == 1, made.output  # the worst destination's code, after every one was tried
    account = get_account(shorts_app.db, "youtube", "cooking")
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    out = " ".join(made.output.split())
    assert f"item {item.id} -> mastodon 'cook.social': written to the outbox" in out
    assert f"item {item.id} -> bluesky 'cook.bsky': written to the outbox" in out
    assert f"item {item.id} -> tiktok 'cook-tt': failed" in out
    home = Path(os.environ["MONEYPRINTER_HOME"])
    caption = json.loads((home / "outbox" / "bluesky" / "cook.bsky" / str(item.id) / "metadata.json").read_text())
    assert caption["post_texts"][0].startswith(item.title) and "#" in caption["post_texts"][0]

    assert cli("accounts", "edit", "tiktok", "cook-tt", "--publisher", "outbox").exit_code == 0
    resumed = cli("short", "--account", "cooking", "--resume", str(item.id))
    assert resumed.exit_code == 0, resumed.output
    attempts = {p.destination: [a.outcome.value for a in publications.attempts(shorts_app.db, p.id)]
                for p in publications.for_item(shorts_app.db, item.id)}
    assert attempts["youtube"] == ["outbox"] and attempts["mastodon"] == ["outbox"] and attempts["bluesky"] == ["outbox"]
    assert attempts["tiktok"][-1] == "outbox" and attempts["tiktok"].count("outbox") == 1
    assert (home / "outbox" / "tiktok" / "cook-tt" / str(item.id) / "metadata.json").exists()
