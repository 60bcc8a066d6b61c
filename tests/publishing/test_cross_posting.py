"""One item, many destinations: an account's cross-post destinations, the fan-out of each new Short or
post to them (each on its own), review per destination, preflight, and kill -9 in the middle."""

from __future__ import annotations

import json

import pytest

from moneyprinter import errors
from moneyprinter.publishers import submit_everywhere
from moneyprinter.publishers.base import PUBLISHERS, Outcome, Publisher
from moneyprinter.publishers.destinations import set_destinations
from moneyprinter.publishers.engine import publish_due
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import add_account, get_account, remove_account
from tests.publishing.conftest import post_item, short_item, video_file, write_config, x_account, youtube_account
from tests.support.publishers import unbuilt_publisher

NETWORKS = (("tiktok", "cook-tt"), ("bluesky", "cook.bsky"), ("mastodon", "cook.social"))
TARGETS = [f"{p}:{n}" for p, n in NETWORKS]


def _destinations(app, home_account, networks=NETWORKS, **options):
    for platform, nickname in networks:
        add_account(app.db, platform, nickname, **options)
    return set_destinations(app.db, home_account, [f"{p}:{n}" for p, n in networks])


def _statuses(app, item_id):
    return {p.destination: p.status.value for p in publications.for_item(app.db, item_id)}


def _attempts(app, item_id):
    return {p.destination: len(publications.attempts(app.db, p.id)) for p in publications.for_item(app.db, item_id)}


# --- destinations of an account ----------------------------------------------------------------


