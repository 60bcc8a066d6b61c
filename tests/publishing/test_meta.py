"""Instagram Reels and Threads through Meta's Graph APIs, against a local fake that speaks them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
import requests

from moneyprinter import errors
from moneyprinter.publishers import credentials, submit
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_due, publish_item
from moneyprinter.store import publications
from moneyprinter.store.accounts import add_account, get_account_by_id
from moneyprinter.store.content import create_item
from tests.conftest import subprocess_env
from tests.publishing.conftest import Child, write_config
from tests.publishing.fake_meta import APP_ID, APP_SECRET, FakeMeta, media_files_under
from tests.support.httpserver import LocalServer, closed_port

PUBLIC = "https://media.example.org/mp"


@pytest.fixture
def threads_server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def meta(server, threads_server, home, monkeypatch):
    """Both fakes, the config pointing at them, the Meta app's id and secret in the environment."""
    crawler = media_files_under(home, PUBLIC)
    fakes = {"instagram": FakeMeta(server, "instagram", media_files=crawler),
             "threads": FakeMeta(threads_server, "threads", user_id="25000000000000001", media_files=crawler)}
    for net in ("INSTAGRAM", "THREADS"):
        monkeypatch.setenv(f"{net}_APP_ID", APP_ID)
        monkeypatch.setenv(f"{net}_APP_SECRET", APP_SECRET)
    configure(home, fakes)
    return fakes


def configure(home, fakes, **extra) -> None:
    write_config(home, {**fakes["instagram"].settings(), **fakes["threads"].settings(),
                        "public_media_base_url": PUBLIC, "meta_poll_interval_s": 0.01, "meta_container_wait_s": 2.0,
                        "meta_publish_timeout_s": 2.0, **extra})


def meta_account(app, network: str, fake: FakeMeta, nickname: str = "reels", token: str = "long-token-1"):
    option = "ig_user_id" if network == "instagram" else "threads_user_id"
    account = add_account(app.db, network, nickname, publisher=f"{network}_api", options={option: fake.user_id})
    credentials.save(app.db, network, account, {"access_token": token, "user_id": fake.user_id,
                                                "username": "meta_tester", "permissions": fake.n["scopes"]})
    return account


def short(app, account, home, title="A fact about owls", description="Owls can rotate their heads.", tags=("owls", "facts")):
    folder = home / "shorts" / "owls 1"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "short.mp4"
    path.write_bytes(os.urandom(4096))
    return create_item(app.db, account.id, "short", status="ready", title=title, media_path=str(path),
                       metadata={"description": description, "tags": list(tags)})


def post(app, account, text="Owls can turn their heads 270 degrees. #owls"):
    return create_item(app.db, account.id, "post", status="ready", body=text)


# --- Instagram Reels ---------------------------------------------------------------------------


