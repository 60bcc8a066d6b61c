"""The ``mastodon_api`` publisher against a local Mastodon instance: a Short with its video, posts and threads,
the Idempotency-Key and what happens after its hour, the kill -9 matrix, errors, limits, health and login."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading

import pytest

from moneyprinter import errors
from moneyprinter.publishers import credentials, submit
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from moneyprinter.store.accounts import add_account, get_account, update_account
from tests.conftest import run_moneyprinter, subprocess_env
from tests.publishing.conftest import Child, post_item, short_item, write_config
from tests.publishing.fake_mastodon import FakeMastodon, authorize_in_browser
from tests.publishing.test_kill_matrix import _automatic_paths, _person_resolves, _report
from tests.publishing.test_x_api import THREAD, thread_item
from tests.support.httpserver import closed_port

SHORT_TEXT = "A fact about owls\n\nOwls can rotate their heads.\n\n#owls #facts"


@pytest.fixture
def masto(server, home):
    write_config(home, {})
    return FakeMastodon(server)


@pytest.fixture(scope="session")
def _mp4_master(tmp_path_factory):
    from moneyprinter.media.ffmpeg_run import ffmpeg_exe

    path = tmp_path_factory.mktemp("mp4") / "short.mp4"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc2=s=180x320:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    str(path)], check=True, timeout=60)
    return path


@pytest.fixture
def mp4(_mp4_master, tmp_path):
    """A real (tiny) H.264 MP4, as a Short's render would leave it."""
    return shutil.copy(_mp4_master, tmp_path / "short.mp4")


def masto_account(app, fake, *, scopes="read:accounts read:statuses write:statuses write:media", nickname="owls"):
    account = add_account(app.db, "mastodon", nickname, topic="owls", publisher="mastodon_api",
                          options={"instance": fake.base_url})
    credentials.save(app.db, "mastodon", account, {
        "instance": fake.base_url, "client_id": "cid", "client_secret": "csecret",
        "access_token": fake.issue_token(scopes), "scope": scopes, "account_id": "109", "acct": "owlbot"})
    return account


def _age_keys(app, fake, item_id, seconds=2 * 3600):
    """As if ``seconds`` passed since every status was sent: the instance forgot the keys, and so do we."""
    fake.advance(seconds)
    pub = publications.get_for_item(app.db, item_id)
    parts = [dict(p, sent_at=p["sent_at"] - seconds) if p.get("sent_at") else p for p in pub.state.get("parts") or []]
    publications.merge_state(app.db, pub, parts=parts)


def _keys_sent(fake) -> list[str]:
    return [r.header("Idempotency-Key") for r in fake.server.requests if r.path == "/api/v1/statuses"]


# --- happy paths ----------------------------------------------------------------------------------------


def test_a_short_goes_with_its_video_alt_text_and_hashtags(masto, make_app, mp4):
    app = make_app()
    item = short_item(app, masto_account(app, masto), mp4)
    result = submit(app, item)
    assert result.status == "published"
    (status,) = masto.statuses
    assert status["text"] == SHORT_TEXT
    (media,) = (masto.media[m] for m in status["media_ids"])
    assert media["bytes"] == mp4.read_bytes() and media["content_type"] == "video/mp4"
    assert media["description"] == "A fact about owls"
    assert masto.server.count("GET", f"/api/v1/media/{media['id']}") == 3  # 206, 206, then 200 with its url
    assert result.url == f"{masto.base_url}/@owlbot/{status['id']}"
    pub = publications.get_for_item(app.db, item.id)
    assert pub.remote_id == status["id"] and pub.state["parts"][0]["key"] == status["key"]


def test_a_post_goes_as_text_and_a_rerun_changes_nothing(masto, make_app):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    assert submit(app, item).status == "published"
    assert masto.texts() == ["Hello from moneyprinter & friends https://example.com/a-long-link"]
    assert submit(app, item).status == "published" and len(masto.statuses) == 1
    assert masto.server.count("POST", "/api/v1/statuses") == 1


def test_the_real_cli_publishes_a_short(masto, make_app, mp4):
    app = make_app()
    item = short_item(app, masto_account(app, masto), mp4)
    done = run_moneyprinter("publish", str(item.id))
    assert done.returncode == 0, done.stderr
    assert f"{masto.base_url}/@owlbot/" in done.stdout and masto.texts() == [SHORT_TEXT]


