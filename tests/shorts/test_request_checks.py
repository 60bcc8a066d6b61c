"""The checks on a Short request live in the domain (``YouTube.check_request``), so the CLI and the menu
refuse the same things with the same words."""

from __future__ import annotations

import pytest

from moneyprinter.errors import UsageError
from moneyprinter.platforms.youtube import YouTube
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account


@pytest.fixture
def failed_square_short(app):
    account = add_account(app.db, "youtube", "chan")
    item = content.create_item(app.db, account.id, "short", status="failed", metadata={"aspect": "1:1"})
    return YouTube(app, account), item


def test_a_resumed_short_keeps_its_topic(failed_square_short):
    youtube, item = failed_square_short
    with pytest.raises(UsageError, match="--topic cannot be combined with --resume"):
        youtube.check_request("whales", None, item.id)


def test_a_resumed_short_keeps_its_aspect(failed_square_short):
    youtube, item = failed_square_short
    with pytest.raises(UsageError, match=f"Short {item.id} is 1:1; --resume cannot change it to --aspect 16:9"):
        youtube.check_request(None, "16:9", item.id)
    youtube.check_request(None, "1:1", item.id)  # its own aspect, or none, is fine
    youtube.check_request(None, None, item.id)


def test_a_new_short_needs_a_known_aspect_and_a_real_topic(failed_square_short):
    youtube, _ = failed_square_short
    with pytest.raises(UsageError, match="unknown aspect '4:3'"):
        youtube.check_request(None, "4:3")
    with pytest.raises(UsageError, match="the topic is empty"):
        youtube.check_request("  ", "9:16")
