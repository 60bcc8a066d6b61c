"""Named groups of accounts: every member's new Short or post also goes to the group's destinations
(merged with the member's own, each account once, in order), ``publish ID --to group:NAME``, and the
one-line refusals of a group that cannot be."""

from __future__ import annotations

import json

import pytest

from moneyprinter.publishers import submit_everywhere
from moneyprinter.publishers.destinations import set_destinations
from moneyprinter.store import publications
from moneyprinter.store.accounts import add_account, get_account, remove_account
from tests.publishing.conftest import post_item, short_item, video_file


@pytest.fixture
def kitchen(make_app):
    """Two YouTube channels and an X bot, and the networks their content may go to (all through the outbox)."""
    app = make_app()
    for platform, nickname in (("youtube", "cooking"), ("youtube", "baking"), ("x", "cookbot"), ("tiktok", "cook-tt"),
                               ("bluesky", "cook.bsky"), ("bluesky", "other.bsky"), ("mastodon", "cook.social"),
                               ("threads", "cook.threads")):
        add_account(app.db, platform, nickname)
    return app


def _lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def _accounts(cli) -> dict[str, dict]:
    return {a["nickname"]: a for a in json.loads(cli("accounts", "list", "--json").output)}


def _groups(cli) -> list[dict]:
    return json.loads(cli("groups", "list", "--json").output)


