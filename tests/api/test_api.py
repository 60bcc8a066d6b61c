"""The REST API over a real Uvicorn server: authentication, the CLI's operations, pagination, filters, errors."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from moneyprinter.outreach import inbox, incoming
from tests.api.conftest import SECRETS
from tests.outreach import answers
from tests.outreach.conftest import add_contact, make_campaign


def error_of(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    error = response.json()["error"]
    assert error["status"] == status and error["line"].startswith("error: ")
    return error


def operations(web_app) -> list[tuple[str, str]]:
    """Every operation that /docs lists, with its path parameters filled in."""
    fill = {"platform": "youtube", "nickname": "nobody", "item_id": "1", "task_id": "1", "schedule_id": "1",
            "name": "nobody"}
    found = []
    for path, methods in web_app.openapi()["paths"].items():
        for key, value in fill.items():
            path = path.replace("{" + key + "}", value)
        found += [(method.upper(), path) for method in methods]
    return sorted(found)


def test_every_route_answers_401_without_the_token_or_with_a_wrong_one(api):
    from moneyprinter.app import App
    from moneyprinter.web.server import create_app

    listed = operations(create_app(App()))
    assert len(listed) >= 35 and all(path.startswith("/api/v1/") for _, path in listed)
    began = time.monotonic()

    def refused(op):
        method, path = op
        # A connection of its own per request: eight threads share one requests.Session, and a pooled
        # connection that the server closes while the machine is loaded would fail a request before it is answered.
        return [api.call(method, path, token=token, json={}, headers={"Connection": "close"})
                for token in (None, "wrong-" + api.token[:10])]

    with ThreadPoolExecutor(8) as pool:
        for (method, path), answers in zip(listed, pool.map(refused, listed)):
            for response in answers:
                assert response.status_code == 401, (method, path, response.status_code, response.text)
                assert response.headers["WWW-Authenticate"] == "Bearer"
                assert response.json()["error"]["message"] == "missing or wrong access token"
    assert time.monotonic() - began >= 0.25 * 2 * len(listed) / 8 * 0.9  # every refusal waited
    assert api.get("/api/v1/accounts").status_code == 200


def test_accounts_round_trip_with_errors_mapped(api):
    created = api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "space", "topic": "space facts"})
    assert created.status_code == 201 and created.headers["Location"] == "/api/v1/accounts/youtube/space"
    assert created.json()["topic"] == "space facts"
    error = error_of(api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "space"}), 409)
    assert error["message"] == "a YouTube account named 'space' already exists" and error["type"] == "Conflict"
    error = error_of(api.get("/api/v1/accounts/youtube/nobody"), 404)
    assert error["message"] == "no youtube account named 'nobody'" and "space" in error["hint"]
    error = error_of(api.post("/api/v1/accounts", json={"platform": "myspace", "nickname": "a"}), 400)
    assert error["message"] == "unknown platform 'myspace'" and error["hint"].startswith("use one of")
    error = error_of(api.post("/api/v1/accounts", json={"platform": "x", "nickname": "a", "colour": "red"}), 422)
    assert error["message"] == "colour: Extra inputs are not permitted"
    assert error_of(api.patch("/api/v1/accounts/youtube/space", json={}), 400)["message"] == "nothing to change"
    edited = api.patch("/api/v1/accounts/youtube/space", json={"approval": "manual", "captions": "boxed"}).json()
    assert edited["approval"] == "manual" and edited["options"] == {"captions": "boxed"}
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "bob"})
    assert [a["nickname"] for a in api.get("/api/v1/accounts", params={"platform": "x"}).json()] == ["bob"]
    assert api.delete("/api/v1/accounts/youtube/space").status_code == 204
    assert [a["nickname"] for a in api.get("/api/v1/accounts").json()] == ["bob"]


def test_groups_round_trip_with_the_clis_one_line_refusals(api):
    for platform, nickname in (("youtube", "cooking"), ("x", "cookbot"), ("tiktok", "cook-tt"),
                               ("bluesky", "cook.bsky"), ("mastodon", "cook.social")):
        assert api.post("/api/v1/accounts", json={"platform": platform, "nickname": nickname}).status_code == 201
    created = api.post("/api/v1/groups", json={"name": "kitchen", "members": ["youtube:cooking"],
                                               "cross_post": ["tiktok:cook-tt", "bluesky:cook.bsky"]})
    assert created.status_code == 201 and created.headers["Location"] == "/api/v1/groups/kitchen"
    assert [d["nickname"] for d in created.json()["cross_post"]] == ["cook-tt", "cook.bsky"]
    assert api.get("/api/v1/accounts/youtube/cooking").json()["cross_post"] == []  # its own list: what PATCH sets
    taken = error_of(api.post("/api/v1/groups", json={"name": "kitchen"}), 409)
    assert taken["type"] == "Conflict" and taken["field"] == "name"
    refused = error_of(api.patch("/api/v1/groups/kitchen", json={"add_members": ["x:cookbot"]}), 400)
    assert refused["message"].startswith("group 'kitchen': cannot cross-post from x 'cookbot' to tiktok 'cook-tt'")
    assert refused["field"] == "cross_post"  # what a form shows it next to
    assert error_of(api.get("/api/v1/groups/nope"), 404)["message"] == "no group named 'nope'"
    assert error_of(api.post("/api/v1/groups", json={"name": "g", "colour": "red"}), 422)
    edited = api.patch("/api/v1/groups/kitchen", json={"name": "food", "add_members": ["x:cookbot"],
                                                      "cross_post": ["mastodon:cook.social"]})
    assert edited.status_code == 200, edited.text
    assert [m["nickname"] for m in edited.json()["members"]] == ["cooking", "cookbot"]
    assert [g["name"] for g in api.get("/api/v1/groups").json()] == ["food"]
    assert api.get("/api/v1/groups/food").json()["cross_post"][0]["platform"] == "mastodon"
    assert api.delete("/api/v1/groups/food").status_code == 204
    assert api.get("/api/v1/groups").json() == [] and len(api.get("/api/v1/accounts").json()) == 5


def test_posts_keep_to_review_and_the_outbox_with_pages_and_filters(api):
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "bob", "topic": "ai", "approval": "manual"})
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "alice", "topic": "ai"})
    held = api.post("/api/v1/posts", json={"account": "bob", "text": "A post that a person reads first."})
    assert held.status_code == 201 and held.json()["status"] == "review"  # manual approval: the API cannot skip it
    item_id = held.json()["item"]["id"]
    assert held.headers["Location"] == f"/api/v1/items/{item_id}"
    for n in range(3):
        sent = api.post("/api/v1/posts", json={"account": "alice", "text": f"Post number {n} goes to the outbox."})
        assert sent.json()["status"] == "outbox" and sent.json()["item"]["status"] == "outbox"

    first = api.get("/api/v1/posts", params={"account": "alice", "limit": 2}).json()
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next"] == "/api/v1/posts?account=alice&offset=2&limit=2"
    rest = api.get(first["next"]).json()
    assert [i["body"] for i in rest["items"]] == ["Post number 0 goes to the outbox."] and rest["next"] is None
    assert api.get("/api/v1/posts", params={"status": "review"}).json()["total"] == 1
    pubs = api.get("/api/v1/publications", params={"status": "outbox", "account": "alice"}).json()
    assert pubs["total"] == 3 and all(p["attempts"][0]["outcome"] == "outbox" for p in pubs["items"])
    assert "session_uri" not in pubs["items"][0] and "state" not in pubs["items"][0]
    assert error_of(api.get("/api/v1/publications", params={"status": "lost"}), 400)["message"] == \
        "unknown publication status 'lost'"

    waiting = api.get("/api/v1/review").json()["items"]
    assert [w["item"]["id"] for w in waiting] == [item_id] and waiting[0]["account"]["nickname"] == "bob"
    assert error_of(api.post(f"/api/v1/items/{item_id}/publish"), 400)["message"] == f"item {item_id} is waiting for review"
    edited = api.patch(f"/api/v1/review/{item_id}", json={"text": "An edited post, read by a person."})
    assert edited.json()["texts"] == ["An edited post, read by a person."]
    approved = api.post(f"/api/v1/review/{item_id}/approve").json()
    assert approved["status"] == "outbox" and approved["item"]["body"] == "An edited post, read by a person."
    assert error_of(api.post(f"/api/v1/review/{item_id}/approve"), 400)["message"].startswith(f"item {item_id} was approved")
    assert api.get("/api/v1/review").json()["total"] == 0


def test_a_thread_is_edited_part_by_part_and_rejected(api, api_app):
    from moneyprinter.publishers import submit
    from moneyprinter.store import content
    from moneyprinter.store.accounts import add_account

    bob = add_account(api_app.db, "x", "bob", approval="manual")
    item = content.create_item(api_app.db, bob.id, "thread", body="One.\n\nTwo.",
                               metadata={"posts": ["First part.", "Second part."]})
    submit(api_app, item)
    error = error_of(api.patch(f"/api/v1/review/{item.id}", json={"text": "New."}), 400)
    assert "say which one to change" in error["message"]
    edited = api.patch(f"/api/v1/review/{item.id}", json={"text": "A new second part.", "part": 2}).json()
    assert edited["texts"] == ["First part.", "A new second part."]
    rejected = api.post(f"/api/v1/review/{item.id}/reject", json={"reason": "off topic"}).json()
    assert rejected["status"] == "rejected"
    assert error_of(api.post(f"/api/v1/review/{item.id}/approve"), 400)["message"] == \
        f"item {item.id} was rejected in review"
    error = error_of(api.patch(f"/api/v1/review/{item.id}", json={"text": "Too late.", "part": 1}), 409)
    assert error["message"] == f"item {item.id} cannot be edited while it is rejected" and error["type"] == "Conflict"


def test_schedules_add_list_next_enable_disable_and_runs(api):
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "alice", "topic": "ai"})
    body = {"kind": "twitter.post", "target": "alice", "at": ["09:30", "18:00"], "tz": "Europe/Berlin"}
    added = api.post("/api/v1/schedules", json=body)
    assert added.status_code == 201, added.text
    schedule = added.json()
    assert schedule["enabled"] and schedule["next_run_at"] and schedule["trigger"] == "09:30, 18:00 daily (Europe/Berlin)"
    assert error_of(api.post("/api/v1/schedules", json=body), 409)["message"].startswith(f"schedule {schedule['id']} already runs")
    error = error_of(api.post("/api/v1/schedules", json={"kind": "twitter.post", "target": "alice"}), 400)
    assert error["message"] == "give exactly one of --preset, --at or --every"
    assert error_of(api.post("/api/v1/schedules", json={"kind": "twitter.post", "target": "zed", "preset": "once"}),
                    404)["message"] == "no x account named 'zed'"
    fires = api.get(f"/api/v1/schedules/{schedule['id']}/next", params={"count": 3, "from": "2026-03-08T00:00"}).json()
    assert [f["local"][11:16] for f in fires["fires"]] == ["09:30", "18:00", "09:30"] and fires["timezone"] == "Europe/Berlin"
    off = api.post(f"/api/v1/schedules/{schedule['id']}/disable").json()
    assert not off["enabled"] and off["next_run_at"] is None
    assert api.get("/api/v1/schedules", params={"enabled": "true"}).json()["total"] == 0
    assert api.get("/api/v1/schedules").json()["items"][0]["id"] == schedule["id"]
    on = api.patch(f"/api/v1/schedules/{schedule['id']}", json={"enabled": True, "managed_by": "cron"}).json()
    assert on["enabled"] and on["managed_by"] == "cron"
    runs = api.get("/api/v1/runs", params={"limit": 5}).json()
    assert runs == {"items": [], "total": None, "limit": 5, "offset": 0, "next": None}
    assert api.delete(f"/api/v1/schedules/{schedule['id']}").status_code == 204
    assert error_of(api.get(f"/api/v1/schedules/{schedule['id']}"), 404)


def test_outreach_campaigns_stats_and_a_rendered_preview(api, api_app):
    campaign = make_campaign(api_app.db)
    for i in range(1, 4):
        add_contact(api_app.db, campaign, f"Dental {i}", f"info@dental{i}.de")
    listed = api.get("/api/v1/outreach/campaigns").json()
    assert listed[0]["name"] == "dentists" and listed[0]["stats"]["with_email"] == 3
    preview = api.get("/api/v1/outreach/campaigns/dentists/preview", params={"limit": 2}).json()
    assert preview["total"] == 3 and len(preview["items"]) == 2 and preview["next"]
    first = preview["items"][0]
    assert first["address"].startswith("info@dental") and first["subject"] and first["business"] in first["text"]
    assert error_of(api.get("/api/v1/outreach/campaigns/plumbers"), 404)["message"] == \
        "no outreach campaign named 'plumbers'"


def test_outreach_stats_count_replies_auto_replies_and_stops_apart_and_list_the_replies(api, api_app):
    db = api_app.db
    campaign = make_campaign(db)
    for i in range(1, 4):
        business_id = add_contact(db, campaign, f"Dental {i}", f"info@dental{i}.de")
        answers.sent(db, campaign, business_id, f"info@dental{i}.de", f"<m{i}@ann-example.com>")
    for raw in (answers.human("<m1@ann-example.com>"), answers.stop("<m2@ann-example.com>"),
                answers.out_of_office("<m3@ann-example.com>")):
        inbox.apply(db, incoming.classify(raw))
    stats = api.get("/api/v1/outreach/campaigns/dentists").json()["stats"]
    assert {k: stats[k] for k in ("sent", "bounced", "unsubscribed", "replied", "auto_replied")} == {
        "sent": 3, "bounced": 0, "unsubscribed": 1, "replied": 1, "auto_replied": 1}
    assert api.get("/api/v1/outreach/campaigns").json()[0]["stats"] == stats
    listed = api.get("/api/v1/outreach/campaigns/dentists/replies").json()
    assert listed["total"] == 1 and listed["items"] == [{
        "business": "Dental 1", "address": "info@dental1.de", "sender": "anna@gmail.example", "kind": "reply",
        "subject": "Re: A question about Dental 1", "snippet": "Sounds interesting, call me Tuesday.",
        "received_at": "2026-12-01T08:30:00+00:00"}]
    every = api.get("/api/v1/outreach/campaigns/dentists/replies", params={"kind": "all"}).json()
    assert sorted(r["kind"] for r in every["items"]) == ["auto_reply", "reply", "unsubscribe"]
    assert error_of(api.get("/api/v1/outreach/campaigns/dentists/replies", params={"kind": "maybe"}), 400)


def test_a_script_only_short_returns_202_then_polls_and_streams_to_done(api):
    api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "sea", "topic": "sea animals"})
    error = error_of(api.post("/api/v1/shorts", json={"account": "sea", "aspect": "4:3"}), 422)
    assert error["message"].startswith("aspect: Input should be")
    error_of(api.post("/api/v1/shorts", json={"account": "nobody"}), 404)
    started = api.post("/api/v1/shorts", json={"account": "sea", "topic": "How octopuses hide", "script_only": True})
    assert started.status_code == 202, started.text
    task = started.json()
    assert started.headers["Location"] == f"/api/v1/tasks/{task['id']}" and task["status"] in ("queued", "running")
    with api.session.get(api.base + task["links"]["events"], stream=True, timeout=60,
                         headers={"Authorization": f"Bearer {api.token}"}) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(chunk for chunk in stream.iter_content(None, decode_unicode=True))
    blocks = [b for b in text.split("\n\n") if b.strip()]
    stages = [json.loads(b.split("data: ", 1)[1])["stage"] for b in blocks if "event: stage" in b]
    assert [s for s in ("topic", "script", "metadata") if s in stages] == ["topic", "script", "metadata"]
    end = json.loads(blocks[-1].split("data: ", 1)[1])
    assert blocks[-1].startswith("event: end") and end["status"] == "done" and end["progress"] == 1.0
    done = api.get(started.headers["Location"]).json()
    assert done["item_id"] and done["links"]["item"] == f"/api/v1/shorts/{done['item_id']}"
    short = api.get(done["links"]["item"]).json()
    assert short["status"] == "draft" and short["title"] == "The Octopus Colour Trick"
    seqs = [int(b.split("\n")[0][4:]) for b in blocks if b.startswith("id: ")]
    replay = api.session.get(api.base + task["links"]["events"], timeout=30,
                             headers={"Authorization": f"Bearer {api.token}", "Last-Event-ID": str(seqs[-2])}).text
    assert replay.count("event: stage") == 1 and "event: end" in replay  # a reconnect gets only what it missed
    listed = api.get("/api/v1/tasks", params={"status": "done", "account": "sea"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == task["id"]
    assert api.get("/api/v1/shorts", params={"account": "sea", "status": "draft"}).json()["total"] == 1
    error_of(api.get("/api/v1/tasks/999"), 404)


def test_the_health_report_and_every_answer_carry_no_secret(api, api_app):
    report = api.get("/api/v1/health")
    assert report.status_code == 200 and report.json()["checks"]
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "alice", "topic": "ai"})
    api.post("/api/v1/posts", json={"account": "alice", "text": f"leaking {SECRETS['SMTP_PASSWORD']} here?"})
    from moneyprinter.app import App
    from moneyprinter.web.server import create_app

    for method, path in operations(create_app(App())):
        if method == "GET" and not path.endswith("/events") and path != "/api/v1/health":
            api.get(path)
    api.get("/openapi.json")
    api.get("/api/v1/accounts", token="wrong")
    everything = "\n".join(api.seen)
    for name, value in SECRETS.items():
        assert value not in everything, name
    assert api.token not in everything


@pytest.mark.parametrize(("error", "status"), [
    ("RateLimited", 429), ("QuotaExceeded", 429), ("NeedsKey", 503), ("ConfigError", 503), ("NotFound", 404),
    ("Conflict", 409), ("UsageError", 400), ("ServiceUnavailable", 503), ("MoneyPrinterError", 500)])
def test_one_table_maps_each_error_to_its_status(error, status):
    from moneyprinter import errors
    from moneyprinter.web.api.errors import error_response

    cls = getattr(errors, error)
    exc = {"RateLimited": lambda: cls("X", "too many requests", retry_after=30.2),
           "ServiceUnavailable": lambda: cls("X", "down"),
           "NeedsKey": lambda: cls("mistral", "MISTRAL_API_KEY")}.get(error, lambda: cls("it failed", hint="fix it"))()
    response = error_response(exc)
    assert response.status_code == status
    if error == "RateLimited":
        assert response.headers["Retry-After"] == "30"


def test_a_pitch_reads_the_product_and_keeps_the_disclosure(api, script, shop, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__ALLOW_PRIVATE_ADDRESSES", "true")  # the shop is on loopback
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "brewbot", "topic": "home coffee"})
    script.say("Tired of bad hotel coffee? This press brews a smooth cup in one minute and packs into its own mug.")
    pitched = api.post("/api/v1/pitches", json={"account": "brewbot", "link": shop.url("/products/aeropress-go")})
    assert pitched.status_code == 201, pitched.text
    item = pitched.json()["item"]
    assert pitched.json()["status"] == "outbox" and shop.url("/products/aeropress-go") in item["body"]
    assert "#ad" in item["body"].lower() or "affiliate" in item["body"].lower()
    listed = api.get("/api/v1/pitches", params={"account": "brewbot"}).json()
    assert listed["total"] == 1 and listed["items"][0]["kind"] == "pitch"
    error = error_of(api.post("/api/v1/pitches", json={"account": "brewbot", "link": shop.url("/nothing-here")}), 400)
    assert error["message"].startswith("the product page was not found (HTTP 404)") and error["hint"] == "check the link"


def test_the_docs_page_lists_every_operation_from_local_files(api):
    import re

    page = api.get("/docs", token=None)
    assert page.status_code == 200 and "swagger-ui-bundle.js" in page.text
    assets = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert assets and all(a.startswith("/docs/static/") for a in assets), assets  # no CDN
    for asset in assets:
        assert api.get(asset, token=None).status_code == 200, asset
    spec = api.get("/openapi.json", token=None).json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("summary") and operation["tags"], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_every_worker_thread_shares_the_servers_http_client_and_nothing_closes_it(api_app, api):
    from moneyprinter import http_client

    shared = api_app.http
    with ThreadPoolExecutor(10) as pool:  # many requests at once: many new worker threads
        answers = list(pool.map(lambda _: api.get("/api/v1/accounts").status_code, range(48)))
    assert answers == [200] * 48
    assert http_client.get_http_client() is shared and not shared._closed
    web = api.web
    assert web.state.mcp_server.apps is web.state.thread_apps  # MCP over HTTP uses the pages' and API's helper


def _finished(api, task_id: int, seconds: float = 240) -> dict:
    deadline = time.monotonic() + seconds
    while (task := api.get(f"/api/v1/tasks/{task_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, task
        time.sleep(0.2)
    return task


def test_a_script_only_draft_is_read_edited_and_rendered_over_the_api(api):
    api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "sea", "topic": "sea animals"})
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "alice", "topic": "ai"})
    post_id = api.post("/api/v1/posts", json={"account": "alice", "text": "Not a draft."}).json()["item"]["id"]
    started = api.post("/api/v1/shorts", json={"account": "sea", "topic": "How octopuses hide", "script_only": True})
    item_id = _finished(api, started.json()["id"], 120)["item_id"]
    script = api.get(f"/api/v1/shorts/{item_id}/script").json()
    count = len(script["sentences"])
    assert count >= 3 and script["item_id"] == item_id and script["title"] and script["tags"]

    error = error_of(api.patch(f"/api/v1/shorts/{item_id}/script", json={"sentence": 2, "text": "Too meta?",
                                                                         "colour": "red"}), 422)
    assert error["message"] == "colour: Extra inputs are not permitted"
    assert error_of(api.patch(f"/api/v1/shorts/{item_id}/script", json={}), 400)["message"] == "nothing to change"
    error = error_of(api.patch(f"/api/v1/shorts/{item_id}/script", json={"sentence": 99, "text": "Octopuses."}), 400)
    assert error["message"] == f"Short {item_id} has sentences 1 to {count}, not 99"
    assert "tags that say nothing" in error_of(api.patch(f"/api/v1/shorts/{item_id}/script",
                                                         json={"tags": ["the", "and"]}), 400)["message"]
    error = error_of(api.patch(f"/api/v1/shorts/{post_id}/script", json={"text": "Hi."}), 409)
    assert error["message"].startswith(f"item {post_id} is not a script-only Short draft")
    error_of(api.get(f"/api/v1/shorts/{post_id}/script"), 409)
    error_of(api.patch("/api/v1/shorts/999/script", json={"text": "Hi."}), 404)

    meta = api.patch(f"/api/v1/shorts/{item_id}/script",
                     json={"sentence": 2, "text": "This sentence should only appear once."}).json()
    assert meta["sentences"][1] == "This sentence should only appear once." and len(meta["sentences"]) == count
    assert any("meta talk" in reason for reason in meta["reasons"])  # the gate ran on the edited words
    new = "An octopus can change colour in a fraction of a second."
    edited = api.patch(f"/api/v1/shorts/{item_id}/script",
                       json={"sentence": 2, "text": new, "title": "Octopus Colour Magic", "tags": ["octopus", "camouflage"]})
    assert edited.status_code == 200, edited.text
    assert edited.json()["reasons"] == [] and edited.json()["tags"] == ["octopus", "camouflage"]
    assert api.get(f"/api/v1/shorts/{item_id}/script").json() == edited.json()

    resumed = api.post(f"/api/v1/shorts/{item_id}/resume", json={"publish": False})
    assert resumed.status_code == 202, resumed.text
    task = _finished(api, resumed.json()["id"])
    assert task["status"] == "done" and task["item_id"] == item_id, task
    short = api.get(f"/api/v1/shorts/{item_id}").json()
    assert new in short["body"] and short["title"] == "Octopus Colour Magic" and short["media_exists"]
    error_of(api.patch(f"/api/v1/shorts/{item_id}/script", json={"text": "Too late."}), 409)  # rendered now