def test_a_thread_is_a_reply_chain_and_continues_where_it_stopped(masto, make_app):
    app = make_app()
    item = thread_item(app, masto_account(app, masto), THREAD)
    masto.status_script = ["ok", "500", "500"]  # part 2 fails twice (the call and its retry)
    with pytest.raises(errors.ServiceUnavailable):
        publish_item(app, item.id)
    assert masto.texts() == THREAD[:1]
    publish_item(app, item.id)
    chain = list(reversed(masto.statuses))
    assert [s["text"] for s in chain] == THREAD
    assert [s["in_reply_to_id"] for s in chain] == [None, chain[0]["id"], chain[1]["id"]]
    assert chain[0]["media_ids"] == [] and len(set(_keys_sent(masto))) == 3  # each part its own key, reused on retry
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "published" and [p["id"] for p in pub.state["parts"]] == [s["id"] for s in chain]


# --- exactly once ---------------------------------------------------------------------------------------


def test_a_dropped_answer_is_sent_again_with_the_same_key_and_makes_one_status(masto, make_app):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    masto.status_script = ["drop"]  # created, then the connection is cut before the answer
    assert submit(app, item).status == "published"
    assert len(masto.statuses) == 1
    first, again = _keys_sent(masto)
    assert first == again and first


def test_after_the_keys_hour_the_account_statuses_are_read_before_any_resend(masto, make_app):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    masto.status_script = ["drop", "500"]  # created; the retry answers 500: the outcome is unknown to us
    with pytest.raises(errors.ServiceUnavailable):
        publish_item(app, item.id)
    _age_keys(app, masto, item.id)
    posts_before = masto.server.count("POST", "/api/v1/statuses")
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == masto.statuses[0]["id"]
    assert len(masto.statuses) == 1 and masto.server.count("POST", "/api/v1/statuses") == posts_before


def test_after_the_keys_hour_a_status_not_found_needs_a_person(masto, make_app, cli):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    masto.status_script = ["500", "500"]  # nothing created, but we cannot know that
    with pytest.raises(errors.ServiceUnavailable):
        publish_item(app, item.id)
    _age_keys(app, masto, item.id)
    with pytest.raises(NeedsAttention, match="not among the account's recent statuses") as caught:
        publish_item(app, item.id)
    assert "--retry-unknown" in caught.value.hint and masto.statuses == []
    masto.lookup_script = ["503", "503"]  # an unreadable account is no proof either way
    with pytest.raises(NeedsAttention, match="could not be looked up"):
        publish_item(app, item.id)
    pub, _ = publish_item(app, item.id, retry_unknown=True)
    assert pub.status == "published" and len(masto.statuses) == 1
    old, new = _keys_sent(masto)[0], masto.statuses[0]["key"]
    assert old != new  # the released send uses a fresh key: the old one may be stale on the server


def _kill_at(child: Child, fake, hook: str, when=lambda: True) -> None:
    def hit() -> bool:
        if when():
            child.kill()
            return True
        return False

    setattr(fake, hook, hit)


def _no_deferrals(app) -> None:
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE not_before IS NOT NULL")


SHORT_POINTS = {"before-media": "on_media", "after-media-before-status": "on_received",
                "after-status-before-answer": "on_created"}


@pytest.mark.parametrize("window", ["key-kept", "key-expired"])
@pytest.mark.parametrize("point", list(SHORT_POINTS))
def test_kill_matrix_short(masto, make_app, mp4, point, window):
    app = make_app()
    item = short_item(app, masto_account(app, masto), mp4)
    child = Child(item.id)
    _kill_at(child, masto, SHORT_POINTS[point])
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    masto.on_media = masto.on_received = masto.on_created = None
    if window == "key-expired":
        _age_keys(app, masto, item.id)
    automatic = _automatic_paths(app, item, _no_deferrals)
    assert len(masto.statuses) <= 1
    person = _person_resolves(app, item, lambda: f"{masto.base_url}/@owlbot/{masto.statuses[0]['id']}"
                              if masto.statuses else None)
    _report(f"Mastodon Short, killed {point}, {window}", automatic, person, len(masto.statuses))
    assert masto.texts() == [SHORT_TEXT] and publications.get_for_item(app.db, item.id).status == "published"
    if window == "key-kept":
        assert person == "nothing"  # within the hour the key alone settles it, with no person


THREAD_POINTS = {"part1-before-answer": ("on_created", 1), "after-part1-answer": ("on_received", 1),
                 "part2-before-answer": ("on_created", 2)}


