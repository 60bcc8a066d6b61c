"""The accounts pages over HTTP against a real server: add (network, name, publisher), edit every option of
the account's network, cross-post destinations chosen from the other accounts, remove after a confirmation,
login status with the terminal command that logs in, and refusals shown next to their field as typed."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import unquote

import pytest

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.platforms import account_settings
from moneyprinter.publishers import credentials
from moneyprinter.store.accounts import add_account, get_account, get_account_by_id, list_accounts, set_cross_posts
from tests.web.conftest import csrf_of

BLUESKY_SESSION = {"access_jwt": "bsky-access-jwt-secret-71", "refresh_jwt": "bsky-refresh-jwt-secret-72",
                   "did": "did:plc:abc", "handle": "cook.bsky.social"}
APP_PASSWORD = "bsky-app-password-secret-73"


def _csrf(session, server, page: str = "/accounts") -> str:
    return csrf_of(session.get(server.url + page).text)


def _post(session, server, path: str, data, page: str = "/accounts"):
    """``data``: a dict, or a list of pairs when a name repeats (checkboxes)."""
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    return session.post(server.url + path, data=[("csrf", _csrf(session, server, page)), *pairs], allow_redirects=False)


def _flash(answer) -> dict:
    return json.loads(unquote(answer.cookies.get("mp_flash", "%7B%7D")))


def _error_line(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field_id}-error" role="alert">(.*?)</p>', page, re.DOTALL)
    assert match, f"no error line for {field_id}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def _value(page: str, field_id: str) -> str:
    tag = re.search(rf'<input [^>]*id="{field_id}"[^>]*>', page)
    assert tag, f"no input {field_id}"
    return html.unescape(re.search(r' value="([^"]*)"', tag.group(0)).group(1))


def _selected(page: str, field_id: str) -> str:
    select = re.search(rf'<select name="[^"]+" id="{field_id}".*?</select>', page, re.DOTALL).group(0)
    chosen = re.search(r'<option value="([^"]*)"[^>]* selected>', select)
    return chosen.group(1) if chosen else ""


def _domain_message(call) -> str:
    with pytest.raises(MoneyPrinterError) as caught:
        call()
    exc = caught.value
    return f"{exc.message} ({exc.hint})" if exc.hint else exc.message


def test_add_picks_network_name_and_publisher_and_opens_the_new_accounts_page(site, session, app):
    server, _ = site
    answer = _post(session, server, "/accounts", {"platform": "tiktok", "nickname": "cook-tt",
                                                  "publisher": "tiktok_api", "topic": "", "language": "en",
                                                  "approval": "auto"})
    assert answer.status_code == 303
    account = get_account(app.db, "tiktok", "cook-tt")
    assert account.publisher == "tiktok_api"
    assert answer.headers["location"] == f"/accounts/{account.id}"
    assert "Set its TikTok options below" in _flash(answer)["text"]
    page = session.get(server.url + answer.headers["location"]).text
    assert "TikTok options" in page and 'id="option-privacy_level"' in page


def test_a_refused_add_keeps_what_was_typed_and_says_why_next_to_the_field(site, session, app):
    server, _ = site
    before = len(list_accounts(app.db))
    typed = {"platform": "mastodon", "nickname": "spacefacts", "publisher": "mastodon_api", "topic": "the sky",
             "language": "d e", "approval": "manual"}
    answer = _post(session, server, "/accounts", typed)
    assert answer.status_code == 400 and len(list_accounts(app.db)) == before
    page = answer.text
    assert _error_line(page, "language") == _domain_message(
        lambda: account_settings.add(app.db, {**typed, "nickname": "fresh"}))
    assert _value(page, "nickname") == "spacefacts" and _value(page, "topic") == "the sky"
    assert _value(page, "language") == "d e" and _selected(page, "platform") == "mastodon"
    assert _selected(page, "publisher") == "mastodon_api" and _selected(page, "approval") == "manual"
    assert 'aria-invalid="true"' in page

    taken = _post(session, server, "/accounts", {"platform": "youtube", "nickname": "SpaceFacts", "language": "en"})
    assert taken.status_code == 400
    assert _error_line(taken.text, "nickname") == _domain_message(
        lambda: account_settings.add(app.db, {"platform": "youtube", "nickname": "SpaceFacts"}))
    wrong = _post(session, server, "/accounts", {"platform": "x", "nickname": "n1", "publisher": "tiktok_api"})
    assert wrong.status_code == 400 and "publisher 'tiktok_api' is not available for x" in _error_line(wrong.text, "publisher")


@pytest.mark.parametrize("platform, options, shown", [
    ("youtube", {"captions": "boxed", "privacy_status": "unlisted", "category_id": "27", "made_for_kids": True},
     {"option-captions": "boxed", "option-privacy_status": "unlisted", "option-category_id": "27",
      "option-made_for_kids": "yes"}),
    ("x", {"thread_length": 3}, {"option-thread_length": "3"}),
    ("tiktok", {"post_mode": "inbox", "privacy_level": "FOLLOWER_OF_CREATOR", "disable_duet": True},
     {"option-post_mode": "inbox", "option-privacy_level": "FOLLOWER_OF_CREATOR", "option-disable_duet": "yes",
      "option-disable_comment": ""}),
    ("mastodon", {"instance": "https://fosstodon.org"}, {"option-instance": "https://fosstodon.org"}),
    ("bluesky", {"handle": "cook.bsky.social", "pds": "https://pds.example.org"},
     {"option-handle": "cook.bsky.social", "option-pds": "https://pds.example.org"}),
])
def test_the_edit_page_shows_every_option_of_the_network_with_labels_help_and_current_values(
        site, session, app, platform, options, shown):
    server, _ = site
    account = add_account(app.db, platform, "opts", options=options)
    page = html.unescape(session.get(f"{server.url}/accounts/{account.id}").text)
    for setting in account_settings.settings_for(platform):
        field_id = f"option-{setting.key}"
        assert f'<label for="{field_id}">{setting.label}</label>' in page
        assert f'id="{field_id}-help">{setting.help}' in page
        current = shown.get(field_id, "")
        assert (_selected(page, field_id) if setting.choices else _value(page, field_id)) == current, setting.key
    assert len(account_settings.settings_for(platform)) >= 1


def test_the_edit_page_names_the_configured_default_of_an_unset_option(site, session, app):
    server, _ = site
    account = add_account(app.db, "youtube", "plain")
    page = session.get(f"{server.url}/accounts/{account.id}").text
    assert f"default ({app.settings.publishing.youtube_privacy_status})" in page
    assert f'placeholder="default: {app.settings.publishing.youtube_category_id}"' in page


def test_instagram_and_threads_say_where_the_public_media_address_is_set(site, session, app):
    server, _ = site
    account = add_account(app.db, "instagram", "gram", publisher="instagram_api")
    page = session.get(f"{server.url}/accounts/{account.id}").text
    assert "public_media_base_url" in page and "is not set" in page
    assert "moneyprinter instagram login --account gram" in page


def test_editing_sets_network_options_and_an_emptied_one_goes_back_to_the_default(site, session, app):
    server, _ = site
    account = add_account(app.db, "tiktok", "cook-tt", publisher="tiktok_api", options={"creator_id": "kept"})
    answer = _post(session, server, f"/accounts/{account.id}/edit", {
        "nickname": "cook-tt", "topic": "", "language": "en", "publisher": "tiktok_api", "approval": "auto",
        "option.post_mode": "inbox", "option.privacy_level": "SELF_ONLY", "option.disable_comment": "yes",
        "option.disable_duet": "", "option.disable_stitch": ""}, page=f"/accounts/{account.id}")
    assert answer.status_code == 303 and _flash(answer)["kind"] == "ok", answer.text[:300]
    assert get_account_by_id(app.db, account.id).options == {
        "creator_id": "kept", "post_mode": "inbox", "privacy_level": "SELF_ONLY", "disable_comment": True}
    _post(session, server, f"/accounts/{account.id}/edit", {"option.post_mode": "", "option.disable_comment": "no"},
          page=f"/accounts/{account.id}")
    assert get_account_by_id(app.db, account.id).options == {
        "creator_id": "kept", "privacy_level": "SELF_ONLY", "disable_comment": False}


def test_a_refused_option_is_shown_next_to_its_field_with_the_domains_message_and_nothing_is_saved(
        site, session, app):
    server, _ = site
    account = add_account(app.db, "mastodon", "toots", topic="space", options={"instance": "https://mastodon.social"})
    typed = {"nickname": "toots-renamed", "topic": "astronomy", "language": "en", "publisher": "mastodon_api",
             "approval": "manual", "option.instance": "ftp://example.org"}
    answer = _post(session, server, f"/accounts/{account.id}/edit", typed, page=f"/accounts/{account.id}")
    assert answer.status_code == 400
    page = answer.text
    expected = _domain_message(lambda: account_settings.parse_options("mastodon", {"instance": "ftp://example.org"}))
    assert _error_line(page, "option-instance") == expected
    assert "Nothing was saved: 1 field to correct below." in page
    assert _value(page, "option-instance") == "ftp://example.org"
    assert _value(page, "nickname") == "toots-renamed" and _value(page, "topic") == "astronomy"
    assert _selected(page, "publisher") == "mastodon_api" and _selected(page, "approval") == "manual"
    unchanged = get_account_by_id(app.db, account.id)
    assert (unchanged.nickname, unchanged.topic, unchanged.publisher, unchanged.options) == \
        ("toots", "space", "outbox", {"instance": "https://mastodon.social"})
    assert page.count('class="field-error"') == 1


def test_every_refused_field_gets_its_own_line(site, session, app):
    server, _ = site
    account = add_account(app.db, "youtube", "chan")
    answer = _post(session, server, f"/accounts/{account.id}/edit", {
        "nickname": "bad name", "language": "english", "option.category_id": "99", "option.privacy_status": "secret"},
        page=f"/accounts/{account.id}")
    assert answer.status_code == 400
    for field_id in ("nickname", "language", "option-category_id", "option-privacy_status"):
        assert _error_line(answer.text, field_id)
    assert "the YouTube category id must be a whole number from 1 to 44, not '99'" in \
        _error_line(answer.text, "option-category_id")
    assert get_account_by_id(app.db, account.id).nickname == "chan"


def test_cross_post_destinations_are_chosen_from_the_accounts_that_can_take_the_content(site, session, app):
    server, seeded = site
    tiktok = add_account(app.db, "tiktok", "cook-tt")
    bluesky = add_account(app.db, "bluesky", "cook-bsky")
    page = session.get(f"{server.url}/accounts/{seeded.x.id}").text
    assert 'value="bluesky:cook-bsky">' in page
    assert re.search(r'value="tiktok:cook-tt" disabled>\s*<span>tiktok: <strong>cook-tt</strong>'
                     r'<span class="why">TikTok takes videos only', page)
    base = {"nickname": "poster", "cross_post_shown": "1"}
    answer = _post(session, server, f"/accounts/{seeded.x.id}/edit", [*base.items(), ("cross_post", "bluesky:cook-bsky")],
                   page=f"/accounts/{seeded.x.id}")
    assert answer.status_code == 303
    assert [a.id for a in account_settings.repo.cross_posts(app.db, seeded.x.id)] == [bluesky.id]
    assert "bluesky:cook-bsky" in session.get(server.url + "/accounts").text
    # A destination the form did not offer (a hand-made request) is refused with the domain's words.
    refused = _post(session, server, f"/accounts/{seeded.x.id}/edit",
                    [*base.items(), ("cross_post", "bluesky:cook-bsky"), ("cross_post", "tiktok:cook-tt")],
                    page=f"/accounts/{seeded.x.id}")
    assert refused.status_code == 400 and "TikTok takes videos only" in refused.text
    assert re.search(r'value="bluesky:cook-bsky" checked>', refused.text)  # the typed choice is kept
    assert [a.id for a in account_settings.repo.cross_posts(app.db, seeded.x.id)] == [bluesky.id]
    _post(session, server, f"/accounts/{seeded.x.id}/edit", base, page=f"/accounts/{seeded.x.id}")  # none checked
    assert account_settings.repo.cross_posts(app.db, seeded.x.id) == []
    assert tiktok.id  # offered, but disabled


def test_a_form_without_the_cross_post_section_leaves_the_destinations_alone(site, session, app):
    server, seeded = site
    bluesky = add_account(app.db, "bluesky", "cook-bsky")
    set_cross_posts(app.db, seeded.x.id, [bluesky.id])
    _post(session, server, f"/accounts/{seeded.x.id}/edit", {"topic": "robots"}, page=f"/accounts/{seeded.x.id}")
    assert [a.id for a in account_settings.repo.cross_posts(app.db, seeded.x.id)] == [bluesky.id]


def test_remove_asks_first_on_its_own_page_then_removes(site, session, app):
    server, seeded = site
    confirm = session.get(f"{server.url}/accounts/{seeded.x.id}/remove")
    assert confirm.status_code == 200
    assert f'<a href="/schedules/{seeded.schedule_id}">twitter.post #{seeded.schedule_id}</a>' in confirm.text
    assert "1 item" in confirm.text and f'action="/accounts/{seeded.x.id}/remove"' in confirm.text
    assert get_account_by_id(app.db, seeded.x.id)  # showing the question changes nothing
    answer = _post(session, server, f"/accounts/{seeded.x.id}/remove", {}, page=f"/accounts/{seeded.x.id}/remove")
    assert answer.status_code == 303 and "Removed X account 'poster'" in _flash(answer)["text"]
    assert all(a.id != seeded.x.id for a in list_accounts(app.db))


def test_login_status_and_the_terminal_command_that_logs_in(site, session, app):
    server, _ = site
    add_account(app.db, "mastodon", "toots", publisher="mastodon_api")
    tiktok = add_account(app.db, "tiktok", "cook-tt", publisher="tiktok_api")
    credentials.save(app.db, "tiktok", tiktok, {"access_token": "tiktok-access-secret-9", "scope": "video.publish"})
    page = session.get(server.url + "/accounts").text
    toots = page.split('>toots<')[1].split("</tr>")[0]
    assert '<span class="badge badge-not-logged-in">not logged in</span>' in toots  # red, not a grey class with a space
    assert "moneyprinter mastodon login --account toots --instance https://your.instance" in toots
    cook = page.split('>cook-tt<')[1].split("</tr>")[0]
    assert '<span class="badge badge-logged-in">logged in</span>' in cook and "login --account" not in cook
    detail = session.get(f"{server.url}/accounts/{tiktok.id}").text
    assert "To log in again" in detail and "OAuth in your browser" in detail
    assert "<pre>moneyprinter tiktok login --account cook-tt</pre>" in detail


def test_a_hint_naming_an_account_links_to_its_page_by_name(site, session, app):
    server, seeded = site
    answer = session.get(f"{server.url}/accounts/by-name/x/poster", allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"/accounts/{seeded.x.id}"
    missing = session.get(f"{server.url}/accounts/by-name/x/nobody")
    assert missing.status_code == 404 and "no x account named 'nobody'" in html.unescape(missing.text)


def test_no_secret_of_a_login_reaches_the_accounts_pages(site, session, app, monkeypatch):
    server, seeded = site
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", APP_PASSWORD)
    bluesky = add_account(app.db, "bluesky", "cook-bsky", publisher="bluesky_api",
                          options={"handle": "cook.bsky.social", "app_password": APP_PASSWORD,
                                   "access_jwt": BLUESKY_SESSION["access_jwt"]})
    credentials.save(app.db, "bluesky", bluesky, BLUESKY_SESSION)
    pages = [session.get(server.url + path).text for path in
             ("/accounts", f"/accounts/{bluesky.id}", f"/accounts/{seeded.x.id}", f"/accounts/{bluesky.id}/remove")]
    refused = _post(session, server, f"/accounts/{bluesky.id}/edit", {"option.pds": "nope", "topic": "food"},
                    page=f"/accounts/{bluesky.id}")
    assert refused.status_code == 400
    pages.append(refused.text)
    from tests.web.conftest import X_KEYS

    for page in pages:
        for secret in (APP_PASSWORD, *BLUESKY_SESSION.values(), *X_KEYS.values()):
            if secret.startswith(("did:", "cook.")):
                continue  # the handle and DID are public
            assert secret not in page
    assert 'type="password"' not in "".join(pages)
    assert "logged in" in pages[1] and "cook.bsky.social" in pages[1]


def test_the_edit_form_without_its_csrf_token_is_403_and_changes_nothing(site, session, app):
    server, seeded = site
    for data in ({}, {"csrf": "forged"}):
        answer = session.post(f"{server.url}/accounts/{seeded.x.id}/edit",
                              data={**data, "topic": "hijacked", "option.thread_length": "5"}, allow_redirects=False)
        assert answer.status_code == 403
    account = get_account_by_id(app.db, seeded.x.id)
    assert account.topic == "tech" and "thread_length" not in account.options
    answer = session.post(f"{server.url}/accounts/{seeded.x.id}/remove", data={}, allow_redirects=False)
    assert answer.status_code == 403 and get_account_by_id(app.db, seeded.x.id)
