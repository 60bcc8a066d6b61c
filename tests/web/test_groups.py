"""The groups pages over HTTP against a real server: list groups with their members and destinations, add a
group (members among the YouTube and X accounts, destinations among every account, the ones that cannot take
a member's content greyed with why), edit, remove after a confirmation, refusals next to their field as typed,
and an account's page naming the groups it is in."""

from __future__ import annotations

import html
import re

import pytest

from moneyprinter.errors import MoneyPrinterError, NotFound
from moneyprinter.publishers import groups
from moneyprinter.store.account_groups import get_group, list_groups
from moneyprinter.store.accounts import add_account, list_accounts
from tests.web.test_accounts import _error_line, _flash, _post, _value

HOME = "/accounts/groups"


@pytest.fixture
def others(app):
    """A TikTok (videos only) and a Bluesky account (videos and posts) to publish on."""
    return add_account(app.db, "tiktok", "cook-tt"), add_account(app.db, "bluesky", "cook.bsky")


def _checkbox(page: str, name: str, value: str) -> str:
    tag = re.search(rf'<input type="checkbox" name="{name}" value="{re.escape(value)}"[^>]*>', page)
    assert tag, f"no checkbox {name}={value}"
    return tag.group(0)


def _label_of(page: str, name: str, value: str) -> str:
    label = re.search(rf'<label class="check[^"]*"><input type="checkbox" name="{name}" value="{re.escape(value)}"'
                      r'.*?</label>', page, re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", label.group(0)))


def _refusal(call) -> MoneyPrinterError:
    with pytest.raises(MoneyPrinterError) as caught:
        call()
    return caught.value


def _line(exc: MoneyPrinterError) -> str:
    return f"{exc.message} ({exc.hint})" if exc.hint else exc.message


def test_add_a_group_then_the_list_shows_its_members_and_destinations(site, session, app, others):
    server, _ = site
    answer = _post(session, server, HOME, [("name", "cooking"), ("members", "youtube:spacefacts"),
                                           ("members", "x:poster"), ("cross_post", "bluesky:cook.bsky")], page=HOME)
    assert answer.status_code == 303, answer.text
    group = get_group(app.db, "cooking")
    assert [(m.platform, m.nickname) for m in group.members] == [("youtube", "spacefacts"), ("x", "poster")]
    assert [(d.platform, d.nickname) for d in group.destinations] == [("bluesky", "cook.bsky")]
    assert _flash(answer)["text"] == f"Added {groups.describe(group)}."
    page = session.get(server.url + HOME).text
    row = re.search(rf'<tr id="group-{group.id}">.*?</tr>', page, re.DOTALL).group(0)
    assert "youtube:spacefacts" in row and "x:poster" in row and "bluesky:cook.bsky" in row
    assert f'href="{HOME}/cooking/remove"' in row
    assert 'href="/accounts/groups"' in session.get(server.url + "/accounts").text  # reached from the accounts


def test_a_destination_that_cannot_take_a_members_content_is_greyed_with_why(site, session, app, others):
    server, _ = site
    groups.create(app.db, "posts", ["x:poster"], [])
    page = session.get(f"{server.url}{HOME}/posts").text
    assert "disabled" in _checkbox(page, "cross_post", "tiktok:cook-tt")
    assert "TikTok takes videos only; posts, threads and pitches cannot go there (member x 'poster')" in _label_of(
        page, "cross_post", "tiktok:cook-tt")
    assert "disabled" not in _checkbox(page, "cross_post", "bluesky:cook.bsky")
    assert "disabled" in _checkbox(page, "cross_post", "x:poster")  # a member is not its own destination
    members = re.findall(r'name="members" value="([^"]+)"', page)
    assert sorted(members) == ["x:poster", "youtube:spacefacts"]  # only the accounts that make content


def test_a_refused_group_says_why_next_to_the_field_and_keeps_what_was_typed(site, session, app, others):
    server, _ = site
    typed = [("name", "mixed"), ("members", "x:poster"), ("cross_post", "tiktok:cook-tt"),
             ("cross_post", "bluesky:cook.bsky")]
    answer = _post(session, server, HOME, typed, page=HOME)
    assert answer.status_code == 400
    expected = _refusal(lambda: groups.create(app.db, "mixed", ["x:poster"], ["tiktok:cook-tt", "bluesky:cook.bsky"]))
    assert _error_line(answer.text, "cross_post") == _line(expected)
    assert "TikTok takes videos only" in _error_line(answer.text, "cross_post")
    assert _value(answer.text, "name") == "mixed"
    for name, value in typed[1:]:
        assert "checked" in _checkbox(answer.text, name, value), value
    assert "disabled" not in _checkbox(answer.text, "cross_post", "tiktok:cook-tt")  # ticked: can be unticked
    assert list_groups(app.db) == []

    answer = _post(session, server, HOME, [("name", "bad name!"), ("members", "x:poster")], page=HOME)
    assert answer.status_code == 400
    assert _error_line(answer.text, "name") == _line(_refusal(lambda: groups.create(app.db, "bad name!", [], [])))
    assert _value(answer.text, "name") == "bad name!" and "checked" in _checkbox(answer.text, "members", "x:poster")
    assert list_groups(app.db) == []


def test_edit_renames_and_replaces_members_and_destinations(site, session, app, others):
    server, _ = site
    groups.create(app.db, "cooking", ["youtube:spacefacts"], ["tiktok:cook-tt"])
    page = session.get(f"{server.url}{HOME}/cooking").text
    assert _value(page, "name") == "cooking" and "checked" in _checkbox(page, "cross_post", "tiktok:cook-tt")
    answer = _post(session, server, f"{HOME}/cooking/edit", [("name", "kitchen"), ("members", "x:poster"),
                                                             ("cross_post", "bluesky:cook.bsky")],
                   page=f"{HOME}/cooking")
    assert answer.status_code == 303, answer.text
    group = get_group(app.db, "kitchen")
    assert [m.nickname for m in group.members] == ["poster"]
    assert [d.nickname for d in group.destinations] == ["cook.bsky"]
    with pytest.raises(NotFound):
        get_group(app.db, "cooking")
    assert "group 'kitchen'" in _flash(answer)["text"]


def test_a_refused_edit_keeps_the_typed_values_and_changes_nothing(site, session, app, others):
    server, _ = site
    groups.create(app.db, "cooking", ["youtube:spacefacts"], ["tiktok:cook-tt"])
    groups.create(app.db, "other", [], [])
    answer = _post(session, server, f"{HOME}/cooking/edit", [("name", "other"), ("members", "youtube:spacefacts"),
                                                             ("cross_post", "tiktok:cook-tt")], page=f"{HOME}/cooking")
    assert answer.status_code == 400
    assert _error_line(answer.text, "name").startswith("a group named 'other' already exists")
    assert _value(answer.text, "name") == "other"
    answer = _post(session, server, f"{HOME}/cooking/edit", [("name", "cooking"), ("members", "youtube:spacefacts"),
                                                             ("members", "x:poster"), ("cross_post", "tiktok:cook-tt")],
                   page=f"{HOME}/cooking")
    assert answer.status_code == 400
    assert "cannot cross-post from x 'poster' to tiktok 'cook-tt'" in _error_line(answer.text, "cross_post")
    assert "checked" in _checkbox(answer.text, "members", "x:poster")
    group = get_group(app.db, "cooking")
    assert [m.nickname for m in group.members] == ["spacefacts"] and [d.nickname for d in group.destinations] == ["cook-tt"]


def test_remove_asks_first_then_removes_the_group_and_keeps_its_accounts(site, session, app, others):
    server, _ = site
    groups.create(app.db, "cooking", ["youtube:spacefacts"], ["tiktok:cook-tt"])
    before = len(list_accounts(app.db))
    confirm = session.get(f"{server.url}{HOME}/cooking/remove")
    assert confirm.status_code == 200
    assert "youtube:spacefacts" in confirm.text and "tiktok:cook-tt" in confirm.text
    assert list_groups(app.db)  # looking at the question removes nothing
    answer = _post(session, server, f"{HOME}/cooking/remove", {}, page=f"{HOME}/cooking/remove")
    assert answer.status_code == 303 and answer.headers["location"] == HOME
    assert list_groups(app.db) == [] and len(list_accounts(app.db)) == before
    assert "Removed group 'cooking'" in _flash(answer)["text"]
    missing = session.get(f"{server.url}{HOME}/cooking")
    assert missing.status_code == 404 and "no group named" in missing.text


def test_an_accounts_page_names_its_groups_with_links(site, session, app, others):
    server, seeded = site
    _, bluesky = others
    groups.create(app.db, "cooking", ["youtube:spacefacts"], ["bluesky:cook.bsky"])
    page = session.get(f"{server.url}/accounts/{seeded.youtube.id}").text
    card = re.search(r'<section class="card" id="groups">.*?</section>', page, re.DOTALL).group(0)
    assert f'href="{HOME}/cooking"' in card and "Member of" in card and "bluesky:cook.bsky" in card
    card = re.search(r'<section class="card" id="groups">.*?</section>', session.get(
        f"{server.url}/accounts/{bluesky.id}").text, re.DOTALL).group(0)
    assert "Destination of" in card and f'href="{HOME}/cooking"' in card
    assert "In no group" in session.get(f"{server.url}/accounts/{seeded.x.id}").text


def test_the_group_forms_without_their_csrf_token_are_403_and_change_nothing(site, session, app, others):
    server, _ = site
    groups.create(app.db, "cooking", ["youtube:spacefacts"], [])
    for data in ({}, {"csrf": "forged"}):
        for path, form in ((HOME, {"name": "sneaky", "members": "x:poster"}),
                           (f"{HOME}/cooking/edit", {"name": "hijacked", "members": "x:poster"}),
                           (f"{HOME}/cooking/remove", {})):
            answer = session.post(server.url + path, data={**data, **form}, allow_redirects=False)
            assert answer.status_code == 403, path
    assert [(g.name, [m.nickname for m in g.members]) for g in list_groups(app.db)] == [("cooking", ["spacefacts"])]
