"""The ``tiktok_api`` publisher against a local peer speaking TikTok's Content Posting API and Login Kit.

Run with ``-s`` to see the kill-matrix lines: where the process died, what the automatic paths did,
what a person had to do, and how many posts TikTok ends up with.
"""

from __future__ import annotations

import itertools
import json
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from moneyprinter import errors
from moneyprinter.errors import MoneyPrinterError
from moneyprinter.publishers.engine import publish_due, publish_item
from moneyprinter.store import publications
from tests.conftest import run_moneyprinter, subprocess_env
from tests.publishing.conftest import Child, post_item, short_item, write_config
from tests.publishing.fake_tiktok import CLIENT_KEY, CLIENT_SECRET, MB, FakeTikTok, chunk_rules_broken

CAPTION = "A fact about owls #owls #facts"


# --- fixtures ---------------------------------------------------------------------------------------


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture(scope="module")
def mp4(tmp_path_factory) -> Path:
    """A real 2-second vertical H.264 MP4, like a tiny rendered Short."""
    path = tmp_path_factory.mktemp("tiktok-media") / "short.mp4"
    subprocess.run([_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=180x320:rate=30", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                    "-movflags", "+faststart", str(path)], check=True, timeout=120)
    return path


@pytest.fixture(scope="module")
def big_mp4(mp4, tmp_path_factory) -> Path:
    """The same MP4 grown past 11 MB with a trailing 'free' box (players skip it): two chunks of 5 MB+."""
    path = tmp_path_factory.mktemp("tiktok-big") / "big.mp4"
    pad = 11 * MB + 12345 - mp4.stat().st_size
    path.write_bytes(mp4.read_bytes() + pad.to_bytes(4, "big") + b"free" + bytes(pad - 8))
    return path


@pytest.fixture
def tiktok(server, home, monkeypatch):
    fake = FakeTikTok(server)
    fake.grant()
    monkeypatch.setenv("TIKTOK_CLIENT_KEY", CLIENT_KEY)
    monkeypatch.setenv("TIKTOK_CLIENT_SECRET", CLIENT_SECRET)
    write_config(home, {**fake.settings(), "tiktok_poll_interval_s": 0.02, "tiktok_chunk_bytes": 5 * MB})
    return fake


def tiktok_account(app, *, nickname="mytt", options=None, access="tt-access-1", refresh="tt-refresh-1",
                   expiry=None, scope="user.info.basic,video.publish,video.upload"):
    from moneyprinter.publishers import tiktok_oauth
    from moneyprinter.store.accounts import add_account

    account = add_account(app.db, "tiktok", nickname, publisher="tiktok_api", options=options or {})
    tiktok_oauth.store_token(app, account, {"access_token": access, "refresh_token": refresh, "open_id": "open-1",
                                            "scope": scope, "expiry": expiry})
    return account


def _free_defer(app) -> None:
    """Time passes: every deferral is over and TikTok's minute windows have reopened."""
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE not_before IS NOT NULL")
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")


# --- chunk arithmetic (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "preferred", "chunk", "count"), [
    (3 * MB, 10 * MB, 3 * MB, 1),            # under 5 MB: whole, chunk_size = video size
    (5 * MB, 10 * MB, 5 * MB, 1),
    (5 * MB, 5 * MB, 5 * MB, 1),
    (11 * MB, 5 * MB, 5 * MB, 2),            # the trailing 1 MB rides in the last chunk
    (70 * MB, 10 * MB, 10 * MB, 7),
    (70 * MB, 64 * MB, 35 * MB, 2),          # over 64 MB is never one chunk
    (200 * MB, 10 * MB, 10 * MB, 20),
    (200 * MB + 7, 64 * MB, 64 * MB, 3),     # last chunk 72 MB + 7 bytes (<= 128 MB)
    (4000 * MB, 5 * MB, 5 * MB, 800),
])
def test_chunk_plan_follows_tiktoks_rules(size, preferred, chunk, count):
    from moneyprinter.publishers.tiktok_upload import plan_chunks

    plan = plan_chunks(size, preferred)
    assert (plan.chunk_size, plan.count) == (chunk, count)
    assert chunk_rules_broken(size, plan.chunk_size, plan.count) is None
    ranges = plan.ranges()
    assert ranges[0][0] == 0 and ranges[-1][1] == size - 1 and len(ranges) == count
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(ranges))
    assert all(last - first + 1 <= 128 * MB for first, last in ranges)


