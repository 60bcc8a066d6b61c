"""YouTube Data API publishing against a local peer speaking the resumable upload protocol."""

from __future__ import annotations

import stat

import pytest

from moneyprinter import errors
from moneyprinter.publishers import quota, submit
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from tests.publishing.conftest import Child, short_item, video_file, youtube_account


def _setup(make_app, tmp_path, **account_kw):
    app = make_app()
    account = youtube_account(app, **account_kw)
    path = video_file(tmp_path)
    return app, account, short_item(app, account, path), path


def test_upload_publishes_once_with_metadata(youtube, make_app, tmp_path):
    app, _, item, path = _setup(make_app, tmp_path)
    result = submit(app, item)
    assert result.status == "published" and result.remote_id == "vid1"
    assert result.url == "https://www.youtube.com/shorts/vid1"
    video = youtube.videos[0]
    assert video["snippet"]["title"] == "A fact about owls" and video["snippet"]["tags"] == ["owls", "facts"]
    assert video["status"] == {"privacyStatus": "private", "selfDeclaredMadeForKids": False}
    assert bytes(youtube.sessions["s1"]["data"]) == path.read_bytes()
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "published" and pub.session_uri.endswith("/upload/session/s1")
    assert pub.file_hash and pub.request_ids == ["up-s1"]
    assert quota.spent(app.db, "youtube") == 1600
    # A second submit of the same item contacts nobody and creates nothing.
    requests_before = len(youtube.server.requests)
    assert submit(app, item).status == "published"
    assert len(youtube.server.requests) == requests_before and len(youtube.videos) == 1


def test_503_mid_upload_is_retried_and_resumed(youtube, make_app, tmp_path):
    app, _, item, path = _setup(make_app, tmp_path)
    youtube.put_script = ["ok", "503"]
    publish_item(app, item.id)
    assert len(youtube.videos) == 1
    assert bytes(youtube.sessions["s1"]["data"]) == path.read_bytes()
    queries = [r for r in youtube.server.requests if (r.header("Content-Range") or "").startswith("bytes */")]
    assert len(queries) == 1  # asked where the server stood before resuming


def test_connection_cut_mid_upload_resumes_from_servers_range(youtube, make_app, tmp_path):
    app, _, item, path = _setup(make_app, tmp_path)
    youtube.put_script = ["ok", "cut"]
    publish_item(app, item.id)
    assert len(youtube.videos) == 1 and len(youtube.sessions) == 1
    assert bytes(youtube.sessions["s1"]["data"]) == path.read_bytes()
    ranges = [r.header("Content-Range") for r in youtube.server.requests if r.method == "PUT"]
    half = 256 * 1024 + 128 * 1024
    assert f"bytes {half}-{half + 256 * 1024 - 1}/{path.stat().st_size}" in ranges


def test_gives_up_after_ten_retries_and_keeps_the_session(youtube, make_app, tmp_path):
    app, _, item, _ = _setup(make_app, tmp_path)
    youtube.put_script = ["503"] * 30
    youtube.query_script = ["503"] * 30
    with pytest.raises(errors.ServiceUnavailable, match="gave up after 10 retries"):
        publish_item(app, item.id)
    assert youtube.server.count("PUT", "/upload/session/s1") == 11
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "failed" and pub.session_uri
    # Later the service is back: the same session is resumed, no second session or video.
    youtube.put_script, youtube.query_script = [], []
    publish_item(app, item.id)
    assert len(youtube.sessions) == 1 and len(youtube.videos) == 1


def test_4xx_is_not_retried(youtube, make_app, tmp_path):
    app, _, item, _ = _setup(make_app, tmp_path)
    youtube.put_script = ["400"]
    with pytest.raises(errors.BadRequest):
        publish_item(app, item.id)
    assert youtube.server.count("PUT", "/upload/session/s1") == 1
    assert publications.get_for_item(app.db, item.id).status == "failed"


