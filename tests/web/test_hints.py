"""The pages' fixes: a hint's ``moneyprinter ...`` command becomes a link to the page that does the same,
and only what the terminal alone can do (logins, the scheduler daemon, the configuration) stays a command."""

from __future__ import annotations

import html
import re

import pytest

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.platforms.x_accounts import require_topic
from moneyprinter.publishers.mastodon_client import instance_of
from moneyprinter.store.accounts import Account, get_account
from moneyprinter.web.hints import web_hint


def _hint_of(call) -> str:
    with pytest.raises(MoneyPrinterError) as caught:
        call()
    return caught.value.hint


def _links(markup: str) -> list[tuple[str, str]]:
    return [(html.unescape(href), html.unescape(text)) for href, text in
            re.findall(r'<a class="fix-link" href="([^"]*)">([^<]*)</a>', str(markup))]


def _code(markup: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r'<code class="cli">([^<]*)</code>', str(markup))]


def test_a_hint_to_edit_an_account_links_to_its_page():
    hint = _hint_of(lambda: require_topic(Account(id=3, platform="x", nickname="poster")))
    assert "moneyprinter accounts edit x poster" in hint  # the CLI's words, which the page replaces
    shown = web_hint(hint)
    assert _links(shown) == [("/accounts/by-name/x/poster", "the page of x account poster")]
    assert "moneyprinter" not in str(shown) and str(shown).startswith("set one with: ")


def test_a_missing_account_hint_offers_the_add_form(db):
    hint = _hint_of(lambda: get_account(db, "tiktok", "nobody"))
    shown = web_hint(hint)
    assert _links(shown) == [("/accounts#add", "the Add an account form")]
    assert "'" not in str(shown).split("add one with")[1]  # the command's quotes go with it


@pytest.mark.parametrize("hint, links, code", [
    ("go on with: moneyprinter publish 12", [("/publications/by-item/12", "publish item 12 from its page")], []),
    (("look on TikTok first; it is there: moneyprinter outbox mark-published 7 URL; it is not: "
      "moneyprinter publish 7 --retry-unknown"),
     [("/publications/by-item/7", "mark item 7 published"), ("/publications/by-item/7", "publish item 7 from its page")], []),
    ("approve it: moneyprinter review approve 4", [("/review#item-4", "approve item 4 in Review")], []),
    ("moneyprinter review edit 9 --sentence N --text ...", [("/drafts/9", "edit the script of item 9")], []),
    ("see: moneyprinter publications --status needs_attention",
     [("/publications?status=needs_attention", "open Publications (needs attention)")], []),
    ("set one with moneyprinter tiktok settings --account cook --privacy-level SELF_ONLY",
     [("/accounts/by-name/tiktok/cook", "the account's TikTok options")], []),
    ("run: moneyprinter tiktok login --account cook", [], ["moneyprinter tiktok login --account cook"]),
    ("start it with moneyprinter scheduler run (or: moneyprinter schedule list)",
     [("/schedules", "open Schedules")], ["moneyprinter scheduler run"]),
    ("run moneyprinter config init --force", [], ["moneyprinter config init --force"]),
    ("use a code like en, de or pt-BR", [], []),
])
def test_each_command_a_page_does_becomes_a_link_and_the_rest_stays_code(hint, links, code):
    shown = web_hint(hint)
    assert _links(shown) == links
    assert _code(shown) == code
    assert str(shown).count("moneyprinter") == len(code)


def test_the_hint_is_escaped_and_a_mastodon_login_stays_in_the_terminal():
    hint = _hint_of(lambda: instance_of(Account(id=1, platform="mastodon", nickname="t<o>ots")))
    shown = str(web_hint(hint))
    assert "<o>" not in shown and "t&lt;o&gt;ots" in shown
    assert _code(shown) == ["moneyprinter mastodon login --account t<o>ots --instance https://your.instance"]
    assert str(web_hint("<script>alert(1)</script>")) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_an_error_page_shows_the_fix_as_a_link(site, session):
    server, _ = site
    page = session.get(server.url + "/accounts/by-name/x/nobody")
    assert page.status_code == 404
    assert '<a class="fix-link" href="/accounts#add">the Add an account form</a>' in page.text
    assert "moneyprinter accounts add" not in page.text


def test_a_publication_hint_links_to_the_publication_of_the_item(site, session, app):
    from moneyprinter.store import publications

    server, seeded = site
    pub = publications.get_for_item(app.db, seeded.thread_id)
    answer = session.get(f"{server.url}/publications/by-item/{seeded.thread_id}", allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/publications/{pub.id}"
    assert session.get(f"{server.url}/publications/by-item/99999").status_code == 404


def test_the_publication_page_shows_its_stored_errors_fix_as_a_link(site, session, app):
    from moneyprinter.store import publications

    server, seeded = site
    pub = publications.get_for_item(app.db, seeded.thread_id)
    publications.update(app.db, pub.id, error=f"X did not answer (look on X first; it is there: "
                                             f"moneyprinter outbox mark-published {seeded.thread_id} URL)")
    page = session.get(f"{server.url}/publications/{pub.id}").text
    assert f'<a class="fix-link" href="/publications/by-item/{seeded.thread_id}">mark item {seeded.thread_id} published</a>' in page