def test_chunk_plan_refuses_an_empty_file():
    from moneyprinter.publishers.tiktok_upload import plan_chunks

    with pytest.raises(errors.PublishError, match="empty"):
        plan_chunks(0, 10 * MB)


# --- happy paths ---------------------------------------------------------------------------------------


def test_short_is_posted_directly_as_self_only(tiktok, make_app, mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app), mp4)
    pub, outcome = publish_item(app, item.id)
    assert pub.status == "published" and len(tiktok.posts) == 1
    post = tiktok.posts[0]
    assert bytes(post.data) == mp4.read_bytes() and post.chunks == 1 and post.chunk_size == mp4.stat().st_size
    assert post.post_info["title"] == CAPTION and post.post_info["privacy_level"] == "SELF_ONLY"
    assert post.post_info["disable_duet"] is True  # the creator turned duets off: never offered
    assert post.post_info["disable_comment"] is False
    assert pub.state["publish_id"] == post.id and pub.remote_id == post.id
    assert "SELF_ONLY" in outcome.message and "unaudited" in outcome.message
    creator = tiktok.server.requests[0]
    assert creator.path == "/v2/post/publish/creator_info/query/"  # asked before anything else


def test_a_large_video_goes_up_in_chunks_with_content_range(tiktok, make_app, big_mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app), big_mp4)
    pub, _ = publish_item(app, item.id)
    post = tiktok.posts[0]
    assert pub.status == "published" and post.chunks == 2 and post.chunk_size == 5 * MB
    assert post.puts == [(0, 5 * MB - 1), (5 * MB, big_mp4.stat().st_size - 1)]
    assert bytes(post.data) == big_mp4.read_bytes()
    puts = [r for r in tiktok.server.requests if r.method == "PUT"]
    assert [r.header("Content-Type") for r in puts] == ["video/mp4", "video/mp4"]


def test_inbox_mode_sends_the_video_to_the_creators_inbox(tiktok, make_app, mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app, options={"post_mode": "inbox"}), mp4)
    pub, outcome = publish_item(app, item.id)
    assert len(tiktok.inbox) == 1 and tiktok.posts == []
    assert tiktok.server.count("POST", "/v2/post/publish/inbox/video/init/") == 1
    assert tiktok.server.count("POST", "/v2/post/publish/video/init/") == 0
    assert pub.status == "published"
    assert "sent to the TikTok inbox: the creator completes the post in the app" in outcome.message


def test_a_youtube_short_cross_posts_to_tiktok_without_touching_its_own_status(tiktok, make_app, mp4):
    from moneyprinter.publishers import submit
    from moneyprinter.store import content
    from moneyprinter.store.accounts import add_account

    app = make_app()
    home = add_account(app.db, "youtube", "chan", publisher="outbox")
    item = short_item(app, home, mp4)
    result = submit(app, item, tiktok_account(app))
    assert result.status == "published" and len(tiktok.posts) == 1
    assert publications.get_for_item(app.db, item.id, "tiktok").status == "published"
    assert content.get_item(app.db, item.id).status == "ready"


def test_the_real_cli_publishes_the_short(tiktok, make_app, mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app), mp4)
    done = run_moneyprinter("publish", str(item.id))
    assert done.returncode == 0, done.stderr
    assert "SELF_ONLY" in done.stdout and "TikTok" in done.stdout
    assert len(tiktok.posts) == 1


# --- refusals before any request ---------------------------------------------------------------------


