"""X API v2 publishing against a local peer (OAuth 1.0a signatures verified)."""

from __future__ import annotations

import stat

import pytest

from moneyprinter import errors
from moneyprinter.publishers import submit
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from moneyprinter.text.x_length import PostTooLong
from tests.publishing.conftest import Child, post_item, write_config, x_account
from tests.publishing.fakes import X_KEYS
from tests.support.httpserver import closed_port


def test_post_201_is_recorded_with_url(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app))
    result = submit(app, item)
    assert result.status == "published" and result.url == f"https://x.com/testbot/status/{xapi.posts[0]['id']}"
    assert len(xapi.posts) == 1 and xapi.bad_signatures == 0
    assert submit(app, item).status == "published" and xapi.server.count("POST", "/2/tweets") == 1
    row = app.db.query_one("SELECT * FROM x_rate_limits WHERE endpoint = 'POST /2/tweets'")
    assert row["limit_total"] == 100 and row["remaining"] == 99


def test_post_with_image_uses_chunked_media_upload(xapi, make_app, tmp_path):
    app = make_app()
    image = tmp_path / "card.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 5000)
    item = post_item(app, x_account(app), media=image)
    publish_item(app, item.id)
    (media_id, media), = xapi.media.items()
    assert media["final"] and media["info"]["media_type"] == "image/png" and media["info"]["total_bytes"] == 5008
    assert xapi.posts[0]["media"] == {"media_ids": [media_id]}


def test_oversized_text_is_refused_before_sending(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app), text="日本語" * 47)  # 141 CJK characters weigh 282
    with pytest.raises(PostTooLong, match="282 weighted characters; X allows 280"):
        publish_item(app, item.id)
    assert xapi.server.requests == [] and publications.get_for_item(app.db, item.id).status == "failed"


def test_429_defers_until_reset_and_does_not_hammer(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["429"]
    with pytest.raises(errors.RateLimited) as caught:
        publish_item(app, item.id)
    assert 100 < caught.value.retry_after <= 121
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before and not pub.state["post_sent"]
    with pytest.raises(errors.RateLimited):
        publish_item(app, item.id)
    # A different item of the same account waits too: the window is known to be used up.
    other = post_item(app, records_account(app, item), text="another post")
    with pytest.raises(errors.RateLimited, match="window"):
        publish_item(app, other.id)
    assert xapi.server.count("POST", "/2/tweets") == 1 and not xapi.posts
    # After the reset it goes out once.
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")
    publish_item(app, item.id)
    assert len(xapi.posts) == 1


def records_account(app, item):
    from moneyprinter.store.accounts import get_account_by_id

    return get_account_by_id(app.db, item.account_id)


def test_401_fails_with_login_hint(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app, keys={**X_KEYS, "access_token_secret": "wrong"}))
    with pytest.raises(errors.Unauthorized) as caught:
        publish_item(app, item.id)
    assert "moneyprinter x login --account poster" in caught.value.hint
    assert publications.get_for_item(app.db, item.id).status == "failed" and not xapi.posts


