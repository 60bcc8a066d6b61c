"""One text rule per network: what review shows and measures for a cross-post is byte for byte what the
network receives, and a text that is too long is reported once, in one wording."""

from __future__ import annotations

import pytest

from moneyprinter.publishers import review, submit
from moneyprinter.publishers.destinations import problems, texts_for
from moneyprinter.store import publications
from moneyprinter.store.accounts import add_account
from moneyprinter.store.content import create_item
from tests.publishing.test_bluesky import bsky, real_mp4, sky_account  # noqa: F401  (fixtures)
from tests.publishing.test_meta import meta, meta_account, threads_server  # noqa: F401  (fixtures)
from tests.publishing.test_meta import short as meta_short
from tests.publishing.test_tiktok import mp4, tiktok, tiktok_account  # noqa: F401  (fixtures)

TITLE = "Owls can turn their heads 270 degrees"
DESCRIPTION = "Why owls turn their heads: their eyes cannot move."
TAGS = ["owls", "nature facts", "birds", "night life", "eyes", "wings", "owls"]  # 6 distinct, 2 of two words


def _short(app, media):
    channel = add_account(app.db, "youtube", "chan", topic="owls")
    return create_item(app.db, channel.id, "short", status="ready", title=TITLE, media_path=str(media),
                       metadata={"description": DESCRIPTION, "tags": TAGS})


def _shown_in_review(app, item, account) -> list[str]:
    """The texts review shows for the item's publication to ``account`` (it waits there: approval manual)."""
    waiting = [w for w in review.waiting(app.db) if w.item.id == item.id and w.account.id == account.id]
    assert len(waiting) == 1
    return review.texts_to_publish(waiting[0].item, waiting[0].account)


def _review_then_approve(app, item, account):
    from moneyprinter.store.accounts import update_account

    submit(app, item)  # its own publication (the outbox), then the cross-post
    account = update_account(app.db, account, approval="manual")
    assert submit(app, item, account).status == "review"
    shown = _shown_in_review(app, item, account)
    update_account(app.db, account, approval="auto")
    review.approve(app, item.id, account.platform)
    return shown


def test_tiktok_receives_the_caption_review_shows(tiktok, make_app, mp4):  # noqa: F811
    app = make_app()
    account = tiktok_account(app)
    item = _short(app, mp4)
    shown = _review_then_approve(app, item, account)
    assert len(tiktok.posts) == 1
    assert [tiktok.posts[0].post_info["title"]] == shown == texts_for("tiktok", item)


def test_bluesky_receives_the_text_review_shows(bsky, make_app, real_mp4):  # noqa: F811
    app = make_app()
    account = sky_account(app, bsky)
    item = _short(app, real_mp4)
    shown = _review_then_approve(app, item, account)
    assert [r["value"]["text"] for r in bsky.posts()] == shown == texts_for("bluesky", item)


@pytest.mark.parametrize("network", ["instagram", "threads"])
def test_meta_receives_the_caption_review_shows(meta, make_app, home, network):  # noqa: F811
    app = make_app()
    account = meta_account(app, network, meta[network])
    channel = add_account(app.db, "youtube", "chan", topic="owls")
    item = meta_short(app, channel, home, title=TITLE, description=DESCRIPTION, tags=TAGS)
    shown = _review_then_approve(app, item, account)
    assert [m["text"] for m in meta[network].media] == shown == texts_for(network, item)


def test_a_thread_to_threads_is_a_reply_chain_and_review_shows_each_part(meta, make_app, home):  # noqa: F811
    app = make_app()
    account = meta_account(app, "threads", meta["threads"])
    home_account = add_account(app.db, "x", "poster")
    parts = ["Owls see in the dark.", "Their eyes are tubes, not balls."]
    item = create_item(app.db, home_account.id, "thread", status="ready", body=parts[0], metadata={"posts": parts})
    shown = _review_then_approve(app, item, account)
    media = meta["threads"].media
    assert [m["text"] for m in media] == shown == parts
    assert [m["reply_to"] for m in media] == [None, media[0]["id"]]


def _one_length_line(app, account, item, words):
    found = problems(app, account, item)
    long_lines = [line for line in found if "the text is" in line or "the caption is" in line]
    assert len(long_lines) == 1 and words in long_lines[0], found


def test_a_text_over_the_limit_is_reported_once_for_bluesky(bsky, make_app, real_mp4):  # noqa: F811
    app = make_app()
    item = _short(app, real_mp4)
    item = create_item(app.db, item.account_id, "short", status="ready", title="Owls " * 70,
                       media_path=item.media_path, metadata={"tags": TAGS})
    _one_length_line(app, sky_account(app, bsky), item, "graphemes; Bluesky allows 300")


def test_a_text_over_the_limit_is_reported_once_for_threads(meta, make_app, home):  # noqa: F811
    app = make_app()
    channel = add_account(app.db, "youtube", "chan", topic="owls")
    item = meta_short(app, channel, home, title="Owls " * 120, tags=TAGS)
    _one_length_line(app, meta_account(app, "threads", meta["threads"]), item, "Threads allows 500")


def test_a_text_over_the_limit_is_reported_once_for_mastodon(server, make_app):
    """The instance's limit and Mastodon's count are one measure: one line, naming the destination."""
    from tests.publishing.test_mastodon import FakeMastodon, masto_account

    fake = FakeMastodon(server)
    fake.max_characters = 500
    app = make_app()
    account = masto_account(app, fake)
    home_account = add_account(app.db, "x", "poster")
    item = create_item(app.db, home_account.id, "post", status="ready", body="z" * 501)
    found = problems(app, account, item)
    assert found == ["mastodon 'owls': the text is 501 characters (links count 23); this Mastodon instance allows 500"]
    assert submit(app, item, account).status == "review"
    (pub,) = [p for p in publications.for_item(app.db, item.id) if p.account_id == account.id]
    assert pub.error.count("501 characters") == 1


def test_tiktok_inbox_mode_does_not_measure_the_caption_it_does_not_send(tiktok, make_app, mp4):  # noqa: F811
    app = make_app()
    account = tiktok_account(app, options={"post_mode": "inbox"})
    channel = add_account(app.db, "youtube", "chan", topic="owls")
    item = create_item(app.db, channel.id, "short", status="ready", title=TITLE, media_path=str(mp4),
                       metadata={"description": "Owls. " * 400, "tags": TAGS})  # a caption of 2,400+ units
    assert problems(app, account, item) == []
    submit(app, item)
    assert submit(app, item, account).status == "published"
    assert len(tiktok.inbox) == 1
    direct = tiktok_account(app, nickname="direct")  # direct mode sends the caption: the same Short is refused
    (line,) = problems(app, direct, item)
    assert line.startswith("tiktok 'direct': the caption is") and "TikTok allows 2200" in line