def test_a_privacy_level_the_account_does_not_allow_is_refused_naming_the_allowed_ones(tiktok, make_app, mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app, options={"privacy_level": "PUBLIC_TO_EVERYONE"}), mp4)
    with pytest.raises(errors.PublishError) as caught:
        publish_item(app, item.id)
    text = str(caught.value)
    assert "PUBLIC_TO_EVERYONE" in text and "allows only: SELF_ONLY" in text and "unaudited" in text
    assert tiktok.inits == 0
    assert publications.get_for_item(app.db, item.id).status == "failed"


def test_an_audited_app_may_post_publicly(tiktok, make_app, mp4):
    tiktok.audited = True
    app = make_app()
    item = short_item(app, tiktok_account(app, options={"privacy_level": "PUBLIC_TO_EVERYONE"}), mp4)
    pub, outcome = publish_item(app, item.id)
    assert pub.remote_url == f"https://www.tiktok.com/@owlfacts/video/{tiktok.posts[0].post_id}"
    assert "unaudited" not in outcome.message


def test_preflight_names_the_destination(tiktok, make_app, mp4):
    from moneyprinter.publishers.tiktok_api import TikTokAPIPublisher

    app = make_app()
    account = tiktok_account(app)
    publisher = TikTokAPIPublisher()
    assert publisher.preflight(app, account, short_item(app, account, mp4)) == []
    assert publisher.preflight(app, account, post_item(app, account)) == [
        "tiktok 'mytt': TikTok takes videos only; a post cannot go there"]
    long = short_item(app, account, mp4, title="o" * 2190)
    assert publisher.preflight(app, account, long) == [
        "tiktok 'mytt': the caption (title and hashtags) is 2203 characters; TikTok allows 2200"]
    bad = tiktok_account(app, nickname="other", options={"post_mode": "draft"})
    assert "post_mode must be direct or inbox" in publisher.preflight(app, bad, short_item(app, bad, mp4))[0]


def test_publish_refuses_what_preflight_refuses_without_a_request(tiktok, make_app, mp4):
    app = make_app()
    account = tiktok_account(app)
    for item in (post_item(app, account), short_item(app, account, mp4, title="o" * 2190)):
        with pytest.raises(errors.UsageError, match="tiktok 'mytt'"):
            publish_item(app, item.id)
    assert tiktok.server.requests == []


def test_settings_command_sets_how_the_account_posts(tiktok, make_app, cli):
    from moneyprinter.store.accounts import get_account

    app = make_app()
    tiktok_account(app)
    result = cli("tiktok", "settings", "--account", "mytt", "--post-mode", "inbox")
    assert result.exit_code == 0 and "post_mode inbox, privacy_level SELF_ONLY" in result.output
    assert "5 users a day" in result.output
    assert get_account(app.db, "tiktok", "mytt").options["post_mode"] == "inbox"
    assert cli("tiktok", "settings", "--account", "mytt", "--privacy-level", "ALL").exit_code == 2


def test_a_video_longer_than_the_creator_may_post_is_refused(tiktok, make_app, mp4):
    tiktok.creator["max_video_post_duration_sec"] = 1
    app = make_app()
    item = short_item(app, tiktok_account(app), mp4)
    with pytest.raises(errors.PublishError, match="2.0 s long; this TikTok account may post at most 1 s"):
        publish_item(app, item.id)
    assert tiktok.inits == 0


# --- errors and limits ---------------------------------------------------------------------------------


def test_an_expired_token_is_refreshed_and_the_rotated_refresh_token_kept(tiktok, make_app, mp4):
    from moneyprinter.publishers import credentials

    app = make_app()
    account = tiktok_account(app, expiry="2000-01-01T00:00:00+00:00")
    publish_item(app, item_id=short_item(app, account, mp4).id)
    token = credentials.load("tiktok", account)
    assert token["refresh_token"] != "tt-refresh-1" and token["refresh_token"] in tiktok.refresh_tokens
    assert len(tiktok.posts) == 1