def test_quota_exceeded_defers_until_pacific_midnight(youtube, make_app, tmp_path):
    app, _, item, _ = _setup(make_app, tmp_path)
    youtube.init_script = ["quota"]
    with pytest.raises(errors.QuotaExceeded) as caught:
        publish_item(app, item.id)
    assert caught.value.resets_at == quota.next_reset()
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before == quota.next_reset()
    with pytest.raises(errors.RateLimited, match="deferred until"):
        publish_item(app, item.id)
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 1 and not youtube.videos
    # Another item of the same project is not tried either before the reset.
    (tmp_path / "other").mkdir()
    other = short_item(app, item_account(app, item), video_file(tmp_path / "other"))
    with pytest.raises(errors.QuotaExceeded):
        publish_item(app, other.id)
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 1


def item_account(app, item):
    from moneyprinter.store.accounts import get_account_by_id

    return get_account_by_id(app.db, item.account_id)


def test_configured_daily_quota_is_checked_before_calling(youtube, make_app, tmp_path, home):
    app, _, item, _ = _setup(make_app, tmp_path)
    quota.spend(app.db, "youtube", 9000)
    with pytest.raises(errors.QuotaExceeded, match="9000 of 10000"):
        publish_item(app, item.id)
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 0


def test_401_refreshes_the_token_once(youtube, make_app, tmp_path):
    app, account, item, _ = _setup(make_app, tmp_path)
    youtube.valid_tokens = {"access-2"}  # access-1 has been invalidated server-side
    publish_item(app, item.id)
    assert len(youtube.videos) == 1 and youtube.server.count("POST", "/token") == 1
    from moneyprinter.publishers import credentials

    assert credentials.load("youtube", account)["access_token"] == "access-2"


def test_revoked_token_says_log_in_again(youtube, make_app, tmp_path, cli):
    app, _, item, _ = _setup(make_app, tmp_path, refresh="revoked")
    youtube.valid_tokens = set()
    with pytest.raises(errors.Unauthorized, match="revoked") as caught:
        publish_item(app, item.id)
    assert "moneyprinter youtube login --account chan" in caught.value.hint
    assert publications.get_for_item(app.db, item.id).status == "failed" and not youtube.videos


def test_expired_token_is_refreshed_before_use(youtube, make_app, tmp_path):
    app, _, item, _ = _setup(make_app, tmp_path, expiry="2000-01-01T00:00:00+00:00")
    youtube.valid_tokens = {"access-2"}
    publish_item(app, item.id)
    assert youtube.server.count("POST", "/token") == 1 and len(youtube.videos) == 1


def test_token_file_is_private_and_never_printed(youtube, make_app, tmp_path, cli, home):
    app, account, item, _ = _setup(make_app, tmp_path)
    from moneyprinter.publishers.credentials import credential_path

    path = credential_path("youtube", account)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    result = cli("publish", str(item.id))
    assert result.exit_code == 0, result.output
    result = cli("publications", "--json")
    log = (home / "logs" / "moneyprinter.log").read_text()
    for secret in ("access-1", "refresh-1", "csecret"):
        assert secret not in result.output and secret not in log


