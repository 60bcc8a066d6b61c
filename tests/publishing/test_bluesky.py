"""The bluesky_api publisher against a local PDS and video service (tests/publishing/fake_bluesky.py)."""

from __future__ import annotations

import json
import stat
import subprocess
from pathlib import Path

import pytest

from moneyprinter import errors
from moneyprinter.publishers import credentials, submit
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.bluesky_api import BlueskyAPIPublisher
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from moneyprinter.store.accounts import add_account
from moneyprinter.store.content import create_item
from moneyprinter.text.bluesky_text import find_spans
from tests.conftest import run_moneyprinter
from tests.publishing.conftest import Child, write_config
from tests.publishing.fake_bluesky import APP_PASSWORD, DID, FRIEND, HANDLE, FakeBluesky
from tests.support.httpserver import LocalServer

# --- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def bsky(server, home):
    with LocalServer() as video:
        fake = FakeBluesky(server, video)
        write_config(home, fake.settings())
        yield fake


@pytest.fixture(scope="session")
def real_mp4(tmp_path_factory) -> Path:
    """A real 1-second H.264 MP4, 108x192 (9:16), made by ffmpeg."""
    import imageio_ffmpeg

    path = tmp_path_factory.mktemp("media") / "short.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-y", "-f", "lavfi", "-i",
                    "color=c=navy:s=108x192:d=1:r=10", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)],
                   check=True, capture_output=True, timeout=60)
    return path


def sky_account(app, fake: FakeBluesky, *, session=True, nickname="sky"):
    account = add_account(app.db, "bluesky", nickname, topic="owls", publisher="bluesky_api",
                          options={"handle": HANDLE})
    if session:
        credentials.save(app.db, "bluesky", account, {**fake.issue_session(), "pds": fake.pds.base_url})
    return account


def post(app, account, text: str, kind="post", **fields):
    return create_item(app.db, account.id, kind, status="ready", body=text, **fields)


def short(app, account, media: Path, title="Owls can turn their heads 270 degrees"):
    return create_item(app.db, account.id, "short", status="ready", title=title, media_path=str(media),
                       metadata={"description": "Owl facts.", "tags": ["owls", "nature facts"]})


def thread(app, account, parts: list[str]):
    return create_item(app.db, account.id, "thread", status="ready", body=parts[0], metadata={"posts": parts})