@pytest.mark.parametrize("window", ["key-kept", "key-expired"])
@pytest.mark.parametrize("point", list(THREAD_POINTS))
def test_kill_matrix_thread(masto, make_app, point, window):
    app = make_app()
    item = thread_item(app, masto_account(app, masto), THREAD)
    child = Child(item.id)
    hook, count = THREAD_POINTS[point]
    _kill_at(child, masto, hook, lambda: len(masto.statuses) == count)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    masto.on_received = masto.on_created = None
    if window == "key-expired":
        _age_keys(app, masto, item.id)
    automatic = _automatic_paths(app, item, _no_deferrals)
    person = "nothing"
    for _ in THREAD:
        if publications.get_for_item(app.db, item.id).status == "published":
            break
        publish_item(app, item.id, retry_unknown=True)  # a person looked: the part is not there
        person = "publish --retry-unknown"
    _report(f"Mastodon thread, killed {point}, {window}", automatic, person, len(masto.statuses))
    assert masto.texts() == THREAD and publications.get_for_item(app.db, item.id).status == "published"
    chain = list(reversed(masto.statuses))
    assert [s["in_reply_to_id"] for s in chain] == [None, chain[0]["id"], chain[1]["id"]]


# --- errors and limits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("action, error, words", [
    ("401", errors.Unauthorized, "moneyprinter mastodon login --account owls"),
    ("403", errors.Unauthorized, "write:statuses"),
    ("422", errors.BadRequest, "Text character limit of 500 exceeded"),
])
def test_refusals_are_named_and_create_nothing(masto, make_app, action, error, words):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    masto.status_script = [action]
    with pytest.raises(error) as caught:
        publish_item(app, item.id)
    assert words in str(caught.value) and masto.statuses == []
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "failed"
    assert publish_item(app, item.id)[0].status == "published" and len(masto.statuses) == 1


def test_429_defers_until_the_instances_reset(masto, make_app):
    app = make_app()
    item = post_item(app, masto_account(app, masto))
    masto.status_script = ["429", "429"]
    with pytest.raises(errors.RateLimited) as caught:
        publish_item(app, item.id)
    assert 250 < caught.value.retry_after <= 300  # X-RateLimit-Reset is an ISO time five minutes ahead
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before and masto.statuses == []


def test_a_5xx_on_media_fails_and_the_rerun_posts_once(masto, make_app, mp4):
    app = make_app()
    item = short_item(app, masto_account(app, masto), mp4)
    masto.media_script = ["503", "503"]
    with pytest.raises(errors.ServiceUnavailable):
        publish_item(app, item.id)
    assert masto.server.count("POST", "/api/v1/statuses") == 0
    assert publish_item(app, item.id)[0].status == "published" and masto.texts() == [SHORT_TEXT]


def test_over_long_text_is_refused_before_any_request_naming_the_destination(masto, make_app):
    from moneyprinter.publishers.mastodon_api import MastodonAPIPublisher

    masto.max_characters = 100
    app = make_app()
    account = masto_account(app, masto)
    link = "https://example.com/" + "x" * 200  # counts 23, as Mastodon counts every URL
    fits = post_item(app, account, text="y" * 70 + " " + link)
    assert MastodonAPIPublisher().preflight(app, account, fits) == []
    long = post_item(app, account, text="z" * 101)
    problems = MastodonAPIPublisher().preflight(app, account, long)
    assert problems == ["mastodon 'owls': the text is 101 characters (links count 23); this Mastodon instance allows 100"]
    with pytest.raises(errors.UsageError, match="this Mastodon instance allows 100"):
        publish_item(app, long.id)
    assert masto.server.count("POST", "/api/v1/statuses") == 0
    assert publish_item(app, fits.id)[0].status == "published"
    assert masto.instance_calls == 1  # the limit is read once and cached


def test_a_video_over_the_instances_limit_is_refused_before_upload(masto, make_app, mp4):
    from moneyprinter.publishers.mastodon_api import MastodonAPIPublisher

    masto.video_size_limit = 1000
    app = make_app()
    account = masto_account(app, masto)
    problems = MastodonAPIPublisher().preflight(app, account, short_item(app, account, mp4))
    assert len(problems) == 1 and "mastodon 'owls': the video is" in problems[0] and "allows 1000 bytes" in problems[0]


# --- health and login -----------------------------------------------------------------------------------


def test_health_checks_the_token_and_its_scopes(masto, make_app):
    from moneyprinter.publishers.mastodon_api import MastodonAPIPublisher

    app = make_app()
    good = masto_account(app, masto)
    result = MastodonAPIPublisher().health_check(app, good)
    assert result.status == "PASS" and "@owlbot" in result.message
    narrow = masto_account(app, masto, scopes="read:accounts write:statuses", nickname="narrow")
    result = MastodonAPIPublisher().health_check(app, narrow)
    assert result.status == "FAIL" and "write:media" in result.message
    gone = masto_account(app, masto, nickname="gone")
    masto.tokens.clear()
    result = MastodonAPIPublisher().health_check(app, gone)
    assert result.status == "FAIL" and "moneyprinter mastodon login --account gone" in result.remediation