def test_privacy_and_kids_are_configurable_per_account(youtube, make_app, tmp_path):
    app, account, item, _ = _setup(make_app, tmp_path)
    from moneyprinter.store.accounts import update_account

    update_account(app.db, account, options={"privacy_status": "unlisted", "made_for_kids": True, "category_id": "27"})
    publish_item(app, item.id)
    video = youtube.videos[0]
    assert video["status"] == {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": True}
    assert video["snippet"]["categoryId"] == "27"


def test_health_check_uses_channels_list(youtube, make_app, tmp_path):
    app, account, _, _ = _setup(make_app, tmp_path)
    from moneyprinter.publishers.youtube_api import YouTubeAPIPublisher

    result = YouTubeAPIPublisher().health_check(app, account)
    assert result.status.value == "PASS" and "Test Channel" in result.message
    youtube.valid_tokens = set()
    youtube.refresh_tokens = {}
    result = YouTubeAPIPublisher().health_check(app, account)
    assert result.status.value == "FAIL" and "youtube login" in result.remediation


@pytest.mark.parametrize("script", [[], ["ok", "503"], ["ok", "cut"], "refresh", "after-quota"],
                         ids=["plain", "after-503", "after-cut", "after-401-refresh", "after-quota-reset"])
def test_killed_after_server_accepted_then_rerun_gives_one_video(youtube, make_app, tmp_path, script):
    """The process dies after YouTube created the video and before the database recorded it."""
    app, _, item, path = _setup(make_app, tmp_path)
    if script == "refresh":
        youtube.valid_tokens = {"access-2"}
    elif script == "after-quota":  # an earlier run hit quotaExceeded; the quota has reset since
        youtube.init_script = ["quota"]
        with pytest.raises(errors.QuotaExceeded):
            publish_item(app, item.id)
        app.db.conn.execute("UPDATE publications SET not_before = NULL")
        app.db.conn.execute("DELETE FROM quota_spend")
    else:
        youtube.put_script = list(script)
    child = Child(item.id)
    youtube.on_created = child.kill
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    assert len(youtube.videos) == 1
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "publishing" and pub.session_uri  # the intent was recorded before the bytes
    youtube.on_created = None
    inits = youtube.server.count("POST", "/upload/youtube/v3/videos")
    pub, outcome = publish_item(app, item.id)  # the rerun reconciles through the status query
    assert pub.status == "published" and pub.remote_id == "vid1"
    assert len(youtube.videos) == 1 and len(youtube.sessions) == 1
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == inits  # no new session


def test_youtube_login_runs_the_installed_app_flow(youtube, server, home, make_app, cli, monkeypatch):
    """The real google-auth-oauthlib flow: a 'browser' follows the redirect with a code; the token is exchanged."""
    import threading
    import webbrowser
    from urllib.parse import parse_qs, urlsplit

    import requests

    from tests.publishing.conftest import write_config

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the local token endpoint is plain http
    write_config(home, {**youtube.settings(), "youtube_auth_uri": server.url("/auth")})
    opened = []

    class Browser:
        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            query = parse_qs(urlsplit(url).query)
            redirect = f"{query['redirect_uri'][0]}?state={query['state'][0]}&code=auth-code-1&scope=" + "+".join(
                query["scope"][0].split())
            threading.Thread(target=requests.get, args=(redirect,), kwargs={"timeout": 10}, daemon=True).start()
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Browser())
    app = make_app()
    from moneyprinter.store.accounts import add_account

    account = add_account(app.db, "youtube", "chan", publisher="youtube_api")
    result = cli("youtube", "login", "--account", "chan")
    assert result.exit_code == 0, result.output
    assert opened and opened[0].startswith(server.url("/auth"))
    from moneyprinter.publishers.credentials import credential_path, load

    path = credential_path("youtube", account)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    token = load("youtube", account)
    assert token["access_token"] == "access-1" and token["refresh_token"] == "refresh-1" and token["expiry"]
    for secret in ("access-1", "refresh-1", "csecret"):
        assert secret not in result.output
    row = app.db.query_one("SELECT * FROM publisher_tokens WHERE account_id = ?", (account.id,))
    assert row["provider"] == "youtube" and "youtube.upload" in row["scopes"]


@pytest.mark.parametrize("title", ["", "x" * 101, "a <b> title"])
def test_invalid_title_is_refused_before_any_request(youtube, make_app, tmp_path, title):
    app = make_app()
    account = youtube_account(app)
    item = short_item(app, account, video_file(tmp_path), title=title)
    with pytest.raises(errors.PublishError, match="title must be 1-100 characters"):
        publish_item(app, item.id)
    assert youtube.server.requests == []
    assert publications.get_for_item(app.db, item.id).status == "failed"


def test_missing_or_empty_video_is_refused(youtube, make_app, tmp_path):
    app = make_app()
    account = youtube_account(app)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    for media in (tmp_path / "gone.mp4", empty):
        item = short_item(app, account, media)
        with pytest.raises(errors.PublishError, match="no video file"):
            publish_item(app, item.id)
    assert youtube.server.requests == []