def test_401_after_a_refused_refresh_names_the_login_command(tiktok, make_app, mp4):
    app = make_app()
    account = tiktok_account(app, access="revoked", refresh="revoked-too")
    with pytest.raises(errors.Unauthorized) as caught:
        publish_item(app, short_item(app, account, mp4).id)
    assert "moneyprinter tiktok login --account mytt" in caught.value.hint
    assert tiktok.inits == 0


def test_a_missing_scope_says_which(tiktok, make_app, mp4):
    tiktok.grant("tt-upload-only", "tt-r2", scope="user.info.basic,video.upload")
    app = make_app()
    account = tiktok_account(app, access="tt-upload-only", refresh="tt-r2", scope="user.info.basic,video.upload")
    with pytest.raises(errors.Unauthorized) as caught:
        publish_item(app, short_item(app, account, mp4).id)
    assert "video.publish" in str(caught.value) and "--post-mode inbox" in caught.value.hint


@pytest.mark.parametrize(("action", "status", "words"), [
    ("429", "pending", "rate limit"),
    ("403", "pending", "daily"),
    ("500", "needs_attention", "no lookup"),
    ("drop", "needs_attention", "no lookup"),
])
def test_init_errors_map_to_clear_outcomes(tiktok, make_app, mp4, action, status, words):
    app = make_app()
    item = short_item(app, tiktok_account(app), mp4)
    tiktok.script["init"] = [action]
    with pytest.raises(MoneyPrinterError) as caught:
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == status and words in str(caught.value).lower() + (caught.value.hint or "").lower()
    if status == "pending":  # TikTok created nothing: the deferral passes, then one post
        assert pub.not_before and not pub.state.get("init_sent")
        _free_defer(app)
        publish_item(app, item.id)
    else:  # the init may exist at TikTok, which has no lookup: never sent again by itself
        assert "--retry-unknown" in caught.value.hint
        inits = tiktok.inits
        with pytest.raises(MoneyPrinterError):
            publish_item(app, item.id)
        assert tiktok.inits == inits
        publish_item(app, item.id, retry_unknown=True)  # a person looked in the app: nothing there
    assert len(tiktok.posts) == 1