def _login(masto, app, *args):
    """Run the login in a child process and act as the person's browser on the address it prints."""
    env = subprocess_env(PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "mastodon", "login", "--account", "owls",
                             "--no-browser", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    timer = threading.Timer(60, proc.kill)  # never hang the suite
    timer.start()
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if "/oauth/authorize?" in line:
            break
    url = next((word for line in lines for word in line.split() if "/oauth/authorize?" in word), None)
    assert url, (lines, proc.stderr.read())
    page = authorize_in_browser(url)
    out, err = proc.communicate(timeout=60)
    timer.cancel()
    return proc.returncode, "".join(lines) + out, err, page


@pytest.mark.parametrize("pkce", [True, False])
def test_login_through_the_cli_with_the_loopback_redirect(masto, make_app, home, pkce):
    masto.pkce = pkce
    app = make_app()
    add_account(app.db, "mastodon", "owls", publisher="mastodon_api")
    code, out, err, page = _login(masto, app, "--instance", masto.base_url)
    assert code == 0, err
    assert "close this tab" in page
    account = get_account(app.db, "mastodon", "owls")
    assert account.options["instance"] == masto.base_url
    saved = credentials.load("mastodon", account)
    assert saved["access_token"] in masto.tokens and saved["account_id"] == "109" and saved["acct"] == "owlbot"
    assert set(saved["scope"].split()) >= {"write:statuses", "write:media"}
    (registered,) = masto.apps.values()
    assert registered["client_secret"] == saved["client_secret"]
    path = credentials.credential_path("mastodon", account)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    log = home / "logs" / "moneyprinter.log"
    logged = log.read_text() if log.exists() else ""
    for secret in (saved["access_token"], saved["client_secret"]):
        assert secret not in out and secret not in err and secret not in logged
    assert "@owlbot" in out
    token_form = next(r for r in masto.server.requests if r.path == "/oauth/token").body.decode()
    assert ("code_verifier=" in token_form) is pkce
    # and the account now publishes
    assert submit(app, post_item(app, account)).status == "published"


def test_login_without_an_instance_says_how_to_give_one(masto, make_app, cli):
    app = make_app()
    add_account(app.db, "mastodon", "owls", publisher="mastodon_api")
    result = run_moneyprinter("mastodon", "login", "--account", "owls", "--no-browser")
    assert result.returncode == 2
    assert "--instance" in result.stderr and "Traceback" not in result.stderr


def test_a_post_with_an_image_carries_it_with_the_text_as_alt_text(masto, make_app, tmp_path):
    from PIL import Image

    image = tmp_path / "chart.png"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(image)
    masto.processing_polls = 0  # an image is processed at once (the v2 answer has its url)
    app = make_app()
    item = post_item(app, masto_account(app, masto), text="Owls by the numbers", media=image)
    assert submit(app, item).status == "published"
    (status,) = masto.statuses
    (media,) = (masto.media[m] for m in status["media_ids"])
    assert (media["type"], media["description"], media["bytes"]) == ("image", "Owls by the numbers", image.read_bytes())
    assert masto.server.count("GET", f"/api/v1/media/{media['id']}") == 0


def test_an_unreachable_instance_leaves_nothing_in_doubt(masto, make_app, home):
    app = make_app()
    account = masto_account(app, masto)
    item = post_item(app, account)
    dead = f"http://127.0.0.1:{closed_port()}"
    # The limits are cached, so the status call is the first to find the instance gone.
    publish_item(app, post_item(app, account, text="warm the cache").id)
    cache = home / "cache" / "mastodon_instances.json"
    data = json.loads(cache.read_text())
    cache.write_text(json.dumps({**data, dead: data[masto.base_url]}))
    update_account(app.db, account, options={"instance": dead})
    with pytest.raises(errors.ServiceUnavailable, match="connection refused"):
        publish_item(app, item.id)
    (part,) = publications.get_for_item(app.db, item.id).state["parts"]
    assert part["sent_at"] is None and part["open"] is False  # no send is in doubt: no lookup an hour later


def test_a_destination_without_an_instance_is_named_once(make_app):
    from moneyprinter.publishers.mastodon_api import MastodonAPIPublisher

    app = make_app()
    account = add_account(app.db, "mastodon", "cook.social", publisher="mastodon_api")
    item = post_item(app, add_account(app.db, "x", "cookbot"))
    (line,) = MastodonAPIPublisher().preflight(app, account, item)
    assert line == "mastodon 'cook.social': no instance is set"