def test_a_group_is_added_listed_edited_and_removed_on_the_command_line(kitchen, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one line per table row
    set_destinations(kitchen.db, get_account(kitchen.db, "youtube", "cooking"),
                     ["mastodon:cook.social", "bluesky:cook.bsky"])
    added = cli("groups", "add", "kitchen", "--member", "youtube:cooking", "--member", "youtube:baking",
                "--cross-post", "tiktok:cook-tt", "--cross-post", "bluesky:cook.bsky")
    assert added.exit_code == 0, added.output
    assert _lines(added) == ["added group 'kitchen': youtube:cooking, youtube:baking -> tiktok:cook-tt, bluesky:cook.bsky"]

    (group,) = _groups(cli)
    assert group["name"] == "kitchen"
    assert [m["nickname"] for m in group["members"]] == ["cooking", "baking"]
    assert [d["nickname"] for d in group["cross_post"]] == ["cook-tt", "cook.bsky"]
    listed = _accounts(cli)
    assert listed["cooking"]["groups"] == ["kitchen"] and listed["cookbot"]["groups"] == []
    # The account's own first, then the group's; cook.bsky is in both and comes once.
    assert listed["cooking"]["all_destinations"] == ["mastodon:cook.social", "bluesky:cook.bsky", "tiktok:cook-tt"]
    assert listed["baking"]["all_destinations"] == ["tiktok:cook-tt", "bluesky:cook.bsky"]
    table = cli("accounts", "list").output
    assert "groups" in table and any("baking" in row and "kitchen" in row for row in table.splitlines())
    assert "kitchen" in cli("groups", "list").output

    edited = cli("groups", "edit", "kitchen", "--remove-member", "youtube:baking", "--member", "x:cookbot",
                 "--cross-post", "threads:cook.threads", "--cross-post", "bluesky:cook.bsky", "--name", "food")
    assert edited.exit_code == 0, edited.output
    assert _lines(edited) == ["updated group 'food': youtube:cooking, x:cookbot -> threads:cook.threads, bluesky:cook.bsky"]
    assert _accounts(cli)["baking"]["all_destinations"] == []

    remove_account(kitchen.db, get_account(kitchen.db, "threads", "cook.threads"))  # a removed account leaves it
    assert [d["nickname"] for d in _groups(cli)[0]["cross_post"]] == ["cook.bsky"]
    cleared = cli("groups", "edit", "food", "--no-cross-post")
    assert cleared.exit_code == 0 and _groups(cli)[0]["cross_post"] == []

    removed = cli("groups", "remove", "food")
    assert removed.exit_code == 0 and _lines(removed) == ["removed group 'food'"]
    assert _groups(cli) == [] and "no groups yet" in cli("groups", "list").output
    assert len(_accounts(cli)) == 7  # the accounts stay (all but the one removed above)


@pytest.mark.parametrize("args, words", [
    (["groups", "add", "g", "--member", "x:cookbot", "--cross-post", "tiktok:cook-tt"],
     "group 'g': cannot cross-post from x 'cookbot' to tiktok 'cook-tt': TikTok takes videos only; posts, threads "
     "and pitches cannot go there"),
    (["groups", "add", "g", "--member", "tiktok:cook-tt", "--cross-post", "bluesky:cook.bsky"],
     "group 'g': tiktok 'cook-tt' makes no content of its own to cross-post"),
    (["groups", "add", "g", "--member", "youtube:cooking", "--cross-post", "youtube:baking"],
     "group 'g': cannot cross-post from youtube 'cooking' to youtube 'baking': it is on YouTube too"),
    (["groups", "add", "g", "--member", "youtube:cooking", "--cross-post", "bluesky:other.bsky"],
     "group 'g': youtube 'cooking' would go to both bluesky 'cook.bsky' and bluesky 'other.bsky'"),
    (["groups", "add", "g", "--member", "youtube:cooking", "--cross-post", "bluesky:cook.bsky",
      "--cross-post", "bluesky:other.bsky"],
     "group 'g': youtube 'cooking' would go to both bluesky 'cook.bsky' and bluesky 'other.bsky'"),
    (["groups", "add", "g", "--member", "youtube:nobody"], "member no youtube account named 'nobody'"),
    (["groups", "add", "g", "--member", "cooking"], "'cooking' does not name an account"),
    (["groups", "add", "bad name!", "--member", "youtube:cooking"], "invalid group name 'bad name!'"),
    (["groups", "add", "kitchen"], "a group named 'kitchen' already exists"),
    (["groups", "edit", "nope", "--member", "youtube:baking"], "no group named 'nope'"),
    (["groups", "edit", "kitchen"], "nothing to change"),
    (["groups", "edit", "kitchen", "--remove-member", "youtube:cooking"],
     "youtube 'cooking' is not a member of group 'kitchen'"),
    (["groups", "edit", "kitchen", "--cross-post", "bluesky:cook.bsky", "--no-cross-post"], "cannot be combined"),
    (["groups", "remove", "nope"], "no group named 'nope'"),
    (["publish", "1", "--to", "group:nope"], "no group named 'nope'"),
    (["accounts", "edit", "youtube", "cooking", "--cross-post", "bluesky:cook.bsky", "--cross-post", "tiktok:cook-tt"],
     "youtube 'cooking' would go to both bluesky 'cook.bsky' and bluesky 'other.bsky'"),  # other.bsky: its group's
])
def test_a_group_that_cannot_be_is_refused_in_one_line_and_nothing_changes(kitchen, cli, args, words):
    set_destinations(kitchen.db, get_account(kitchen.db, "youtube", "cooking"), ["bluesky:cook.bsky"])
    assert cli("groups", "add", "kitchen", "--member", "youtube:baking", "--cross-post", "bluesky:other.bsky").exit_code == 0
    if args[0] == "accounts":  # the account joins the group first: its own list and the group's now meet
        set_destinations(kitchen.db, get_account(kitchen.db, "youtube", "cooking"), [])
        assert cli("groups", "edit", "kitchen", "--member", "youtube:cooking").exit_code == 0
    post_item(kitchen, get_account(kitchen.db, "x", "cookbot"))  # item 1
    before = (_groups(cli), _accounts(cli))
    refused = cli(*args)
    assert refused.exit_code == 2, refused.output
    assert len(_lines(refused)) == 1 and words in _lines(refused)[0], refused.output
    assert "Traceback" not in refused.output
    assert (_groups(cli), _accounts(cli)) == before


def test_every_members_new_content_also_goes_to_the_groups_destinations(kitchen, cli, tmp_path):
    app = kitchen
    cooking, baking = get_account(app.db, "youtube", "cooking"), get_account(app.db, "youtube", "baking")
    set_destinations(app.db, cooking, ["mastodon:cook.social", "bluesky:cook.bsky"])
    assert cli("groups", "add", "kitchen", "--member", "youtube:cooking", "--member", "youtube:baking",
               "--cross-post", "tiktok:cook-tt", "--cross-post", "bluesky:cook.bsky").exit_code == 0
    assert cli("groups", "add", "words", "--member", "x:cookbot", "--cross-post", "threads:cook.threads").exit_code == 0

    short = short_item(app, cooking, video_file(tmp_path))
    done = submit_everywhere(app, short)
    assert [(d.account.platform, d.account.nickname, d.result.status) for d in done.items] == [
        ("youtube", "cooking", "outbox"), ("mastodon", "cook.social", "outbox"), ("bluesky", "cook.bsky", "outbox"),
        ("tiktok", "cook-tt", "outbox")]
    again = submit_everywhere(app, short)  # a rerun sends nothing again
    assert [d.result.message for d in again.crossed()] == ["already outbox: " + d.result.location
                                                           for d in again.crossed()]
    assert {p.destination: len(publications.attempts(app.db, p.id)) for p in publications.for_item(app.db, short.id)
            if p.destination != "youtube"} == {"mastodon": 1, "bluesky": 1, "tiktok": 1}

    other = short_item(app, baking, video_file(tmp_path))
    assert [d.account.nickname for d in submit_everywhere(app, other).items] == ["baking", "cook-tt", "cook.bsky"]
    post = post_item(app, get_account(app.db, "x", "cookbot"))
    assert [(d.account.nickname, d.result.status) for d in submit_everywhere(app, post).items] == [
        ("cookbot", "outbox"), ("cook.threads", "outbox")]


def test_publish_to_a_group_sends_the_item_to_each_of_its_destinations_once(kitchen, cli):
    app = kitchen
    post = post_item(app, get_account(app.db, "x", "cookbot"))
    submit_everywhere(app, post)  # its own publication only: the bot is in no group
    assert cli("groups", "add", "spread", "--cross-post", "bluesky:cook.bsky", "--cross-post", "mastodon:cook.social",
               "--cross-post", "threads:cook.threads").exit_code == 0

    sent = cli("publish", str(post.id), "--to", "group:spread", "--to", "bluesky:cook.bsky")
    assert sent.exit_code == 0, sent.output
    assert [line.split(":")[0] for line in _lines(sent)] == [
        f"item {post.id} -> bluesky 'cook.bsky'", f"item {post.id} -> mastodon 'cook.social'",
        f"item {post.id} -> threads 'cook.threads'"]
    again = cli("publish", str(post.id), "--to", "group:SPREAD")  # group names are not case-sensitive
    assert again.exit_code == 0 and all("already outbox" in line for line in _lines(again))
    assert sorted(p.destination for p in publications.for_item(app.db, post.id)) == [
        "bluesky", "mastodon", "threads", "x"]

    other = cli("publish", str(post.id), "--to", "bluesky:other.bsky")  # one account per network and item
    assert other.exit_code == 2
    assert f"item {post.id} already goes to bluesky through 'cook.bsky'" in other.output
    assert [p.account_id for p in publications.for_item(app.db, post.id) if p.destination == "bluesky"] == [
        get_account(app.db, "bluesky", "cook.bsky").id]
