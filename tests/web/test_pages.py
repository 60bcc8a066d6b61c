"""The pages' actions over HTTP against a real server: each one reaches the domain and the database,
and a refused one shows the domain's one-line message with its fix."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from moneyprinter.outreach import campaigns, inbox, incoming, suppression
from moneyprinter.scheduler import schedules as sched
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import list_accounts
from tests.outreach import answers
from tests.shorts.conftest import model_server  # noqa: F401 - the local model server the Shorts tests use
from tests.tasks.conftest import script_app  # noqa: F401
from tests.web.conftest import csrf_of


def _post(session, server, path: str, page: str = "/", **form):
    csrf = csrf_of(session.get(server.url + page).text)
    answer = session.post(server.url + path, data={"csrf": csrf, **form}, allow_redirects=False)
    assert answer.status_code == 303, (path, answer.status_code, answer.text[:300])
    flash = json.loads(unquote(answer.cookies.get("mp_flash", "%7B%7D")))
    return answer, flash


def test_review_shows_the_video_the_reasons_and_each_thread_part(site, session):
    server, seeded = site
    page = session.get(server.url + "/review").text
    assert '<video controls preload="metadata" src="/media/shorts/demo/short.mp4"' in page
    assert "written by the local model" in page
    assert "Part 1 of 2" in page and "Part 2 of 2" in page and "And end here 2/2" in page


def test_edit_title_and_description_of_a_short(site, session, app):
    server, seeded = site
    _, flash = _post(session, server, f"/review/{seeded.short_id}/edit", "/review", title="Mars: the rusty planet",
                     description="Iron oxide.", text="Mars is red because of rust.")
    assert flash["kind"] == "ok"
    item = content.get_item(app.db, seeded.short_id)
    assert item.title == "Mars: the rusty planet" and item.metadata.description == "Iron oxide."


def test_a_title_youtube_would_refuse_is_refused_with_the_fix(site, session, app):
    server, seeded = site
    _, flash = _post(session, server, f"/review/{seeded.short_id}/edit", "/review", title="")
    assert flash["kind"] == "error" and "YouTube title" in flash["text"] and flash["hint"]
    assert content.get_item(app.db, seeded.short_id).title == "Why Mars is red"
    shown = session.get(server.url + "/review").text
    assert "YouTube title must be" in shown  # the flash appears on the next page


def test_thread_parts_are_edited_one_by_one(site, session, app):
    server, seeded = site
    _, flash = _post(session, server, f"/review/{seeded.thread_id}/part/2", "/review", text="A new ending 2/2")
    assert flash["kind"] == "ok", flash
    item = content.get_item(app.db, seeded.thread_id)
    assert item.metadata.posts == ["Threads start here 1/2", "A new ending 2/2"]
    _, flash = _post(session, server, f"/review/{seeded.thread_id}/part/3", "/review", text="nope")
    assert flash["kind"] == "error" and "parts 1 to 2" in flash["text"]


def test_reject_with_a_reason(site, session, app):
    server, seeded = site
    _post(session, server, f"/review/{seeded.thread_id}/reject", "/review", reason="off topic")
    pub = publications.get_for_item(app.db, seeded.thread_id)
    assert pub.status == "rejected" and pub.error == "off topic"


def test_accounts_add_edit_remove(site, session, app):
    server, _ = site
    _, flash = _post(session, server, "/accounts", "/accounts", platform="youtube", nickname="cooking", topic="food",
                     language="en", publisher="outbox", approval="auto")
    assert flash["kind"] == "ok"
    account = next(a for a in list_accounts(app.db) if a.nickname == "cooking")
    _, flash = _post(session, server, f"/accounts/{account.id}/edit", "/accounts", nickname="cooking2",
                     topic="quick food", language="de", publisher="outbox", approval="manual")
    assert flash["kind"] == "ok"
    edited = next(a for a in list_accounts(app.db) if a.id == account.id)
    assert (edited.nickname, edited.topic, edited.language, edited.approval) == ("cooking2", "quick food", "de", "manual")
    csrf = csrf_of(session.get(server.url + "/accounts").text)
    taken = session.post(server.url + "/accounts", data={"csrf": csrf, "platform": "youtube", "nickname": "cooking2"})
    assert taken.status_code == 400 and "account named &#39;cooking2&#39; already exists" in taken.text
    _post(session, server, f"/accounts/{account.id}/remove", "/accounts")
    assert all(a.id != account.id for a in list_accounts(app.db))
    page = session.get(server.url + "/accounts").text
    assert "not logged in" not in page.split("poster")[1].split("</tr>")[0]  # the X account has its keys


def test_schedules_add_edit_disable_and_runs(site, session, app):
    server, seeded = site
    _, flash = _post(session, server, "/schedules", "/schedules", kind="youtube.short", account="spacefacts",
                     when="times", times="09:30, 18:45", days="mon-fri", tz="Europe/Berlin", jitter="10")
    assert flash["kind"] == "ok", flash
    added = [s for s in sched.list_schedules(app.db) if s.kind == "youtube.short"][0]
    assert added.trigger.describe() == "09:30, 18:45 Mon-Fri (Europe/Berlin)" and added.jitter_minutes == 10
    _, flash = _post(session, server, f"/schedules/{added.id}/edit", f"/schedules/{added.id}", when="every",
                     every="2h", jitter="0")
    assert flash["kind"] == "ok" and sched.get_schedule(app.db, added.id).trigger.every_seconds == 7200
    _post(session, server, f"/schedules/{added.id}/enabled", "/schedules", enabled="0")
    assert not sched.get_schedule(app.db, added.id).enabled
    _, flash = _post(session, server, "/schedules", "/schedules", kind="twitter.post", account="poster", when="every",
                     every="10s")
    assert flash["kind"] == "error" and "at least 1 minute" in flash["text"]
    detail = session.get(f"{server.url}/schedules/{seeded.schedule_id}").text
    assert "Next fire times" in detail and "10:00" in detail
    assert "X API: 403 duplicate content" in detail and "the post was refused" in detail  # runs with their output


def test_suppression_add_and_remove(site, session, app):
    server, _ = site
    _post(session, server, "/outreach/suppression", "/outreach", value="Spam@Shop.com", reason="asked")
    assert [s.value for s in suppression.list_all(app.db)] == ["spam@shop.com"]
    _, flash = _post(session, server, "/outreach/suppression", "/outreach", value="not an address")
    assert flash["kind"] == "error"
    _post(session, server, "/outreach/suppression/remove", "/outreach", value="spam@shop.com")
    assert suppression.list_all(app.db) == []


def test_campaign_page_previews_the_rendered_email(site, session):
    server, seeded = site
    page = session.get(f"{server.url}/outreach/{seeded.campaign}?business={seeded.business_id}").text
    assert "hello@crumb-bakery.de" in page and "1 Main Street" in page and "List-Unsubscribe" in page
    assert session.get(f"{server.url}/outreach/{seeded.campaign}?business=999").status_code == 404


def test_campaign_pages_count_and_list_replies_apart_from_auto_replies_and_stops(site, session, app):
    server, seeded = site
    campaign = campaigns.get(app.db, seeded.campaign)
    answers.sent(app.db, campaign, seeded.business_id, seeded.contact, "<m1@ann-example.com>")
    for raw in (answers.human("<m1@ann-example.com>", sender="Clara Crumb <clara@crumb-bakery.de>"),
                answers.out_of_office("<m1@ann-example.com>", sender="hello@crumb-bakery.de")):
        inbox.apply(app.db, incoming.classify(raw))
    page = session.get(f"{server.url}/outreach/{seeded.campaign}").text
    stats = {label: n for n, label in re.findall(r'<div class="n">(\d+)</div><div class="label">([^<]+)</div>', page)}
    assert (stats["replied"], stats["auto-replied"], stats["unsubscribed"]) == ("1", "1", "0")
    replies_card = page[page.index('id="replies"'):]
    assert "clara@crumb-bakery.de" in replies_card and "Crumb &amp; Co" in replies_card
    assert "Sounds interesting, call me Tuesday." in replies_card and "wrote:" not in replies_card
    assert replies_card.index("Sounds interesting") < replies_card.index("out of the office")  # replies first
    overview = session.get(f"{server.url}/outreach").text
    row = overview[overview.index(f"/outreach/{seeded.campaign}"):].split("</tr>")[0]
    cells = re.findall(r'<td class="num">(\d+)</td>', row)
    headers = re.findall(r'<th class="num">([^<]+)</th>', overview)
    assert dict(zip(headers, cells)) == {"businesses": "1", "with email": "1", "sent": "1", "bounced": "0",
                                         "unsubscribed": "0", "replied": "1", "auto-replied": "1",
                                         "awaiting review": "0"}


def test_approve_publishes_to_the_outbox_and_publication_page_explains(site, session, app, home):
    server, seeded = site
    _, flash = _post(session, server, f"/review/{seeded.short_id}/approve", "/review")
    assert flash["kind"] == "ok" and "outbox" in flash["text"], flash
    pub = publications.get_for_item(app.db, seeded.short_id)
    assert pub.status == "outbox" and (home / "outbox" / "youtube" / "spacefacts" / str(seeded.short_id)).is_dir()
    detail = session.get(f"{server.url}/publications/{pub.id}").text
    assert "wait in the outbox" in detail
    _post(session, server, f"/publications/{pub.id}/mark-published", f"/publications/{pub.id}",
          url="https://youtu.be/abc123")
    assert publications.get_for_item(app.db, seeded.short_id).status == "published"


def _read_sse(answer) -> list[tuple[str, dict, str]]:
    """(event, data, id) of every message of a text/event-stream answer, until it ends."""
    messages, fields = [], {}
    for line in answer.iter_lines(decode_unicode=True):
        if line:
            key, _, value = line.partition(": ")
            fields[key] = value
        elif fields:
            messages.append((fields.get("event", ""), json.loads(fields["data"]), fields.get("id", "")))
            fields = {}
    return messages


def test_a_shorts_stages_stream_over_sse_and_resume_after_the_last_seen(script_app):  # noqa: F811
    from tests.web.conftest import WebServer, login

    with WebServer(script_app) as server:
        session = login(server.url, server.token)
        _, flash = _post(session, server, "/make", "/make", account="sea", topics="How octopuses hide", script_only="1")
        assert flash["kind"] == "ok", flash
        task_id = int(session.get(server.url + "/make").text.split('href="/make/tasks/')[1].split('"')[0])
        with session.get(f"{server.url}/make/tasks/{task_id}/events", stream=True, timeout=120) as answer:
            assert answer.headers["content-type"].startswith("text/event-stream")
            messages = _read_sse(answer)
        progress = [m for m in messages if m[0] == "progress"]
        assert [m[1]["stage"] for m in progress if m[1]["stage"]][:2] == ["topic", "topic"]
        assert messages[-1][0] == "end" and messages[-1][1]["status"] == "done"
        shown = session.get(server.url + messages[-1][1]["item_url"].split("#")[0]).text
        assert "The Octopus" in shown  # the link leads to a page listing the new Short
        ids = [int(m[2]) for m in progress]
        assert ids == sorted(ids) and len(ids) == len(set(ids))
        resumed = session.get(f"{server.url}/make/tasks/{task_id}/events", headers={"Last-Event-ID": str(ids[2])},
                              stream=True, timeout=60)
        again = [int(m[2]) for m in _read_sse(resumed) if m[0] == "progress"]
        assert again == ids[3:]  # a reconnecting browser gets only what it has not seen
        assert session.get(f"{server.url}/make/tasks/999/events").status_code == 404