def test_destinations_are_set_listed_and_cleared_on_the_command_line(make_app, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one line per row
    app = make_app()
    add_account(app.db, "youtube", "cooking")
    for platform, nickname in NETWORKS:
        add_account(app.db, platform, nickname)
    args = ["accounts", "edit", "youtube", "cooking"]
    for target in TARGETS:
        args += ["--cross-post", target]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "cross-posts to: tiktok:cook-tt, bluesky:cook.bsky, mastodon:cook.social" in result.output
    listed = {a["nickname"]: a for a in json.loads(cli("accounts", "list", "--json").output)}
    assert [(d["platform"], d["nickname"]) for d in listed["cooking"]["cross_post"]] == list(NETWORKS)
    assert listed["cook-tt"]["cross_post"] == []
    assert "tiktok:cook-tt, bluesky:cook.bsky, mastodon:cook.social" in cli("accounts", "list").output

    remove_account(app.db, get_account(app.db, "bluesky", "cook.bsky"))  # a removed destination leaves the list
    listed = {a["nickname"]: a for a in json.loads(cli("accounts", "list", "--json").output)}
    assert [d["nickname"] for d in listed["cooking"]["cross_post"]] == ["cook-tt", "cook.social"]

    cleared = cli("accounts", "edit", "youtube", "cooking", "--no-cross-post")
    assert cleared.exit_code == 0 and "cross-posts to: nothing" in cleared.output
    assert all(a["cross_post"] == [] for a in json.loads(cli("accounts", "list", "--json").output))


def test_a_destination_that_cannot_take_the_content_is_refused_in_one_line(make_app, cli):
    app = make_app()
    add_account(app.db, "x", "poster")
    add_account(app.db, "bluesky", "cook.bsky")
    add_account(app.db, "tiktok", "cook-tt")
    add_account(app.db, "x", "other")
    assert cli("accounts", "edit", "x", "poster", "--cross-post", "bluesky:cook.bsky").exit_code == 0

    refused = cli("accounts", "edit", "x", "poster", "--cross-post", "bluesky:cook.bsky", "--cross-post", "tiktok:cook-tt")
    assert refused.exit_code == 2
    lines = [line for line in refused.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "tiktok 'cook-tt': TikTok takes videos only; posts, threads and pitches cannot go " \
        "there" in lines[0]
    assert "Traceback" not in refused.output
    same = cli("accounts", "edit", "x", "poster", "--cross-post", "x:other")
    assert same.exit_code == 2 and "is on X too" in same.output
    missing = cli("accounts", "edit", "x", "poster", "--cross-post", "mastodon:nobody")
    assert missing.exit_code == 2 and "no mastodon account named 'nobody'" in missing.output
    backwards = cli("accounts", "edit", "bluesky", "cook.bsky", "--cross-post", "x:poster")
    assert backwards.exit_code == 2 and "bluesky 'cook.bsky' makes no content of its own" in backwards.output
    malformed = cli("accounts", "edit", "x", "poster", "--cross-post", "cook.bsky")
    assert malformed.exit_code == 2 and "PLATFORM:NICKNAME" in malformed.output
    # Nothing refused was stored: the destination set before stays.
    listed = {a["nickname"]: a for a in json.loads(cli("accounts", "list", "--json").output)}
    assert [d["nickname"] for d in listed["poster"]["cross_post"]] == ["cook.bsky"]


# --- fan-out -----------------------------------------------------------------------------------


def test_one_short_goes_to_youtube_and_three_destinations_each_once(youtube, make_app, home, tmp_path):
    app = make_app()
    channel = youtube_account(app)  # the YouTube Data API, against the local fake
    _destinations(app, channel)
    item = short_item(app, channel, video_file(tmp_path))

    done = submit_everywhere(app, item)
    assert [(d.account.platform, d.result.status) for d in done.items] == [
        ("youtube", "published"), ("tiktok", "outbox"), ("bluesky", "outbox"), ("mastodon", "outbox")]
    assert done.exit_code == 0 and len(youtube.videos) == 1
    assert done.lines()[1].startswith(f"item {item.id} -> tiktok 'cook-tt': written to the outbox")
    pubs = {p.destination: p for p in publications.for_item(app.db, item.id)}
    assert pubs["youtube"].remote_url and pubs["tiktok"].account_id == get_account(app.db, "tiktok", "cook-tt").id
    assert content.get_item(app.db, item.id).status == "published"  # the item shows its own publication

    # Each network gets the text in its own form: TikTok the long caption, Bluesky title and hashtags.
    tiktok = json.loads((home / "outbox" / "tiktok" / "cook-tt" / str(item.id) / "metadata.json").read_text())
    bluesky = json.loads((home / "outbox" / "bluesky" / "cook.bsky" / str(item.id) / "metadata.json").read_text())
    assert tiktok["post_texts"] == ["A fact about owls\n\nOwls can rotate their heads.\n\n#owls #facts"]
    assert bluesky["post_texts"] == ["A fact about owls\n\n#owls #facts"]

    again = submit_everywhere(app, content.get_item(app.db, item.id))  # a rerun sends nothing again
    assert [d.result.status for d in again.items] == ["published", "outbox", "outbox", "outbox"]
    assert _attempts(app, item.id) == {"youtube": 1, "tiktok": 1, "bluesky": 1, "mastodon": 1}
    assert len(youtube.videos) == 1 and youtube.server.count("POST", "/upload/youtube/v3/videos") == 1


class _Flaky(Publisher):
    """A network that is down (or rate-limits) on the first call, then works."""

    id = "bluesky_api"
    platforms = ("bluesky",)
    calls: list[str] = []
    first: type[Exception] = errors.ServiceUnavailable

    def publish(self, ctx):
        self.calls.append(ctx.account.nickname)
        if len(self.calls) == 1:
            if self.first is errors.RateLimited:
                raise errors.RateLimited("bluesky", "429 Too Many Requests", retry_after=600)
            raise errors.ServiceUnavailable("bluesky", "503 Service Unavailable")
        return Outcome("published", "at://did:plc:me/app.bsky.feed.post/3k", "https://bsky.app/profile/me/post/3k",
                       message="posted")

    def health_check(self, app, account):  # pragma: no cover - not called here
        raise NotImplementedError


@pytest.fixture
def flaky_bluesky():
    """The bluesky_api id served by ``_Flaky`` for one test, then the real entry again."""
    original = PUBLISHERS._entries["bluesky_api"]
    PUBLISHERS.unregister("bluesky_api")
    PUBLISHERS.register("bluesky_api", _Flaky)
    _Flaky.calls = []
    yield _Flaky
    PUBLISHERS.unregister("bluesky_api")
    PUBLISHERS.register("bluesky_api", original)


def test_one_destination_down_does_not_stop_or_repeat_the_others(xapi, make_app, flaky_bluesky):
    app = make_app()
    poster = x_account(app)
    add_account(app.db, "bluesky", "cook.bsky", publisher="bluesky_api")
    add_account(app.db, "mastodon", "cook.social")
    add_account(app.db, "threads", "cook.threads")
    set_destinations(app.db, poster, ["bluesky:cook.bsky", "mastodon:cook.social", "threads:cook.threads"])
    item = post_item(app, poster, text="One post, four places")

    done = submit_everywhere(app, item)
    assert [(d.account.platform, d.exit_code) for d in done.items] == [("x", 0), ("bluesky", 1), ("mastodon", 0),
                                                                         ("threads", 0)]
    assert done.exit_code == 1 and "failed: bluesky: 503 Service Unavailable" in done.lines()[1]
    assert _statuses(app, item.id) == {"x": "published", "bluesky": "failed", "mastodon": "outbox", "threads": "outbox"}

    again = submit_everywhere(app, content.get_item(app.db, item.id))  # a rerun: only the failed one runs
    assert again.exit_code == 0 and _statuses(app, item.id)["bluesky"] == "published"
    assert _attempts(app, item.id) == {"x": 1, "bluesky": 2, "mastodon": 1, "threads": 1}
    assert len(xapi.posts) == 1 and flaky_bluesky.calls == ["cook.bsky", "cook.bsky"]


def test_a_deferred_destination_is_retried_by_publish_due_alone(xapi, make_app, flaky_bluesky, cli):
    flaky_bluesky.first = errors.RateLimited
    try:
        app = make_app()
        poster = x_account(app)
        add_account(app.db, "bluesky", "cook.bsky", publisher="bluesky_api")
        add_account(app.db, "mastodon", "cook.social")
        set_destinations(app.db, poster, ["bluesky:cook.bsky", "mastodon:cook.social"])
        result = cli("tweet", "--account", "poster", "--text", "Deferred on one network only")
        assert result.exit_code == 75, result.output  # the worst outcome, after every destination was tried
        item_id = content.list_items(app.db, account_id=poster.id)[0].id
        assert f"item {item_id} -> bluesky 'cook.bsky': deferred: bluesky: 429" in result.output
        assert f"item {item_id} -> mastodon 'cook.social': written to the outbox" in result.output
        pub = publications.get_for_item(app.db, item_id, "bluesky")
        assert pub.status == "pending" and pub.not_before

        assert publish_due(app) == []  # nothing runs before its time
        app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE id = ?", (pub.id,))
        assert [(d.item_id, d.outcome) for d in publish_due(app)] == [(item_id, "published")]
        assert _attempts(app, item_id) == {"x": 1, "bluesky": 2, "mastodon": 1}
        assert len(xapi.posts) == 1 and publish_due(app) == []
    finally:
        flaky_bluesky.first = errors.ServiceUnavailable


@pytest.fixture
def unbuilt_threads():
    """The threads_api id pointing at a module this installation lacks (as before a network is built)."""
    with unbuilt_publisher("threads_api", "ThreadsAPIPublisher"):
        yield


def test_an_unbuilt_network_publisher_fails_only_its_destination(make_app, unbuilt_threads):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    add_account(app.db, "threads", "cook.threads", publisher="threads_api")
    add_account(app.db, "mastodon", "cook.social")
    set_destinations(app.db, poster, ["threads:cook.threads", "mastodon:cook.social"])
    item = post_item(app, poster)
    done = submit_everywhere(app, item)
    assert [d.exit_code for d in done.items] == [0, 1, 0]
    assert "threads 'cook.threads': failed: publisher 'threads_api' is not part of this version" in done.lines()[1]


# --- review, preflight, the person's commands ----------------------------------------------------


def test_review_approves_and_rejects_destinations_one_by_one_or_all_at_once(make_app, cli, home, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one line per row
    app = make_app()
    channel = add_account(app.db, "youtube", "cooking", approval="manual")
    _destinations(app, channel)
    item = short_item(app, channel, None)
    done = submit_everywhere(app, item)
    assert [d.result.status for d in done.items] == ["review"] * 4  # the account's person reads it everywhere
    listing = cli("review").output
    assert all(f"{p}:{n}" in listing for p, n in NETWORKS)

    one = cli("review", "approve", str(item.id), "--destination", "bluesky")
    assert one.exit_code == 0, one.output
    assert f"item {item.id} -> bluesky 'cook.bsky': written to the outbox" in one.output
    assert cli("review", "reject", str(item.id), "--destination", "tiktok", "--reason", "not for TikTok").exit_code == 0
    assert _statuses(app, item.id) == {"youtube": "review", "tiktok": "rejected", "bluesky": "outbox",
                                       "mastodon": "review"}
    assert content.get_item(app.db, item.id).status == "review"  # a cross-post's review leaves the item as it is

    rest = cli("review", "approve", str(item.id))
    assert rest.exit_code == 0, rest.output
    assert [line.split(":")[0] for line in rest.output.splitlines()] == [
        f"item {item.id} -> youtube 'cooking'", f"item {item.id} -> mastodon 'cook.social'"]
    assert _statuses(app, item.id) == {"youtube": "outbox", "tiktok": "rejected", "bluesky": "outbox",
                                       "mastodon": "outbox"}
    again = cli("review", "approve", str(item.id), "--destination", "tiktok")
    assert again.exit_code == 2 and "to tiktok was rejected" in again.output

    shown = {p["destination"]: p for p in json.loads(cli("publications", "--json").output)}
    assert shown["tiktok"]["account"] == "cook-tt" and shown["tiktok"]["error"] == "not for TikTok"
    assert shown["bluesky"]["publisher"] == "outbox" and shown["bluesky"]["location"].endswith(f"cook.bsky/{item.id}")
    table = cli("publications").output
    assert "bluesky" in table and "cook.bsky" in table


def test_a_text_too_long_for_one_network_waits_in_review_naming_it_and_is_refused_at_approval(xapi, make_app, cli):
    app = make_app()
    poster = x_account(app)
    add_account(app.db, "bluesky", "cook.bsky")
    add_account(app.db, "mastodon", "cook.social", options={"max_characters": 120})
    add_account(app.db, "threads", "cook.threads")
    set_destinations(app.db, poster, ["bluesky:cook.bsky", "mastodon:cook.social", "threads:cook.threads"])
    # X counts the link as 23; Bluesky counts every grapheme of it.
    link = "https://example.com/" + "a-very-long-path/" * 8
    prose = "Owls turn their heads by 270 degrees without cutting the blood to their brains. " * 2
    text = prose + link
    item = post_item(app, poster, text=text)

    done = submit_everywhere(app, item)
    assert [d.result.status for d in done.items] == ["published", "review", "review", "outbox"]
    assert f"bluesky 'cook.bsky': the text is {len(text)} graphemes; Bluesky allows 300" in done.lines()[1]
    mastodon_count = len(prose) + 23  # every link counts 23 on Mastodon
    assert f"mastodon 'cook.social': the text is {mastodon_count} characters (links count 23); this Mastodon " \
           "instance allows 120" in done.lines()[2]
    assert len(xapi.posts) == 1

    refused = cli("review", "approve", str(item.id), "--destination", "bluesky")
    assert refused.exit_code == 2 and "bluesky 'cook.bsky': the text is" in refused.output
    assert _statuses(app, item.id)["bluesky"] == "review"  # refused, never shortened

    both = cli("review", "approve", str(item.id))  # each refused on its own, naming its network
    assert both.exit_code == 2
    assert "bluesky 'cook.bsky'" in both.output and "mastodon 'cook.social'" in both.output
    assert _statuses(app, item.id) == {"x": "published", "bluesky": "review", "mastodon": "review",
                                       "threads": "outbox"}

    tiktok = add_account(app.db, "tiktok", "cook-tt")
    wrong = cli("publish", str(item.id), "--to", f"tiktok:{tiktok.nickname}")
    assert wrong.exit_code == 2 and "TikTok takes videos only" in wrong.output
    assert publications.get_for_item(app.db, item.id, "tiktok") is None


def test_publish_to_cross_posts_an_item_now_and_destination_runs_one(make_app, cli, home):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    add_account(app.db, "bluesky", "cook.bsky")
    add_account(app.db, "mastodon", "cook.social")
    item = post_item(app, poster, text="Published here first")
    assert cli("publish", str(item.id)).exit_code == 0

    crossed = cli("publish", str(item.id), "--to", "bluesky:cook.bsky", "--to", "mastodon:cook.social")
    assert crossed.exit_code == 0, crossed.output
    assert f"item {item.id} -> bluesky 'cook.bsky': written to the outbox" in crossed.output
    assert _attempts(app, item.id) == {"x": 1, "bluesky": 1, "mastodon": 1}
    twice = cli("publish", str(item.id), "--to", "bluesky:cook.bsky")  # done before: reported, not repeated
    assert twice.exit_code == 0 and "already outbox" in twice.output and _attempts(app, item.id)["bluesky"] == 1

    one = cli("publish", str(item.id), "--destination", "mastodon")  # run one on purpose (rewrites its copy)
    assert one.exit_code == 0 and f"item {item.id} -> mastodon:" in one.output
    assert _attempts(app, item.id) == {"x": 1, "bluesky": 1, "mastodon": 2}
    none = cli("publish", str(item.id), "--destination", "threads")
    assert none.exit_code == 2 and "no publication to threads" in none.output


def test_health_covers_destination_accounts_and_names_an_unbuilt_publisher(make_app, cli, home, unbuilt_threads):
    write_config(home, {})
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    add_account(app.db, "threads", "cook.threads", publisher="threads_api")
    add_account(app.db, "bluesky", "cook.bsky")
    set_destinations(app.db, poster, ["bluesky:cook.bsky", "threads:cook.threads"])
    result = cli("health", "--json")
    checks = {c["name"]: c for c in (lambda d: d["checks"] if isinstance(d, dict) else d)(json.loads(result.output))}
    check = checks["publishers"]
    assert check["status"] == "FAIL" and "threads 'cook.threads': publisher 'threads_api' is not part of this version" \
        in check["message"]
    assert "Traceback" not in result.output


# --- kill -9 in the middle of a fan-out --------------------------------------------------------

KILL_POINTS = ["youtube-video-created", "x-post-created"]


@pytest.mark.parametrize("scheduler_first", [True, False], ids=["publish-due-then-publish", "publish"])
@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_9_during_fan_out_then_rerun_publishes_each_destination_once(youtube, server, home, make_app, tmp_path,
                                                                          point, scheduler_first):
    """A Short goes to YouTube (the Data API), X (the API, as a video post), TikTok and Bluesky (outbox).
    The process dies after a remote object exists but before it was recorded; the reruns (a person's
    ``publish ID``, the scheduler's ``publish-due``) leave exactly one of each."""
    from tests.publishing.conftest import Child
    from tests.publishing.fakes import FakeX

    fake_x = FakeX(server)
    write_config(home, {**youtube.settings(), **fake_x.settings(), "upload_chunk_bytes": 256 * 1024,
                        "upload_backoff_base_s": 0.0, "x_post_timeout_s": 1.0})
    app = make_app()
    channel = youtube_account(app)
    x_account(app)
    add_account(app.db, "tiktok", "cook-tt")
    add_account(app.db, "bluesky", "cook.bsky")
    set_destinations(app.db, channel, ["x:poster", "tiktok:cook-tt", "bluesky:cook.bsky"])
    item = short_item(app, channel, video_file(tmp_path))

    child = Child(item.id)
    fake = youtube if point == "youtube-video-created" else fake_x
    fake.on_created = child.kill
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    youtube.on_created = fake_x.on_created = None
    # Every destination was recorded before anything was sent: none is forgotten by the kill.
    assert set(_statuses(app, item.id)) == {"youtube", "x", "tiktok", "bluesky"}
    assert _statuses(app, item.id)["bluesky"] == "pending"

    if scheduler_first:
        publish_due(app)  # the scheduler's path: it finishes what is due, and leaves the killed one to publish
    rerun = Child(item.id)
    code, out, err = rerun.wait()
    assert code == 0, out + err
    assert _statuses(app, item.id) == {"youtube": "published", "x": "published", "tiktok": "outbox",
                                       "bluesky": "outbox"}
    assert len(youtube.videos) == 1 and len(fake_x.posts) == 1
    assert fake_x.posts[0]["text"].startswith("A fact about owls")  # X got the Short's caption, not its script
    outcomes = {p.destination: [a.outcome.value for a in publications.attempts(app.db, p.id)]
                for p in publications.for_item(app.db, item.id)}
    assert outcomes["tiktok"].count("outbox") == 1 and outcomes["bluesky"].count("outbox") == 1
    again = Child(item.id)
    code, out, err = again.wait()
    assert code == 0 and len(youtube.videos) == 1 and len(fake_x.posts) == 1, out + err
    assert "already" in out


# --- the menu ------------------------------------------------------------------------------------


def test_the_menus_account_edit_offers_destinations_and_review_approves_one(make_app, monkeypatch, home):
    from moneyprinter.menu.accounts import _edit
    from moneyprinter.menu.review import screen
    from moneyprinter.publishers.destinations import destinations

    app = make_app()
    for platform, nickname in NETWORKS:
        add_account(app.db, platform, nickname)
    channel = add_account(app.db, "youtube", "cooking", topic="owls", approval="manual")
    # Accounts are listed by platform: bluesky, mastodon, tiktok, youtube. Edit the 4th; keep topic, language
    # and publisher; manual approval; cross-post to 'x9' (refused, asked again), then to 1 and 3.
    answers = iter(["4", "", "", "", "2", "x9", "1, 3"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    _edit(app)
    assert [(d.platform, d.nickname) for d in destinations(app.db, channel)] == [("bluesky", "cook.bsky"),
                                                                               ("tiktok", "cook-tt")]
    item = short_item(app, channel, None)
    submit_everywhere(app, item)
    assert _statuses(app, item.id) == {"youtube": "review", "bluesky": "review", "tiktok": "review"}
    answers = iter(["2", "1", "4"])  # the bluesky one (2nd of 3), approve it, then Back (4th once 2 wait)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    screen(app)
    assert _statuses(app, item.id) == {"youtube": "review", "bluesky": "outbox", "tiktok": "review"}


def test_a_cross_post_uploaded_by_hand_is_marked_published_alone(make_app, cli):
    app = make_app()
    poster = add_account(app.db, "x", "poster")
    _destinations(app, poster, networks=(("bluesky", "cook.bsky"),))
    item = post_item(app, poster)
    submit_everywhere(app, item)
    assert _statuses(app, item.id) == {"x": "outbox", "bluesky": "outbox"}
    url = "https://bsky.app/profile/cook.bsky/post/3kabc"
    marked = cli("outbox", "mark-published", str(item.id), url, "--destination", "bluesky")
    assert marked.exit_code == 0, marked.output
    assert _statuses(app, item.id) == {"x": "outbox", "bluesky": "published"}
    assert content.get_item(app.db, item.id).status == "outbox"  # the item follows its own publication only
    assert publications.get_for_item(app.db, item.id, "bluesky").remote_url == url


# --- with the network publishers ---------------------------------------------------------------


def test_one_short_to_youtube_tiktok_bluesky_and_mastodon_through_their_apis(server, home, make_app, monkeypatch):
    """The Short goes to YouTube, TikTok and Bluesky through their APIs (local peers) and to Mastodon's
    outbox, each once, with independent states; a rerun through the real CLI sends nothing again."""
    from tests.publishing.fake_bluesky import FakeBluesky
    from tests.publishing.fake_tiktok import CLIENT_KEY, CLIENT_SECRET, MB, FakeTikTok
    from tests.publishing.fakes import FakeYouTube
    from tests.publishing.test_bluesky import sky_account
    from tests.publishing.test_tiktok import _ffmpeg, tiktok_account
    from tests.support.httpserver import LocalServer

    import subprocess

    mp4 = home.parent / "short.mp4"
    subprocess.run([_ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "testsrc=size=180x320:rate=30", "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                    "-movflags", "+faststart", str(mp4)], check=True, timeout=120)
    youtube = FakeYouTube(server)
    with LocalServer() as tiktok_server, LocalServer() as pds, LocalServer() as video:
        tiktok = FakeTikTok(tiktok_server)
        tiktok.grant()
        bsky = FakeBluesky(pds, video)
        monkeypatch.setenv("YOUTUBE_CLIENT_ID", "client-id.apps.example")
        monkeypatch.setenv("YOUTUBE_CLIENT_SECRET", "csecret")
        monkeypatch.setenv("TIKTOK_CLIENT_KEY", CLIENT_KEY)
        monkeypatch.setenv("TIKTOK_CLIENT_SECRET", CLIENT_SECRET)
        write_config(home, {**youtube.settings(), "upload_chunk_bytes": 256 * 1024, "upload_backoff_base_s": 0.0,
                            **tiktok.settings(), "tiktok_poll_interval_s": 0.02, "tiktok_chunk_bytes": 5 * MB,
                            **bsky.settings()})
        app = make_app()
        channel = youtube_account(app)
        tiktok_account(app, nickname="cook-tt")
        sky_account(app, bsky, nickname="cook.bsky")
        add_account(app.db, "mastodon", "cook.social")
        set_destinations(app.db, channel, ["tiktok:cook-tt", "bluesky:cook.bsky", "mastodon:cook.social"])
        item = short_item(app, channel, mp4)

        done = submit_everywhere(app, item)
        assert done.exit_code == 0, done.lines()
        assert _statuses(app, item.id) == {"youtube": "published", "tiktok": "published", "bluesky": "published",
                                           "mastodon": "outbox"}
        assert len(youtube.videos) == 1
        pubs = {p.destination: p for p in publications.for_item(app.db, item.id)}
        assert pubs["bluesky"].remote_url.startswith("https://bsky.app/profile/")
        assert len(tiktok.publishes) == 1 and len(bsky.posts()) == 1  # each network holds exactly one post

        again = subprocess.run([*_moneyprinter(), "publish", str(item.id)], capture_output=True, text=True,
                               env=_env(), timeout=120)
        assert again.returncode == 0, again.stdout + again.stderr
        assert _attempts(app, item.id) == {"youtube": 1, "tiktok": 1, "bluesky": 1, "mastodon": 1}
        assert len(youtube.videos) == 1 and len(tiktok.publishes) == 1 and len(bsky.posts()) == 1


def _moneyprinter() -> list[str]:
    import sys

    return [sys.executable, "-m", "moneyprinter"]


def _env() -> dict[str, str]:
    from tests.conftest import subprocess_env

    return subprocess_env()


def test_publish_due_names_the_destination_of_a_cross_post(xapi, make_app, flaky_bluesky, cli):
    flaky_bluesky.first = errors.RateLimited
    try:
        app = make_app()
        poster = x_account(app)
        add_account(app.db, "bluesky", "cook.bsky", publisher="bluesky_api")
        set_destinations(app.db, poster, ["bluesky:cook.bsky"])
        assert cli("tweet", "--account", "poster", "--text", "Deferred on Bluesky").exit_code == 75
        item_id = content.list_items(app.db, account_id=poster.id)[0].id
        app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00'")
        app.db.conn.execute("UPDATE publications SET status = 'pending' WHERE destination = 'x'")  # its own too
        due = cli("publish-due")
        assert due.exit_code == 0, due.output
        assert f"item {item_id}: " in due.output  # its own publication: the item is enough
        assert f"item {item_id} -> bluesky 'cook.bsky': published" in due.output
    finally:
        flaky_bluesky.first = errors.ServiceUnavailable


def test_the_scheduled_publish_due_names_the_destination_of_a_cross_post(make_app):
    from moneyprinter.publishers.engine import scheduled_publish_due

    app = make_app()
    poster = add_account(app.db, "x", "poster")
    social = add_account(app.db, "mastodon", "cook.social")
    item = content.create_item(app.db, poster.id, "post", status="ready", body="Due on Mastodon")
    publications.ensure(app.db, item.id, social.id, "outbox", "pending", destination="mastodon")
    assert scheduled_publish_due(app) == f"item {item.id} -> mastodon 'cook.social': outbox"
