"""/api/v1/accounts takes what ``moneyprinter accounts add|edit`` take: each network's options and the
cross-post destinations, checked by the same domain code, with the refused field named in the error."""

from __future__ import annotations

from moneyprinter.publishers import credentials
from moneyprinter.store.accounts import get_account
from tests.api.test_api import error_of

BLUESKY_SESSION = {"access_jwt": "bsky-access-jwt-api-secret-81", "refresh_jwt": "bsky-refresh-api-secret-82",
                   "did": "did:plc:xyz"}


def test_add_and_edit_take_each_networks_options(api, api_app):
    created = api.post("/api/v1/accounts", json={"platform": "tiktok", "nickname": "cook-tt", "publisher": "tiktok_api",
                                                 "options": {"post_mode": "inbox", "disable_duet": True}})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["options"] == {"post_mode": "inbox", "disable_duet": True}
    assert body["login"] == "not logged in" and body["login_command"] == "moneyprinter tiktok login --account cook-tt"
    edited = api.patch("/api/v1/accounts/tiktok/cook-tt",
                       json={"options": {"privacy_level": "MUTUAL_FOLLOW_FRIENDS", "post_mode": None}})
    assert edited.status_code == 200, edited.text
    assert edited.json()["options"] == {"disable_duet": True, "privacy_level": "MUTUAL_FOLLOW_FRIENDS"}
    assert get_account(api_app.db, "tiktok", "cook-tt").options == edited.json()["options"]
    api.post("/api/v1/accounts", json={"platform": "mastodon", "nickname": "toots"})
    toots = api.patch("/api/v1/accounts/mastodon/toots", json={"options": {"instance": "fosstodon.org/"}}).json()
    assert toots["options"] == {"instance": "https://fosstodon.org"}  # normalised as the login does
    api.post("/api/v1/accounts", json={"platform": "x", "nickname": "bob"})
    assert api.patch("/api/v1/accounts/x/bob", json={"options": {"thread_length": 4}}).json()["options"] == \
        {"thread_length": 4}


def test_a_refused_option_names_its_field_with_the_clis_message_and_changes_nothing(api, api_app, cli):
    api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "chan", "topic": "space"})
    error = error_of(api.patch("/api/v1/accounts/youtube/chan",
                               json={"topic": "stars", "options": {"privacy_status": "secret"}}), 400)
    assert error["field"] == "privacy_status"
    assert error["message"] == "the visibility must be one of private, unlisted, public, not 'secret'"
    said = cli("accounts", "edit", "youtube", "chan", "--set", "privacy_status=secret")
    assert said.exit_code == 2 and error["message"] in said.output
    assert get_account(api_app.db, "youtube", "chan").topic == "space"
    error = error_of(api.patch("/api/v1/accounts/youtube/chan", json={"options": {"colour": "red"}}), 400)
    assert error["field"] == "colour" and error["message"] == "a YouTube account has no option 'colour'"
    assert "privacy_status" in error["hint"]
    error = error_of(api.post("/api/v1/accounts", json={"platform": "bluesky", "nickname": "b",
                                                        "options": {"pds": "http://pds.example"}}), 400)
    assert error["field"] == "pds"
    error = error_of(api.post("/api/v1/accounts", json={"platform": "youtube", "nickname": "CHAN"}), 409)
    assert error["field"] == "nickname" and error["type"] == "Conflict"


def test_cross_post_destinations_are_set_and_cleared_like_the_cli(api, api_app):
    for platform, nick in (("youtube", "chan"), ("tiktok", "cook-tt"), ("x", "bob")):
        api.post("/api/v1/accounts", json={"platform": platform, "nickname": nick})
    edited = api.patch("/api/v1/accounts/youtube/chan", json={"cross_post": ["tiktok:cook-tt", "x:bob"]})
    assert edited.status_code == 200 and edited.json()["cross_post"] == ["tiktok:cook-tt", "x:bob"]
    assert api.get("/api/v1/accounts/youtube/chan").json()["cross_post"] == ["tiktok:cook-tt", "x:bob"]
    error = error_of(api.patch("/api/v1/accounts/x/bob", json={"cross_post": ["tiktok:cook-tt"]}), 400)
    assert error["field"] == "cross_post" and "TikTok takes videos only" in error["message"]
    error = error_of(api.patch("/api/v1/accounts/youtube/chan", json={"cross_post": ["bluesky:nobody"]}), 404)
    assert error["field"] == "cross_post" and error["message"] == "cross-post destination no bluesky account named 'nobody'"
    assert api.get("/api/v1/accounts/youtube/chan").json()["cross_post"] == ["tiktok:cook-tt", "x:bob"]
    assert api.patch("/api/v1/accounts/youtube/chan", json={"cross_post": []}).json()["cross_post"] == []


def test_no_credential_comes_back_in_an_account(api, api_app):
    api.post("/api/v1/accounts", json={"platform": "bluesky", "nickname": "cook", "publisher": "bluesky_api",
                                       "options": {"handle": "cook.bsky.social"}})
    account = get_account(api_app.db, "bluesky", "cook")
    credentials.save(api_app.db, "bluesky", account, BLUESKY_SESSION)
    from moneyprinter.store.accounts import update_account

    update_account(api_app.db, account, options={"access_jwt": BLUESKY_SESSION["access_jwt"]})  # an old import's stray
    shown = api.get("/api/v1/accounts/bluesky/cook").json()
    assert shown["login"] == "logged in" and shown["options"] == {"handle": "cook.bsky.social"}
    listed = api.get("/api/v1/accounts").text
    for text in (listed, *api.seen):
        assert BLUESKY_SESSION["access_jwt"] not in text and BLUESKY_SESSION["refresh_jwt"] not in text