def test_timeout_after_the_server_created_the_post_is_reconciled(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["slow"]
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == xapi.posts[0]["id"]
    assert len(xapi.posts) == 1 and xapi.server.count("POST", "/2/tweets") == 1
    assert xapi.server.count("GET", "/2/users/42/tweets") == 1


def test_timeout_without_a_post_needs_attention_and_is_never_retried_blindly(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["hang"]
    with pytest.raises(NeedsAttention, match="not among the account's recent posts"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "needs_attention"
    assert xapi.server.count("POST", "/2/tweets") == 1 and not xapi.posts
    # A person checked the account and releases it: it still looks first, then posts once.
    publish_item(app, item.id, retry_unknown=True)
    assert len(xapi.posts) == 1 and xapi.server.count("GET", "/2/users/42/tweets") == 2


@pytest.mark.parametrize("scenario", ["201", "with-image", "after-429", "after-401", "slow-answer"])
def test_killed_after_the_server_created_the_post_then_rerun_gives_one_post(xapi, make_app, tmp_path, scenario):
    """The child process dies after X created the post and before the database recorded it."""
    from moneyprinter.publishers import credentials

    app = make_app()
    image = None
    if scenario == "with-image":
        image = tmp_path / "card.jpg"
        image.write_bytes(b"\xff\xd8\xff" + b"1" * 3000)
    account = x_account(app, keys={**X_KEYS, "access_token_secret": "wrong"} if scenario == "after-401" else None)
    item = post_item(app, account, media=image)
    earlier_posts = 0
    if scenario == "after-429":  # an earlier run was deferred; the window has reset since
        xapi.post_script = ["429"]
        with pytest.raises(errors.RateLimited):
            publish_item(app, item.id)
        app.db.conn.execute("UPDATE publications SET not_before = NULL")
        app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")
        earlier_posts = 1
    if scenario == "after-401":  # an earlier run failed on bad keys; the user logged in again
        with pytest.raises(errors.Unauthorized):
            publish_item(app, item.id)
        credentials.save(app.db, "x", account, {**X_KEYS, "user_id": "42", "username": "testbot"})
        earlier_posts = 1
    if scenario == "slow-answer":
        xapi.post_script = ["slow"]
    child = Child(item.id)
    xapi.on_created = child.kill
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "publishing" and pub.state["post_sent"]
    xapi.on_created = None
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == xapi.posts[0]["id"] and len(xapi.posts) == 1
    assert xapi.server.count("POST", "/2/tweets") == earlier_posts + 1
    assert len(xapi.media) == (1 if image else 0)  # the rerun did not upload the media again


def test_x_login_stores_keys_privately_and_never_prints_them(xapi, make_app, cli, home):
    app = make_app()
    from moneyprinter.store.accounts import add_account

    add_account(app.db, "x", "poster", publisher="x_api")
    answers = "\n".join([X_KEYS["consumer_key"], X_KEYS["consumer_secret"], X_KEYS["access_token"],
                         X_KEYS["access_token_secret"]]) + "\n"
    result = cli("x", "login", "--account", "poster", input=answers)
    assert result.exit_code == 0, result.output
    assert "@testbot" in result.output
    health = cli("-vv", "health")
    log = (home / "logs" / "moneyprinter.log").read_text()
    for value in X_KEYS.values():
        assert value not in result.output and value not in health.output and value not in log
    from moneyprinter.publishers.credentials import credential_path
    from moneyprinter.store.accounts import get_account

    path = credential_path("x", get_account(app.db, "x", "poster"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_health_check_calls_users_me(xapi, make_app):
    app = make_app()
    account = x_account(app)
    from moneyprinter.publishers.x_api import XAPIPublisher

    result = XAPIPublisher().health_check(app, account)
    assert result.status.value == "PASS" and "@testbot" in result.message
    assert xapi.server.count("GET", "/2/users/me") == 1


def test_submit_leaves_needs_attention_to_a_person_and_publish_due_skips_it(xapi, make_app, cli):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["hang"]
    with pytest.raises(NeedsAttention):
        submit(app, item)
    with pytest.raises(NeedsAttention, match="needs attention"):
        submit(app, item)
    assert cli("publish-due").output.strip() == "nothing is due"
    assert xapi.server.count("POST", "/2/tweets") == 1


def test_publish_due_sends_deferred_items_after_the_reset(xapi, make_app, cli):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["429"]
    with pytest.raises(errors.RateLimited):
        submit(app, item)
    assert cli("publish-due").output.strip() == "nothing is due"
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")
    result = cli("publish-due")
    assert result.output.strip() == f"item {item.id}: published" and len(xapi.posts) == 1


def thread_item(app, account, parts):
    from moneyprinter.store.content import create_item

    return create_item(app.db, account.id, "thread", status="ready", body="\n\n".join(parts), metadata={"posts": parts})


THREAD = ["1/3 Sourdough needs patience.", "2/3 Feed the starter twice a day.", "3/3 Bake when it doubles."]


def test_thread_is_posted_as_a_reply_chain(xapi, make_app):
    app = make_app()
    result = submit(app, thread_item(app, x_account(app), THREAD))
    chain = list(reversed(xapi.posts))  # the fake keeps newest first
    assert [p["text"] for p in chain] == THREAD
    assert chain[0]["reply"] is None
    assert [p["reply"]["in_reply_to_tweet_id"] for p in chain[1:]] == [chain[0]["id"], chain[1]["id"]]
    assert result.status == "published" and result.remote_id == chain[0]["id"]


def test_thread_with_an_oversized_part_sends_nothing(xapi, make_app):
    app = make_app()
    item = thread_item(app, x_account(app), [THREAD[0], "日本語" * 47])
    with pytest.raises(PostTooLong):
        publish_item(app, item.id)
    assert xapi.server.count("POST", "/2/tweets") == 0


def test_thread_killed_after_the_second_part_then_rerun_posts_each_part_once(xapi, make_app):
    app = make_app()
    item = thread_item(app, x_account(app), THREAD)
    child = Child(item.id)
    xapi.on_created = lambda: child.kill() if len(xapi.posts) == 2 else None
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    xapi.on_created = None
    pub, _ = publish_item(app, item.id)
    chain = list(reversed(xapi.posts))
    assert [p["text"] for p in chain] == THREAD and pub.status == "published"
    assert chain[2]["reply"]["in_reply_to_tweet_id"] == chain[1]["id"]


def test_publish_due_job_posts_a_deferred_item_once_its_wait_is_over(xapi, make_app):
    from moneyprinter.publishers.engine import scheduled_publish_due

    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["429"]
    with pytest.raises(errors.RateLimited):
        publish_item(app, item.id)
    assert scheduled_publish_due(app, "all") == "nothing is due"  # still waiting for the reset
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")
    assert scheduled_publish_due(app, "all") == f"item {item.id}: published"
    assert scheduled_publish_due(app, "all") == "nothing is due" and len(xapi.posts) == 1


def test_a_post_that_never_left_the_machine_fails_plainly_and_is_sent_later(xapi, make_app, home):
    """A refused connection is RequestNotSent: no lookup, no needs_attention; the next run posts once."""
    write_config(home, {"x_api_base_url": f"http://127.0.0.1:{closed_port()}"})
    app = make_app()
    item = post_item(app, x_account(app))
    with pytest.raises(errors.ServiceUnavailable, match="connection refused"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "failed" and pub.state["post_sent"] is False
    app.close()
    write_config(home, {**xapi.settings(), "x_post_timeout_s": 1.0})
    again = make_app()
    pub, _ = publish_item(again, item.id)
    assert pub.status == "published" and len(xapi.posts) == 1
    assert xapi.server.count("GET", "/2/users/42/tweets") == 0  # nothing to reconcile: it was never sent
