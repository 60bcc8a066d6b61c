"""RFC 8058 one-click unsubscribe with a signed token per contact, and the CAN-SPAM footer."""

import re
import stat

import pytest

from moneyprinter import paths
from moneyprinter.outreach import suppression, unsubscribe
from tests.outreach.test_sending import send


def one_click_url(msg) -> str:
    return re.search(r"<(https://[^>]+)>", msg["List-Unsubscribe"]).group(1)


def test_each_message_carries_a_signed_token_that_unsubscribes_its_contact(db, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__UNSUBSCRIBE_URL", "https://ann-example.com/unsubscribe/{token}")
    send(campaign.name, limit=2)
    first, second = smtp.handler.parsed()
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = one_click_url(first).rpartition("/")[2]
    assert token != one_click_url(second).rpartition("/")[2]
    assert one_click_url(first) in first.get_body(("plain",)).get_content()  # the footer link is the same
    assert unsubscribe.unsubscribe_by_token(db, token) == first["To"]
    assert suppression.is_suppressed(db.conn, first["To"]) and not suppression.is_suppressed(db.conn, second["To"])
    key_file = paths.data_dir() / unsubscribe.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_forged_or_changed_token_suppresses_nothing(db):
    token = unsubscribe.make_token("info@dental1.de")
    forged = unsubscribe.make_token("info@dental1.de", key=b"another installation")
    payload, _, signature = token.partition(".")
    other = unsubscribe.make_token("info@dental2.de").partition(".")[0]
    for bad in (forged, f"{other}.{signature}", payload, "", "x.y"):
        with pytest.raises(unsubscribe.BadToken):
            unsubscribe.unsubscribe_by_token(db, bad)
    assert suppression.list_all(db) == []


def test_a_url_without_a_token_placeholder_gets_one(campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__UNSUBSCRIBE_URL", "https://ann-example.com/u?src=mail")
    send(campaign.name, limit=1)
    url = one_click_url(smtp.handler.parsed()[0])
    assert url.startswith("https://ann-example.com/u?src=mail&token=")
    assert unsubscribe.address_of(url.partition("token=")[2]) == "info@dental1.de"


def test_the_footer_says_it_is_an_advertisement_by_default(campaign, smtp):
    send(campaign.name, limit=1)
    msg = smtp.handler.parsed()[0]
    for part in (msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()):
        assert "This message is an advertisement." in part


def test_the_advertisement_wording_is_configurable(campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__AD_NOTICE", "Werbung / solicitation")
    send(campaign.name, limit=1)
    text = smtp.handler.parsed()[0].get_body(("plain",)).get_content()
    assert "Werbung / solicitation" in text and "advertisement" not in text


def test_the_key_is_made_once_and_a_damaged_one_is_reported(home):
    from moneyprinter.errors import ConfigError

    first = unsubscribe.make_token("a@shop.de")
    assert unsubscribe.make_token("a@shop.de") == first  # the same key, read back
    (paths.data_dir() / unsubscribe.KEY_FILE).write_text("not hex\n")
    with pytest.raises(ConfigError, match="not a readable unsubscribe key"):
        unsubscribe.make_token("a@shop.de")