def test_a_reel_goes_through_a_container_that_is_polled_then_published(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    item = short(app, meta_account(app, "instagram", ig), home)
    pub, outcome = publish_item(app, item.id)
    assert pub.status == "published" and len(ig.media) == 1
    (container,) = ig.containers.values()
    # Meta fetches the video from the public base URL plus the file's path under the data directory.
    assert container["video_url"] == f"{PUBLIC}/shorts/owls%201/short.mp4"
    assert container["media_type"] == "REELS" and container["polls"] >= 2
    assert container["text"] == "A fact about owls\n\nOwls can rotate their heads.\n\n#owls #facts"
    assert pub.remote_id == ig.media[0]["id"] and pub.state["container_id"] == container["id"]
    assert outcome.url == f"https://www.instagram.com/reel/{ig.media[0]['id']}/"
    assert ig.server.count("POST", f"/v23.0/{ig.user_id}/media_publish") == 1
    again, _ = publish_item(app, item.id)  # already published: nothing is sent
    assert again.status == "published" and len(ig.media) == 1


def test_without_a_public_media_url_a_reel_is_refused_before_any_request(meta, make_app, home):
    configure(home, meta, public_media_base_url="")
    app = make_app()
    ig = meta["instagram"]
    account = meta_account(app, "instagram", ig)
    item = short(app, account, home)
    from moneyprinter.publishers.meta_api import InstagramAPIPublisher

    problems = InstagramAPIPublisher().preflight(app, account, item)
    assert len(problems) == 1 and problems[0].startswith("instagram 'reels': ")
    assert "public_media_base_url" in problems[0] and "public HTTPS" in problems[0]
    with pytest.raises(errors.UsageError, match="public_media_base_url"):
        publish_item(app, item.id)
    assert ig.api_requests == 0
    assert publications.get_for_item(app.db, item.id).status == "failed"


def test_a_plain_http_base_or_a_video_outside_the_data_directory_is_refused(meta, make_app, home, tmp_path):
    configure(home, meta, public_media_base_url="http://media.example.org/mp")
    app = make_app()
    account = meta_account(app, "instagram", meta["instagram"])
    from moneyprinter.publishers.meta_api import InstagramAPIPublisher

    assert "must start with https://" in InstagramAPIPublisher().preflight(app, account, short(app, account, home))[0]
    configure(home, meta)
    app = make_app()
    outside = tmp_path / "elsewhere.mp4"
    outside.write_bytes(b"x")
    item = create_item(app.db, account.id, "short", status="ready", title="t", media_path=str(outside))
    assert "outside the data directory" in InstagramAPIPublisher().preflight(app, account, item)[0]


def test_instagram_refuses_posts_and_over_long_captions_by_name(meta, make_app, home):
    app = make_app()
    account = meta_account(app, "instagram", meta["instagram"])
    from moneyprinter.publishers.meta_api import InstagramAPIPublisher

    check = InstagramAPIPublisher().preflight
    assert check(app, account, post(app, account)) == [
        "instagram 'reels': Instagram takes videos only (a Reel); a post cannot go there"]
    long = short(app, account, home, description="x" * 2200)
    assert check(app, account, long) == [
        "instagram 'reels': the caption is 2233 characters; Instagram allows 2200"]
    assert check(app, account, short(app, account, home, tags=[f"t{i}" for i in range(31)])) == []  # 30 go out
    tagged = short(app, account, home, description=" ".join(f"#t{i}" for i in range(31)), tags=())
    assert check(app, account, tagged) == ["instagram 'reels': the caption has 31 hashtags; Instagram allows 30"]
    crowded = short(app, account, home, description=" ".join(f"@user{i}" for i in range(21)) + " mail me@example.org")
    assert check(app, account, crowded) == [
        "instagram 'reels': the caption mentions 21 accounts (@); Instagram allows 20"]
    assert meta["instagram"].api_requests == 0


def test_a_container_in_error_fails_clearly_and_the_next_run_starts_a_new_one(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    ig.container_error = "ERROR"
    item = short(app, meta_account(app, "instagram", ig), home)
    with pytest.raises(errors.PublishError, match="Instagram could not process the video.*FAILED_PROCESSING_VIDEO"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "failed" and not pub.state.get("container_id") and not ig.media
    ig.container_error = None
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and len(ig.containers) == 2 and len(ig.media) == 1


def test_a_video_meta_cannot_download_names_the_address(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    th.media_files = lambda url: None  # the public address does not serve the data directory
    item = short(app, meta_account(app, "threads", th, "words"), home)
    with pytest.raises(errors.PublishError, match="FAILED_DOWNLOADING_VIDEO") as caught:
        publish_item(app, item.id)
    assert f"could not download {PUBLIC}/shorts/owls%201/short.mp4" in caught.value.hint and not th.media


def test_a_missing_video_file_is_refused_before_any_request(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    item = short(app, meta_account(app, "instagram", ig), home)
    (home / "shorts" / "owls 1" / "short.mp4").unlink()
    with pytest.raises(errors.UsageError, match="video file is missing"):
        publish_item(app, item.id)
    assert ig.api_requests == 0


def test_an_exhausted_publishing_limit_defers_without_creating_anything(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    ig.quota_usage = 50
    item = short(app, meta_account(app, "instagram", ig), home)
    with pytest.raises(errors.QuotaExceeded, match="50 of 50") as caught:
        publish_item(app, item.id)
    assert caught.value.resets_at
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before == caught.value.resets_at
    assert not ig.containers and ig.server.count("POST", f"/v23.0/{ig.user_id}/media") == 0
    ig.quota_usage = 10
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
    assert [(d.item_id, d.outcome) for d in publish_due(app)] == [(item.id, "published")] and len(ig.media) == 1


def test_processing_past_the_deadline_defers_and_the_same_container_is_published_later(meta, make_app, home):
    configure(home, meta, meta_container_wait_s=0.3)
    app = make_app()
    ig = meta["instagram"]
    ig.polls_to_finish = 10_000
    item = short(app, meta_account(app, "instagram", ig), home)
    with pytest.raises(errors.RateLimited, match="still processing"):
        publish_item(app, item.id)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "pending" and pub.not_before and pub.state["container_id"] in ig.containers
    ig.polls_to_finish = 0
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and len(ig.containers) == 1 and len(ig.media) == 1


# --- Threads ------------------------------------------------------------------------------------


def test_a_threads_text_post_needs_no_media_url(meta, make_app, home):
    configure(home, meta, public_media_base_url="")
    app = make_app()
    th = meta["threads"]
    item = post(app, meta_account(app, "threads", th, "words"))
    pub, outcome = publish_item(app, item.id)
    assert pub.status == "published" and [m["text"] for m in th.media] == [item.body]
    (container,) = th.containers.values()
    assert container["media_type"] == "TEXT" and container["video_url"] is None
    assert outcome.url == f"https://www.threads.net/@meta_tester/post/{th.media[0]['id']}"


def test_a_short_goes_to_threads_as_a_video_and_long_text_is_refused(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    account = meta_account(app, "threads", th, "words")
    pub, _ = publish_item(app, short(app, account, home).id)
    (container,) = th.containers.values()
    assert pub.status == "published" and container["media_type"] == "VIDEO"
    assert container["video_url"] == f"{PUBLIC}/shorts/owls%201/short.mp4"
    from moneyprinter.publishers.meta_api import ThreadsAPIPublisher

    assert ThreadsAPIPublisher().preflight(app, account, post(app, account, "y" * 501)) == [
        "threads 'words': the text is 501 characters (an emoji counts its UTF-8 bytes); Threads allows 500"]
    # Threads counts an emoji as its UTF-8 bytes: 497 letters and one 4-byte emoji are 501.
    assert ThreadsAPIPublisher().preflight(app, account, post(app, account, "y" * 497 + "🦉"))


def test_one_youtube_short_cross_posted_to_instagram_and_threads(meta, make_app, home):
    app = make_app()
    channel = add_account(app.db, "youtube", "chan", publisher="outbox")
    ig_account = meta_account(app, "instagram", meta["instagram"])
    th_account = meta_account(app, "threads", meta["threads"], "words")
    item = short(app, channel, home)
    assert submit(app, item).status == "outbox"
    meta["threads"].script["create"] = ["500"]  # Threads is down for this attempt ...
    assert submit(app, item, ig_account).status == "published"  # ... Instagram publishes regardless
    with pytest.raises(errors.ServiceUnavailable):
        submit(app, item, th_account)
    assert publications.get_for_item(app.db, item.id, "threads").status == "failed"
    assert submit(app, item, th_account).status == "published"
    assert len(meta["instagram"].media) == 1 and len(meta["threads"].media) == 1
    assert publications.get_for_item(app.db, item.id).status == "outbox"


THREAD = ["Owls see in the dark.", "Their eyes are tubes, not balls.", "So they turn their heads instead."]


def thread(app, account, parts=THREAD):
    return create_item(app.db, account.id, "thread", status="ready", body=parts[0], metadata={"posts": list(parts)})


def _chain(fake) -> list[tuple[str, str | None]]:
    """The published posts as (text, the text of the post it replies to)."""
    by_id = {m["id"]: m for m in fake.media}
    return [(m["text"], by_id[m["reply_to"]]["text"] if m["reply_to"] else None) for m in fake.media]


def test_a_thread_goes_to_threads_as_a_reply_chain_part_by_part(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    item = thread(app, meta_account(app, "threads", th, "words"))
    pub, outcome = publish_item(app, item.id)
    assert _chain(th) == [(THREAD[0], None), (THREAD[1], THREAD[0]), (THREAD[2], THREAD[1])]
    assert all(c["media_type"] == "TEXT" for c in th.containers.values()) and len(th.containers) == 3
    assert pub.status == "published" and pub.remote_id == th.media[0]["id"]
    assert pub.state["part_ids"] == [m["id"] for m in th.media]
    assert "a thread of 3 posts on Threads" in outcome.message
    assert outcome.url == f"https://www.threads.net/@meta_tester/post/{th.media[0]['id']}"
    again, _ = publish_item(app, item.id)
    assert again.status == "published" and len(th.media) == 3 and len(th.containers) == 3


def test_a_thread_part_over_the_limit_is_named_and_nothing_is_sent(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    account = meta_account(app, "threads", th, "words")
    item = thread(app, account, [THREAD[0], "y" * 501])
    from moneyprinter.publishers.meta_api import ThreadsAPIPublisher

    assert ThreadsAPIPublisher().preflight(app, account, item) == [
        "threads 'words': part 2: the text is 501 characters (an emoji counts its UTF-8 bytes); Threads allows 500"]
    with pytest.raises(errors.UsageError, match="part 2"):
        publish_item(app, item.id)
    assert th.api_requests == 0


def test_a_reply_whose_publish_answer_is_lost_is_found_among_the_replies(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    item = thread(app, meta_account(app, "threads", th, "words"))
    th.script["publish"] = ["", "drop"]  # part 2 is published, then the connection is cut
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and [t for t, _ in _chain(th)] == THREAD
    assert th.server.count("GET", f"/v1.0/{th.user_id}/replies") == 1


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault, error, words", [
    ("190", errors.Unauthorized, "moneyprinter instagram login --account reels"),
    ("429", errors.RateLimited, "rate limit"),
    ("rate", errors.RateLimited, "rate limit"),
    ("perm", errors.Unauthorized, "instagram_business_content_publish"),
])
def test_graph_errors_on_the_container_call_map_to_clear_errors(meta, make_app, home, fault, error, words):
    app = make_app()
    ig = meta["instagram"]
    item = short(app, meta_account(app, "instagram", ig), home)
    ig.script["create"] = [fault]
    with pytest.raises(error) as caught:
        publish_item(app, item.id)
    assert words in f"{caught.value} {caught.value.hint}"
    if error is errors.RateLimited:
        assert caught.value.retry_after == 7 * 60  # Meta's estimated_time_to_regain_access, in minutes
        assert publications.get_for_item(app.db, item.id).status == "pending"
    assert "long-token-1" not in f"{caught.value} {caught.value.hint}"


def test_a_publish_answer_lost_is_found_in_the_media_list(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    item = short(app, meta_account(app, "instagram", ig), home)
    ig.script["publish"] = ["drop"]  # published, then the connection is cut
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == ig.media[0]["id"] and len(ig.media) == 1


def test_a_5xx_on_publish_is_never_sent_again_blindly(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    item = short(app, meta_account(app, "instagram", ig), home)
    ig.script["publish"] = ["500"]  # refused before publishing, but the client cannot know that
    with pytest.raises(NeedsAttention, match="container is FINISHED, not PUBLISHED"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "needs_attention" and not ig.media
    with pytest.raises(NeedsAttention):
        publish_item(app, item.id)  # a plain rerun looks again and still does not send
    assert ig.server.count("POST", f"/v23.0/{ig.user_id}/media_publish") == 1
    pub, _ = publish_item(app, item.id, retry_unknown=True)  # a person checked the profile
    assert pub.status == "published" and len(ig.media) == 1 and len(ig.containers) == 1


def test_a_lost_container_answer_is_harmless_an_unpublished_container_expires(meta, make_app, home):
    app = make_app()
    th = meta["threads"]
    item = post(app, meta_account(app, "threads", th, "words"))
    th.script["create"] = ["drop"]
    with pytest.raises(errors.ServiceUnavailable, match="never published"):
        publish_item(app, item.id)
    assert publications.get_for_item(app.db, item.id).status == "failed" and len(th.containers) == 1
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and len(th.containers) == 2 and len(th.media) == 1


# --- the kill matrix ----------------------------------------------------------------------------

POINTS = ["container-created", "polling", "publish-received", "published", "answer-stored"]
VIEWS = ["in-sync", "list-lag", "list-503"]
# Before the publish call nothing looks at the list, so its views matter only after it.
CASES = [(p, v) for p in POINTS for v in VIEWS if v == "in-sync" or p.startswith("publish")]
HOOKS = {"container-created": "on_created", "polling": "on_status", "publish-received": "on_publish_received",
         "published": "on_published", "answer-stored": "on_permalink"}


def _defer_passes(app) -> None:
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE not_before IS NOT NULL")


@pytest.mark.parametrize("point, view", CASES)
@pytest.mark.parametrize("network", ["instagram", "threads"])
def test_kill_9_at_every_step_leaves_exactly_one_published_media(meta, make_app, home, network, point, view):
    from tests.publishing.test_kill_matrix import _automatic_paths, _person_resolves, _report

    app = make_app()
    fake = meta[network]
    account = meta_account(app, network, fake)
    item = short(app, account, home)
    child = Child(item.id)
    setattr(fake, HOOKS[point], child.kill)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    for hook in HOOKS.values():
        setattr(fake, hook, None)
    if point in ("container-created", "polling"):  # nothing public was in flight: publish-due may go on alone
        assert publications.get_for_item(app.db, item.id).status == "pending"
    fake.list_hidden = view == "list-lag"
    if view == "list-503":
        fake.script["list"] = ["500"] * 20
    automatic = _automatic_paths(app, item, _defer_passes)
    assert len(fake.media) <= 1
    fake.list_hidden, fake.script = False, {}
    permalink = fake.n["permalink"]
    person = _person_resolves(app, item, lambda: permalink.format(id=fake.media[0]["id"]) if fake.media else None)
    _report(f"{network}, killed at {point}, {view}", automatic, person, len(fake.media))
    assert len(fake.media) == 1 and publications.get_for_item(app.db, item.id).status == "published"
    # Only a publish call whose outcome cannot be proven needs a person.
    assert (person == "nothing") == (point != "publish-received" and (point != "published" or view == "in-sync"))
    if point in ("container-created", "polling"):  # an unpublished container is harmless; a stored one is reused
        assert len(fake.containers) == (2 if point == "container-created" else 1)


CHAIN_POINTS = {  # where the run dies: the fake's hook, and when (how many posts are public by then)
    "part1-publish-received": ("on_publish_received", 0),
    "part2-container-created": ("on_created", 2),  # counted in containers
    "part2-publish-received": ("on_publish_received", 1),
    "part2-published": ("on_published", 2),
    "part3-published": ("on_published", 3),
}


@pytest.mark.parametrize("view", ["in-sync", "list-lag"])
@pytest.mark.parametrize("point", list(CHAIN_POINTS))
def test_kill_9_in_a_threads_reply_chain_never_posts_a_part_twice(meta, make_app, home, point, view):
    from tests.publishing.test_kill_matrix import _automatic_paths, _report

    app = make_app()
    th = meta["threads"]
    item = thread(app, meta_account(app, "threads", th, "words"))
    child = Child(item.id)
    hook, count = CHAIN_POINTS[point]
    seen = (lambda: len(th.containers)) if hook == "on_created" else (lambda: len(th.media))

    def die():
        if seen() != count:
            return False  # not yet: this call goes on as usual
        child.kill()
        return None

    setattr(th, hook, die)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    setattr(th, hook, None)
    parts_before = len(th.media)
    th.list_hidden = view == "list-lag"
    automatic = _automatic_paths(app, item, _defer_passes)
    assert [t for t, _ in _chain(th)] == THREAD[:len(th.media)]  # never a part twice, never out of order
    th.list_hidden = False
    person = "nothing"
    for _ in THREAD:  # a person looks once per part whose publish answer was lost
        pub = publications.get_for_item(app.db, item.id)
        if pub.status == "published":
            break
        on_profile = len(th.media) > len(pub.state.get("part_ids") or [])
        publish_item(app, item.id, retry_unknown=not on_profile)  # found on the profile, or released once
        person = "publish (found)" if on_profile else "publish --retry-unknown"
    _report(f"threads reply chain, killed at {point}, {view}", automatic, person, len(th.media))
    assert _chain(th) == [(THREAD[0], None), (THREAD[1], THREAD[0]), (THREAD[2], THREAD[1])]
    assert publications.get_for_item(app.db, item.id).status == "published"
    # A part whose publish call was in flight stops for a person unless the posts list proves it; the parts
    # before it are never looked up again, the parts after it go on by themselves.
    in_doubt = point.endswith("publish-received") or (point.endswith("published") and view == "list-lag")
    assert (person != "nothing") == in_doubt, (person, automatic)
    assert parts_before <= len(th.media)


# --- login and health ---------------------------------------------------------------------------


def _login_child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "moneyprinter", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())


def _authorize_url(child: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            raise AssertionError(f"the login ended early: {child.stderr.read()}")
        found = re.search(r"(http://127\.0\.0\.1:\d+/oauth/authorize\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("no authorization address printed")


def test_instagram_login_with_a_loopback_redirect(meta, make_app, home):
    app = make_app()
    account = add_account(app.db, "instagram", "reels", publisher="instagram_api")
    port = closed_port()  # a free port for the redirect
    child = _login_child("instagram", "login", "--account", "reels", "--no-browser",
                         "--redirect-uri", f"http://127.0.0.1:{port}/callback")
    url = _authorize_url(child)
    landed = requests.get(url, timeout=10)  # the browser: Meta redirects to the loopback address
    assert "logged in" in landed.text
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "@meta_tester" in out and "long-token" not in out + err and APP_SECRET not in out + err
    saved = credentials.load("instagram", account)
    assert saved["access_token"] == "long-token-2" and saved["user_id"] == meta["instagram"].user_id
    assert "instagram_business_content_publish" in saved["permissions"]
    assert get_account_by_id(app.db, account.id).options["ig_user_id"] == meta["instagram"].user_id


def test_threads_login_by_pasting_the_address_the_browser_landed_on(meta, make_app, home):
    app = make_app()
    account = add_account(app.db, "threads", "words", publisher="threads_api")
    child = _login_child("threads", "login", "--account", "words", "--no-browser",
                         "--redirect-uri", "https://localhost/")
    url = _authorize_url(child)
    landed = requests.get(url, timeout=10, allow_redirects=False).headers["Location"]
    out, err = child.communicate(landed + "\n", timeout=30)
    assert child.returncode == 0, err
    saved = credentials.load("threads", account)
    assert saved["access_token"] == "long-token-2" and saved["user_id"] == meta["threads"].user_id
    assert get_account_by_id(app.db, account.id).options["threads_user_id"] == meta["threads"].user_id
    assert "long-token" not in out + err


def test_login_refuses_an_address_from_another_login(meta, make_app, cli):
    app = make_app()
    add_account(app.db, "threads", "words", publisher="threads_api")
    result = cli("threads", "login", "--account", "words", "--no-browser", "--redirect-uri", "https://localhost/",
                 input="https://localhost/?code=abc&state=forged#_\n")
    assert result.exit_code != 0 and "state" in result.output


def test_health_reports_the_account_and_its_publishing_limit(meta, make_app, home):
    app = make_app()
    ig = meta["instagram"]
    account = meta_account(app, "instagram", ig)
    ig.quota_usage = 3
    from moneyprinter.publishers.meta_api import InstagramAPIPublisher, ThreadsAPIPublisher

    result = InstagramAPIPublisher().health_check(app, account)
    assert result.status == "PASS" and "@meta_tester" in result.message and "3 of 50" in result.message
    ig.script["me"] = ["190"]
    result = InstagramAPIPublisher().health_check(app, account)
    assert result.status == "FAIL" and "moneyprinter instagram login --account reels" in result.remediation
    th_account = meta_account(app, "threads", meta["threads"], "words")
    credentials.save(app.db, "threads", th_account, {"access_token": "long-token-1", "user_id": meta["threads"].user_id,
                                                     "permissions": "threads_basic"})
    result = ThreadsAPIPublisher().health_check(app, th_account)
    assert result.status == "WARN" and "threads_content_publish" in result.message


def test_a_token_near_its_expiry_is_refreshed_and_an_expired_one_asks_for_a_login(meta, make_app, home):
    from datetime import UTC, datetime, timedelta

    app = make_app()
    th = meta["threads"]
    account = meta_account(app, "threads", th, "words")
    soon = (datetime.now(UTC) + timedelta(days=3)).isoformat(timespec="seconds")
    credentials.save(app.db, "threads", account, {**credentials.load("threads", account), "expires_at": soon})
    pub, _ = publish_item(app, post(app, account).id)
    assert pub.status == "published" and th.server.count("GET", "/refresh_access_token") == 1
    saved = credentials.load("threads", account)
    assert saved["access_token"] == "long-token-3" and saved["expires_at"] > soon
    gone = (datetime.now(UTC) - timedelta(days=1)).isoformat(timespec="seconds")
    credentials.save(app.db, "threads", account, {**saved, "expires_at": gone})
    before = th.api_requests
    with pytest.raises(errors.Unauthorized, match="expired") as caught:
        publish_item(app, post(app, account, "Another one").id)
    assert "moneyprinter threads login --account words" in caught.value.hint and th.api_requests == before