def test_server_errors_on_reads_are_retried_then_deferred(tiktok, make_app, mp4):
    app = make_app()
    item = short_item(app, tiktok_account(app), mp4)
    tiktok.script["status"] = ["500"] * 2  # one read and its one retry
    with pytest.raises(errors.RateLimited, match="status"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "pending"
    _free_defer(app)
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and len(tiktok.posts) == 1 and tiktok.inits == 1


def test_an_upload_that_cannot_finish_is_abandoned_and_never_becomes_a_second_post(tiktok, make_app, big_mp4,
                                                                                  tmp_path):
    import shutil

    app = make_app()
    video = tmp_path / "short.mp4"
    shutil.copyfile(big_mp4, video)
    item = short_item(app, tiktok_account(app), video)
    tiktok.script["put"] = ["ok", "500", "500"]  # the second chunk fails, and its one retry too
    with pytest.raises(errors.RateLimited, match="upload stopped at byte 5242880"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.state["publish_id"] and pub.state["confirmed"] == 5 * MB
    video.write_bytes(video.read_bytes()[:-1000])  # re-rendered meanwhile: the started upload cannot finish
    _free_defer(app)
    with pytest.raises(errors.PublishError, match="gone or changed"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "failed" and tiktok.posts == []
    publish_item(app, item.id)  # a person publishes again: a new upload of the new file
    assert len(tiktok.posts) == 1 and tiktok.inits == 2 and bytes(tiktok.posts[0].data) == video.read_bytes()


def test_six_inits_a_minute_are_counted_and_the_seventh_deferred_before_sending(tiktok, make_app, mp4):
    app = make_app()
    account = tiktok_account(app)
    items = [short_item(app, account, mp4, title=f"Owl fact {n}") for n in range(7)]
    for item in items[:6]:
        publish_item(app, item.id)
    with pytest.raises(errors.RateLimited) as caught:
        publish_item(app, items[6].id)
    assert tiktok.inits == 6 and len(tiktok.posts) == 6
    assert "6 requests a minute" in str(caught.value) and 0 < caught.value.retry_after <= 60
    assert publications.get_for_item(app.db, items[6].id).not_before


def test_a_failed_post_names_the_reason(tiktok, make_app, tmp_path):
    app = make_app()
    fake_video = tmp_path / "not-really.mp4"
    fake_video.write_bytes(b"\x00" * 4000)
    item = short_item(app, tiktok_account(app), fake_video)
    with pytest.raises(errors.PublishError, match="TikTok could not read the file format"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "failed"


# --- exactly once across kill -9 -----------------------------------------------------------------------


POINTS = ["before-init", "init-answer-lost", "after-init-recorded", "mid-upload", "after-upload-before-status",
          "during-polling"]


def _arm(fake: FakeTikTok, child: Child, point: str) -> None:
    if point == "before-init":
        fake.on_creator_info = child.kill
    elif point == "init-answer-lost":
        fake.on_init = lambda publish: child.kill()
    elif point == "after-init-recorded":
        fake.on_put = lambda publish: child.kill()
    elif point == "mid-upload":
        fake.on_chunk = lambda publish, index: child.kill() if index == 0 else None
    elif point == "after-upload-before-status":
        fake.on_chunk = lambda publish, index: child.kill() if index == publish.chunks - 1 else None
    else:
        fake.on_status = lambda publish: child.kill()


def _automatic_paths(app, item) -> list[str]:
    """What runs without a person: a plain publish (scheduler, rerun), publish-due, submit."""
    from moneyprinter.publishers import submit
    from moneyprinter.store.content import get_item

    seen = []
    for path in ("publish", "publish-due", "submit", "publish"):
        _free_defer(app)
        try:
            if path == "publish-due":
                publish_due(app)
            elif path == "submit":
                submit(app, get_item(app.db, item.id))
            else:
                publish_item(app, item.id)
        except MoneyPrinterError:
            pass
        seen.append(publications.get_for_item(app.db, item.id).status.value)
    return seen


@pytest.mark.parametrize("point", POINTS)
def test_kill_matrix_exactly_one_post(tiktok, make_app, big_mp4, point):
    app = make_app()
    item = short_item(app, tiktok_account(app), big_mp4)
    child = Child(item.id)
    _arm(tiktok, child, point)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    tiktok.on_creator_info = tiktok.on_init = tiktok.on_put = tiktok.on_chunk = tiktok.on_status = None
    first_chunk_puts = sum(1 for p in tiktok.publishes.values() for put in p.puts if put[0] == 0)
    automatic = _automatic_paths(app, item)
    assert len(tiktok.posts) <= 1
    person = "nothing"
    if publications.get_for_item(app.db, item.id).status != "published":
        # A person looks in the TikTok app: the lost init never got its video, so no post is there.
        assert tiktok.posts == []
        publish_item(app, item.id, retry_unknown=True)
        person = "publish --retry-unknown"
    inits = tiktok.inits
    print(f"\nMATRIX | TikTok, killed {point} | automatic: {' -> '.join(automatic)} | person: {person} "
          f"| inits: {inits} | posts: {len(tiktok.posts)}")
    assert len(tiktok.posts) == 1 and publications.get_for_item(app.db, item.id).status == "published"
    assert inits == (2 if point == "init-answer-lost" else 1)
    post = tiktok.posts[0]
    assert bytes(post.data) == big_mp4.read_bytes()
    if point in ("mid-upload", "after-upload-before-status", "during-polling"):
        # The chunk TikTok had confirmed is never sent again.
        assert sum(1 for put in post.puts if put[0] == 0) == first_chunk_puts == 1


# --- login and health ----------------------------------------------------------------------------------


def test_login_through_the_cli_with_pkce_and_a_loopback_redirect(tiktok, make_app, home):
    from moneyprinter.publishers import credentials
    from moneyprinter.store.accounts import add_account

    app = make_app()
    account = add_account(app.db, "tiktok", "mytt", publisher="tiktok_api")
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "tiktok", "login", "--account", "mytt",
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env())
    url = ""
    deadline = time.time() + 60
    while time.time() < deadline and not url.startswith("http"):
        url = proc.stdout.readline().strip()
    assert url.startswith(tiktok.server.url("/v2/auth/authorize/")), url
    assert "code_challenge_method=S256" in url and f"client_key={CLIENT_KEY}" in url
    landed = requests.get(url, timeout=30)  # the "browser": consent, then TikTok's redirect to the loopback
    assert landed.status_code == 200 and "logged in" in landed.text
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    token = credentials.load("tiktok", account)
    path = credentials.credential_path("tiktok", account)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert token["access_token"] in tiktok.tokens and token["refresh_token"] in tiktok.refresh_tokens
    assert "video.publish" in token["scope"] and token["expiry"]
    for secret in (token["access_token"], token["refresh_token"], CLIENT_SECRET):
        assert secret not in out + err
    assert "SELF_ONLY" in out and "5 users a day" in out and "6 requests a minute" in out


def test_login_refused_in_the_browser_is_one_clear_line(tiktok, make_app):
    from moneyprinter.store.accounts import add_account

    tiktok.deny_login = True
    app = make_app()
    add_account(app.db, "tiktok", "mytt", publisher="tiktok_api")
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "tiktok", "login", "--account", "mytt",
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env())
    url = ""
    while not url.startswith("http"):
        url = proc.stdout.readline().strip()
    requests.get(url, timeout=30)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "denied" in err and "Traceback" not in err


def test_login_without_a_client_key_says_where_to_put_it(tiktok, make_app, cli, monkeypatch):
    from moneyprinter.store.accounts import add_account

    monkeypatch.delenv("TIKTOK_CLIENT_KEY")
    app = make_app()
    add_account(app.db, "tiktok", "mytt", publisher="tiktok_api")
    result = cli("tiktok", "login", "--account", "mytt", "--no-browser")
    assert result.exit_code == 2 and "TIKTOK_CLIENT_KEY" in result.output


def test_health_reports_an_unaudited_app(tiktok, make_app):
    from moneyprinter.publishers.tiktok_api import TikTokAPIPublisher

    app = make_app()
    result = TikTokAPIPublisher().health_check(app, tiktok_account(app))
    assert result.status.value == "PASS" and "unaudited: SELF_ONLY only" in result.message
    assert "@owlfacts" in result.message


def test_health_of_an_inbox_only_login(tiktok, make_app):
    from moneyprinter.publishers.tiktok_api import TikTokAPIPublisher

    tiktok.grant("tt-upload-only", "tt-r2", scope="user.info.basic,video.upload")
    app = make_app()
    account = tiktok_account(app, access="tt-upload-only", refresh="tt-r2", scope="user.info.basic,video.upload",
                             options={"post_mode": "inbox"})
    result = TikTokAPIPublisher().health_check(app, account)
    assert result.status.value == "PASS" and "inbox" in result.message


def test_health_fails_with_the_login_command(tiktok, make_app):
    from moneyprinter.publishers.tiktok_api import TikTokAPIPublisher

    app = make_app()
    result = TikTokAPIPublisher().health_check(app, tiktok_account(app, access="revoked", refresh="gone"))
    assert result.status.value == "FAIL" and "moneyprinter tiktok login --account mytt" in result.remediation


def test_health_via_the_cli_json(tiktok, make_app):
    app = make_app()
    tiktok_account(app)
    done = run_moneyprinter("health", "--json")
    checks = json.loads(done.stdout)
    text = json.dumps(checks)
    assert "unaudited: SELF_ONLY only" in text and "tt-access-1" not in text
