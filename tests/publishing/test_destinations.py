"""One content item, several destinations: each publication has its own state, attempts and exactly-once bookkeeping."""

from __future__ import annotations

import json

import pytest

from moneyprinter import errors
from moneyprinter.publishers import submit
from moneyprinter.publishers.engine import publish_due, publish_item
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import add_account
from tests.publishing.conftest import post_item, x_account


def test_two_destinations_progress_independently(xapi, make_app, home):
    app = make_app()
    poster = x_account(app)  # publishes through the X API (a local fake)
    channel = add_account(app.db, "bluesky", "chan", publisher="outbox")
    item = post_item(app, poster, text="One post, two places")

    xapi.post_script = ["429"]  # X defers its publication ...
    with pytest.raises(errors.RateLimited):
        submit(app, item)
    crossed = submit(app, item, channel)  # ... while the cross-post goes to the outbox
    assert crossed.status == "outbox"
    assert json.loads((home / "outbox" / "bluesky" / "chan" / str(item.id) / "metadata.json").read_text())["text"] == \
        "One post, two places"

    own, other = publications.for_item(app.db, item.id)
    assert (own.destination, own.status, own.publisher) == ("x", "pending", "x_api")
    assert (other.destination, other.status, other.publisher) == ("bluesky", "outbox", "outbox")
    assert content.get_item(app.db, item.id).status == "pending"  # the item shows its own publication
    assert [a.outcome for a in publications.attempts(app.db, own.id)] == ["deferred"]
    assert [a.outcome for a in publications.attempts(app.db, other.id)] == ["outbox"]

    # After the window resets, X posts once; the outbox copy is not written again.
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE id = ?", (own.id,))
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")
    assert publish_due(app) == [(item.id, "published")]
    assert len(xapi.posts) == 1 and content.get_item(app.db, item.id).status == "published"
    assert publications.get(app.db, other.id).status == "outbox"
    assert len(publications.attempts(app.db, other.id)) == 1

    # Each destination keeps its exactly-once record: a second submit to either changes nothing.
    assert submit(app, item).status == "published" and xapi.server.count("POST", "/2/tweets") == 2  # 429 + 201
    again, _ = publish_item(app, item.id, destination="bluesky")
    assert again.status == "outbox" and len(publications.attempts(app.db, other.id)) == 2
    assert len(publications.attempts(app.db, own.id)) == 2 and len(xapi.posts) == 1


def test_one_publication_per_item_and_destination(make_app):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    channel = add_account(app.db, "bluesky", "chan")
    item = post_item(app, poster)
    first = publications.ensure(app.db, item.id, poster.id, "outbox", "pending")
    again = publications.ensure(app.db, item.id, poster.id, "outbox", "review")
    other = publications.ensure(app.db, item.id, channel.id, "outbox", "review")
    assert first.id == again.id and again.status == "pending" and first.destination == "x"
    assert other.id != first.id and other.destination == "bluesky"
    assert publications.get_for_item(app.db, item.id) == first  # the item's own publication
    assert publications.get_for_item(app.db, item.id, "bluesky") == other
    with pytest.raises(errors.NotFound, match="no publication to mastodon"):
        publish_item(app, item.id, destination="mastodon")


def test_a_cross_post_to_the_items_own_platform_is_refused(make_app):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    second = add_account(app.db, "x", "second")
    item = post_item(app, poster)
    with pytest.raises(errors.UsageError, match="already goes to x"):
        submit(app, item, second)


def test_a_cross_post_waiting_for_review_is_approved_on_its_own(make_app, cli):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    channel = add_account(app.db, "bluesky", "chan", approval="manual")
    item = post_item(app, poster)
    assert submit(app, item).status == "outbox"
    assert submit(app, item, channel).status == "review"
    assert content.get_item(app.db, item.id).status == "outbox"  # the cross-post's review does not touch the item
    result = cli("review", "approve", str(item.id))
    assert result.exit_code == 0, result.output
    assert publications.get_for_item(app.db, item.id, "bluesky").status == "outbox"