def facet_texts(record: dict) -> list[tuple[str, dict]]:
    data = record["text"].encode("utf-8")
    return [(data[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode("utf-8"), f["features"][0])
            for f in record.get("facets", [])]


# --- text: graphemes and facets ---------------------------------------------------------------------


def test_facet_offsets_are_utf8_bytes_with_emoji_and_non_ascii():
    text = "Café 👨‍👩‍👧 für @friend.bsky.social: https://example.com/straße?x=1. #Eulen! #42 ok"
    spans = find_spans(text)
    data = text.encode("utf-8")
    got = [(s.kind, data[s.start:s.end].decode("utf-8"), s.value) for s in spans]
    assert got == [("mention", "@friend.bsky.social", "friend.bsky.social"),
                   ("link", "https://example.com/straße?x=1", "https://example.com/straße?x=1"),
                   ("tag", "#Eulen", "Eulen")]
    # the mention starts after 'Café ' (6 bytes) + the family emoji (18 bytes) + ' für ' (6 bytes)
    assert spans[0].start == 30 and text.index("@") == 15  # bytes, not code points


def test_post_record_carries_resolved_facets(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "Grüße 🦉 an @friend.bsky.social und @nobody.example.org "
                                                "– mehr: https://example.com/eulen #Eulen")
    pub, outcome = publish_item(app, item.id)
    (record,) = [r["value"] for r in bsky.posts()]
    assert facet_texts(record) == [
        ("@friend.bsky.social", {"$type": "app.bsky.richtext.facet#mention", "did": FRIEND[1]}),
        ("https://example.com/eulen", {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/eulen"}),
        ("#Eulen", {"$type": "app.bsky.richtext.facet#tag", "tag": "Eulen"}),
    ]  # the handle that does not resolve stays plain text
    assert record["langs"] == ["en"] and record["createdAt"].endswith("Z")
    assert pub.status == "published" and outcome.url == f"https://bsky.app/profile/{HANDLE}/post/{pub.state['rkeys'][0]}"
    assert pub.remote_id == f"at://{DID}/app.bsky.feed.post/{pub.state['rkeys'][0]}"


# --- limits -----------------------------------------------------------------------------------------


def test_300_emoji_pass_and_301_are_refused_naming_the_destination(bsky, make_app):
    app = make_app()
    account = sky_account(app, bsky)
    publisher = BlueskyAPIPublisher()
    ok, long = post(app, account, "🦉" * 300), post(app, account, "🦉" * 301)
    assert publisher.preflight(app, account, ok) == []
    assert publisher.preflight(app, account, long) == ["bluesky 'sky': the text is 301 graphemes; Bluesky allows 300"]
    with pytest.raises(errors.UsageError, match="301 graphemes; Bluesky allows 300"):
        publish_item(app, long.id)
    assert bsky.count("com.atproto.repo.createRecord") == 0 and not bsky.pds.requests
    publish_item(app, ok.id)
    assert [r["value"]["text"] for r in bsky.posts()] == ["🦉" * 300]  # 1200 bytes, 300 graphemes: accepted


def test_a_thread_part_over_the_limit_is_named(bsky, make_app):
    app = make_app()
    account = sky_account(app, bsky)
    item = thread(app, account, ["one", "x" * 301])
    assert BlueskyAPIPublisher().preflight(app, account, item) == [
        "bluesky 'sky': part 2 of 2 is 301 graphemes; Bluesky allows 300"]


def test_a_short_without_its_video_is_refused(bsky, make_app, tmp_path):
    app = make_app()
    account = sky_account(app, bsky)
    item = short(app, account, tmp_path / "gone.mp4")
    assert BlueskyAPIPublisher().preflight(app, account, item) == [
        f"bluesky 'sky': the Short's video file is missing ({tmp_path / 'gone.mp4'})"]


# --- happy paths ------------------------------------------------------------------------------------


def test_short_goes_through_the_video_service(bsky, make_app, real_mp4):
    app = make_app()
    item = short(app, sky_account(app, bsky), real_mp4)
    bsky.processing_polls = 2
    pub, outcome = publish_item(app, item.id)
    (stored,) = bsky.posts()
    record = stored["value"]
    assert record["text"] == "Owls can turn their heads 270 degrees\n\n#owls #NatureFacts"
    assert [t for t, _ in facet_texts(record)] == ["#owls", "#NatureFacts"]
    embed = record["embed"]
    assert embed["$type"] == "app.bsky.embed.video" and embed["aspectRatio"] == {"width": 108, "height": 192}
    assert bsky.blobs[embed["video"]["ref"]["$link"]] == real_mp4.read_bytes()
    assert bsky.count("app.bsky.video.getUploadLimits") == 1 and bsky.video_uploads == 1
    assert bsky.count("app.bsky.video.getJobStatus") == 3
    assert pub.status == "published" and pub.state["video_job"]["id"] and outcome.url.startswith("https://bsky.app/")


def test_the_short_through_the_real_cli(bsky, make_app, real_mp4):
    app = make_app()
    item = short(app, sky_account(app, bsky), real_mp4)
    done = run_moneyprinter("publish", str(item.id))
    assert done.returncode == 0, done.stderr
    assert "posted on Bluesky: https://bsky.app/profile/poster.bsky.social/post/" in done.stdout
    assert len(bsky.posts()) == 1 and bsky.video_uploads == 1


def test_image_post_embeds_the_image_with_its_aspect_ratio(bsky, make_app, tmp_path):
    from PIL import Image

    image = tmp_path / "owl.png"
    Image.new("RGB", (64, 48), "white").save(image)
    app = make_app()
    item = post(app, sky_account(app, bsky), "An owl", media_path=str(image), title="A white owl")
    publish_item(app, item.id)
    embed = bsky.posts()[0]["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert embed["images"][0]["aspectRatio"] == {"width": 64, "height": 48} and embed["images"][0]["alt"] == "A white owl"
    assert bsky.blobs[embed["images"][0]["image"]["ref"]["$link"]] == image.read_bytes()


def test_cross_post_of_a_youtube_item_changes_only_its_bluesky_publication(bsky, make_app, real_mp4):
    app = make_app()
    account = sky_account(app, bsky)
    channel = add_account(app.db, "youtube", "chan", topic="owls")
    item = short(app, channel, real_mp4)
    result = submit(app, item, account)
    assert result.status == "published" and result.url.startswith("https://bsky.app/profile/")
    assert publications.get_for_item(app.db, item.id, "bluesky").status == "published"
    assert publications.get_for_item(app.db, item.id, "youtube") is None  # its own was never submitted here


def test_bluesky_down_fails_only_its_own_publication(bsky, make_app, real_mp4, home):
    app = make_app()
    account = sky_account(app, bsky)
    channel = add_account(app.db, "youtube", "chan", topic="owls")  # the outbox publisher
    item = short(app, channel, real_mp4)
    assert submit(app, item).status == "outbox"
    bsky.fail("com.atproto.server.getServiceAuth", "503", "503")  # the PDS is down (retried once, then given up)
    with pytest.raises(errors.ServiceUnavailable):
        submit(app, item, account)
    assert publications.get_for_item(app.db, item.id, "youtube").status == "outbox"
    assert publications.get_for_item(app.db, item.id, "bluesky").status == "failed"
    assert publications.get_for_item(app.db, item.id, "bluesky").error.startswith("Bluesky: asking the PDS")
    pub, _ = publish_item(app, item.id, destination="bluesky")  # later, once it is back
    assert pub.status == "published" and len(bsky.posts()) == 1


def test_thread_is_a_reply_chain_and_continues_where_it_stopped(bsky, make_app):
    app = make_app()
    parts = ["1/3 Owls 🦉", "2/3 They fly silently", "3/3 #owls"]
    item = thread(app, sky_account(app, bsky), parts)
    bsky.fail("com.atproto.repo.createRecord", "ok", "400")  # part 2 refused: the run stops there
    with pytest.raises(errors.BadRequest, match="creating the post: refused .InvalidRequest: scripted 400"):
        publish_item(app, item.id)
    assert [p["value"]["text"] for p in bsky.posts()] == parts[:1]
    pub, outcome = publish_item(app, item.id)
    records = bsky.posts()
    assert [p["value"]["text"] for p in records] == parts
    root = {"uri": records[0]["uri"], "cid": records[0]["cid"]}
    assert records[1]["value"]["reply"] == {"root": root, "parent": root}
    assert records[2]["value"]["reply"] == {"root": root, "parent": {"uri": records[1]["uri"], "cid": records[1]["cid"]}}
    assert outcome.message.startswith("a thread of 3 posts") and pub.remote_id == records[0]["uri"]


# --- exactly once -----------------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", ["500", "400"])
def test_a_lost_answer_then_a_taken_key_is_found_not_duplicated(bsky, make_app, refusal):
    """The PDS stored the post but the answer was lost; its read lags once, so the same key is sent again
    and refused as taken (500 on bsky.social, 400 on a newer PDS): the lookup then finds it."""
    app = make_app()
    bsky.duplicate_error = refusal
    item = post(app, sky_account(app, bsky), "once only")
    bsky.fail("com.atproto.repo.createRecord", "drop-after")
    bsky.fail("com.atproto.repo.getRecord", "lagging", "lagging")
    with pytest.raises(errors.ServiceUnavailable, match="no record under its key yet"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "failed"
    pub, _ = publish_item(app, item.id)
    assert len(bsky.posts()) == 1 and pub.status == "published"
    assert bsky.count("com.atproto.repo.createRecord") == 2  # the second was refused: the key was taken
    assert pub.remote_id == bsky.posts()[0]["uri"]


def test_5xx_on_create_is_reconciled_by_the_key(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "hello")
    bsky.fail("com.atproto.repo.createRecord", "drop-after")
    pub, _ = publish_item(app, item.id)  # answer lost, getRecord finds it
    assert pub.status == "published" and len(bsky.posts()) == 1
    assert bsky.count("com.atproto.repo.createRecord") == 1

    item2 = post(app, publications_account(app), "second")
    bsky.fail("com.atproto.repo.createRecord", "503")  # not processed: nothing under the key
    with pytest.raises(errors.ServiceUnavailable):
        publish_item(app, item2.id)
    publish_item(app, item2.id)
    assert [p["value"]["text"] for p in bsky.posts()] == ["hello", "second"]


def publications_account(app):
    from moneyprinter.store.accounts import get_account

    return get_account(app.db, "bluesky", "sky")


def test_the_record_key_is_stored_before_create_record(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "armed")
    seen = []

    def look() -> None:  # in the PDS's thread, with its own connection
        from moneyprinter.app import App

        other = App()
        seen.append(publications.get_for_item(other.db, item.id))
        other.close()

    bsky.on_received = look
    publish_item(app, item.id)
    (pub,) = seen
    assert pub.status == "publishing" and pub.state["sent"] == pub.state["rkeys"][0]
    assert bsky.posts()[0]["uri"].endswith("/" + pub.state["rkeys"][0])


# --- kill -9 at every step --------------------------------------------------------------------------

POINTS = {
    "post": ["create-received", "create-stored"],
    "short": ["video-job-created", "video-polling", "create-received", "create-stored"],
    "thread": ["part1-stored", "part2-received", "part2-stored", "part3-stored"],
}
CASES = [(kind, point) for kind, points in POINTS.items() for point in points]


def _arm_kill(bsky: FakeBluesky, child: Child, point: str) -> None:
    def kill() -> bool:
        child.kill()
        return True

    def kill_when(count: int):
        return lambda: kill() if len(bsky.records) == count else None

    if point == "video-job-created":
        bsky.on_video = child.kill
    elif point == "video-polling":
        bsky.on_poll = child.kill
    elif point.startswith("part"):
        n = int(point[4])
        if point.endswith("received"):
            bsky.on_received = kill_when(n - 1)
        else:
            bsky.on_created = kill_when(n)
    elif point == "create-received":
        bsky.on_received = kill
    else:
        bsky.on_created = child.kill


@pytest.mark.parametrize("lookup", ["ok", "lookup-503"])
@pytest.mark.parametrize(("kind", "point"), CASES)
def test_kill_matrix(bsky, make_app, real_mp4, kind, point, lookup):
    app = make_app()
    account = sky_account(app, bsky)
    parts = ["1/3 🦉 first", "2/3 second", "3/3 third"]
    item = {"post": lambda: post(app, account, "one post 🦉 #owls"), "short": lambda: short(app, account, real_mp4),
            "thread": lambda: thread(app, account, parts)}[kind]()
    bsky.processing_polls = 2
    child = Child(item.id)
    _arm_kill(bsky, child, point)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    bsky.on_video = bsky.on_poll = bsky.on_received = bsky.on_created = None
    if lookup != "ok":
        bsky.fail("com.atproto.repo.getRecord", "503", "503")
    seen = []
    for _ in range(4):  # the automatic reruns (scheduler, publish-due): each looks up the key first
        try:
            publish_item(app, item.id)
        except errors.MoneyPrinterError as exc:
            seen.append(type(exc).__name__)
        seen.append(publications.get_for_item(app.db, item.id).status.value)
    texts = [p["value"]["text"] for p in bsky.posts()]
    expected = parts if kind == "thread" else texts[:1]
    print(f"\nMATRIX | Bluesky {kind}, killed at {point}, {lookup} | automatic: {' -> '.join(seen)} | "
          f"records: {len(texts)} | video uploads: {bsky.video_uploads}")
    assert texts == expected and len(texts) == (3 if kind == "thread" else 1)
    assert publications.get_for_item(app.db, item.id).status == "published"
    if point == "video-polling":
        assert bsky.video_uploads == 1  # the stored job was polled, the video not uploaded again


# --- sessions and errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["400", "401"])
def test_an_expired_session_is_renewed_and_saved(bsky, make_app, status):
    app = make_app()
    account = sky_account(app, bsky)
    old = credentials.load("bluesky", account)
    if status == "400":
        bsky.expire_access_tokens()  # the PDS answers 400 ExpiredToken
    else:
        bsky.fail("com.atproto.server.getServiceAuth", "expired401")
        bsky.fail("com.atproto.identity.resolveHandle", "expired401")
    item = post(app, account, "still here @friend.bsky.social")
    pub, _ = publish_item(app, item.id)
    new = credentials.load("bluesky", account)
    assert pub.status == "published" and len(bsky.posts()) == 1
    assert new["access_jwt"] != old["access_jwt"] and new["refresh_jwt"] != old["refresh_jwt"]  # rotated, saved
    assert bsky.count("com.atproto.server.refreshSession") == 1


def test_a_revoked_refresh_token_asks_for_login(bsky, make_app):
    app = make_app()
    account = sky_account(app, bsky)
    bsky.expire_access_tokens()
    bsky.refresh.clear()
    item = post(app, account, "no session")
    with pytest.raises(errors.Unauthorized) as caught:
        publish_item(app, item.id)
    assert "could not be renewed" in str(caught.value)
    assert caught.value.hint == f"run: moneyprinter bluesky login --account sky --handle {HANDLE}"
    assert not bsky.posts() and publications.get_for_item(app.db, item.id).status == "failed"


def test_429_defers_until_ratelimit_reset(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "later")
    bsky.fail("com.atproto.repo.createRecord", "429")
    with pytest.raises(errors.RateLimited) as caught:
        publish_item(app, item.id)
    assert 100 <= caught.value.retry_after <= 121
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before and pub.state.get("sent") is None
    assert not bsky.posts()


def test_400_invalid_request_is_one_clear_line(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "bad")
    bsky.fail("com.atproto.repo.createRecord", "400")
    with pytest.raises(errors.BadRequest) as caught:
        publish_item(app, item.id)
    assert str(caught.value) == "Bluesky: creating the post: refused (InvalidRequest: scripted 400)"
    assert publications.get_for_item(app.db, item.id).state.get("sent") is None


def test_401_without_expiry_names_the_login_command(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky), "who")
    bsky.fail("com.atproto.repo.createRecord", "401")
    with pytest.raises(errors.Unauthorized) as caught:
        publish_item(app, item.id)
    assert caught.value.hint.startswith("run: moneyprinter bluesky login --account sky")
    assert bsky.count("com.atproto.server.refreshSession") == 0


def test_not_logged_in_is_refused_before_any_request(bsky, make_app):
    app = make_app()
    item = post(app, sky_account(app, bsky, session=False), "hi")
    with pytest.raises(errors.Unauthorized, match="not logged in to Bluesky"):
        publish_item(app, item.id)
    assert not bsky.pds.requests


def test_daily_video_limit_defers_without_uploading(bsky, make_app, real_mp4):
    app = make_app()
    item = short(app, sky_account(app, bsky), real_mp4)
    bsky.limits.update(remainingDailyVideos=0)
    with pytest.raises(errors.QuotaExceeded, match="daily video uploads are used up"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before and bsky.video_uploads == 0


def test_a_video_the_service_cannot_process_fails_clearly(bsky, make_app, tmp_path):
    app = make_app()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all" * 100)
    item = short(app, sky_account(app, bsky), broken)
    with pytest.raises(errors.PublishError, match=r"could not process the video \(validation_failure"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "failed" and not bsky.posts() and not pub.state.get("video_job")


# --- health -----------------------------------------------------------------------------------------


def test_health(bsky, make_app):
    app = make_app()
    account = sky_account(app, bsky)
    publisher = BlueskyAPIPublisher()
    result = publisher.health_check(app, account)
    assert result.status == "PASS" and result.message == f"sky: session valid (@{HANDLE})"
    bsky.email_confirmed = False
    assert publisher.health_check(app, account).status == "WARN"
    bsky.refresh.clear()
    bsky.expire_access_tokens()
    failed = publisher.health_check(app, account)
    assert failed.status == "FAIL" and "moneyprinter bluesky login --account sky" in failed.remediation
    other = sky_account(app, bsky, session=False, nickname="other")
    assert publisher.health_check(app, other).status == "FAIL"


# --- login ------------------------------------------------------------------------------------------


def test_login_through_the_cli_keeps_the_session_not_the_password(bsky, make_app, cli, home):
    app = make_app()
    sky_account(app, bsky, session=False)
    result = cli("bluesky", "login", "--account", "sky", "--handle", "@Poster.bsky.social", input=APP_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert f"logged in as @{HANDLE} ({DID})" in result.output and APP_PASSWORD not in result.output
    account = publications_account(app)
    path = credentials.credential_path("bluesky", account)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = json.loads(path.read_text())
    assert saved["did"] == DID and saved["access_jwt"] in bsky.access and APP_PASSWORD not in path.read_text()
    assert account.options["handle"] == "Poster.bsky.social"
    assert BlueskyAPIPublisher().health_check(app, account).status == "PASS"
    assert all(APP_PASSWORD not in p.read_text(errors="replace") for p in home.rglob("*.log"))


def test_login_with_a_wrong_password_is_one_line(bsky, make_app, cli, monkeypatch):
    app = make_app()
    sky_account(app, bsky, session=False)
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", "wrong-pass-word")
    result = cli("bluesky", "login", "--account", "sky", "--handle", HANDLE)
    assert result.exit_code != 0
    assert "handle or app password refused" in result.output and "Traceback" not in result.output
    assert "wrong-pass-word" not in result.output
    assert credentials.load("bluesky", publications_account(app)) is None


def test_a_key_held_by_another_post_is_replaced_not_taken_for_ours(bsky, make_app, monkeypatch):
    """Two keys drawn in the same microsecond with the same clock id: the lookup sees a post with other
    text. Only a person can tell it from this item edited since it was sent; once they release it, ours
    was never created (we create only under our key), so a new key is drawn and the post created once."""
    from moneyprinter.publishers import bluesky_api, bluesky_client

    app = make_app()
    account = sky_account(app, bsky)
    first, _ = publish_item(app, post(app, account, "first").id)
    keys = iter([first.state["rkeys"][0], bluesky_client.new_tid()])
    monkeypatch.setattr(bluesky_api, "new_tid", lambda: next(keys))
    item = post(app, account, "second")
    with pytest.raises(NeedsAttention, match="has other text than the item") as caught:
        publish_item(app, item.id)
    assert f"moneyprinter publish {item.id} --retry-unknown" in caught.value.hint
    assert publications.get_for_item(app.db, item.id).status == "needs_attention" and len(bsky.posts()) == 1
    second, _ = publish_item(app, item.id, retry_unknown=True)
    assert [p["value"]["text"] for p in bsky.posts()] == ["first", "second"]
    assert second.remote_id != first.remote_id and second.state["rkeys"] != first.state["rkeys"]


def test_a_session_another_process_renewed_is_taken_from_the_file(bsky, make_app):
    from moneyprinter.publishers.bluesky_client import BlueskyClient

    app = make_app()
    account = sky_account(app, bsky)
    this, other = BlueskyClient(app, account), BlueskyClient(app, account)
    bsky.expire_access_tokens()
    other.get_session()  # renews and saves; the refresh token this client holds is now spent
    assert this.get_session()["did"] == DID
    assert bsky.count("com.atproto.server.refreshSession") == 1
