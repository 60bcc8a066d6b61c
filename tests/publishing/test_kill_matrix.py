"""A kill -9 matrix over publishing: the process dies at chosen points, the platform's view lags or its
lookup fails, every automatic path runs, then a person resolves what is left. Exactly one remote item,
every time.

Run with ``-s`` to see one line per case: where it died, what the automatic paths did, what the
person had to do, and how many remote items exist.
"""

from __future__ import annotations

import pytest

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.publishers import review, submit
from moneyprinter.publishers.engine import publish_due, publish_item
from moneyprinter.store import publications
from tests.publishing.conftest import Child, post_item, short_item, video_file, x_account, youtube_account
from tests.publishing.test_x_api import THREAD, thread_item


def _kill_at(child: Child, fake, hook: str, when=lambda *a: True) -> None:
    setattr(fake, hook, lambda *a: child.kill() if when(*a) else None)


def _automatic_paths(app, item, make_defer_pass) -> list[str]:
    """Everything that runs without a person: publish-due, a plain publish (scheduler, --resume), submit."""
    seen = []
    for path in ("publish", "publish-due", "publish", "submit", "publish-due"):
        make_defer_pass(app)
        try:
            if path == "publish-due":
                publish_due(app)
            elif path == "submit":
                from moneyprinter.store.content import get_item

                submit(app, get_item(app.db, item.id))
            else:
                publish_item(app, item.id)
        except MoneyPrinterError:
            pass
        seen.append(publications.get_for_item(app.db, item.id).status.value)
    return seen


def _person_resolves(app, item, remote_url) -> str:
    """A person looks on the platform itself (no lag there): mark it published, or release it once."""
    pub = publications.get_for_item(app.db, item.id)
    if pub.status == "published":
        return "nothing"
    url = remote_url()
    if url:
        review.mark_published(app.db, item.id, url)
        return "mark-published"
    publish_item(app, item.id, retry_unknown=True)
    return "publish --retry-unknown"


def _x_defer_passes(app) -> None:
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE not_before IS NOT NULL")
    app.db.conn.execute("UPDATE x_rate_limits SET reset_at = '2000-01-01T00:00:00+00:00'")


X_POINTS = ["armed-not-created", "created-answer-lost"]
X_VIEWS = ["in-sync", "timeline-lag", "lookup-403", "lookup-429", "lookup-503"]


def _x_view(xapi, view: str) -> None:
    xapi.timeline_lag_s = 3600 if view != "in-sync" else 0
    if view.startswith("lookup-"):
        xapi.timeline_script = [view[7:]] * 4


def _report(case: str, automatic: list[str], person: str, remote: int) -> None:
    print(f"\nMATRIX | {case} | automatic: {' -> '.join(automatic)} | person: {person} | remote items: {remote}")


@pytest.mark.parametrize("view", X_VIEWS)
@pytest.mark.parametrize("point", X_POINTS)
def test_x_single_post(xapi, make_app, point, view):
    app = make_app()
    item = post_item(app, x_account(app))
    child = Child(item.id)
    _kill_at(child, xapi, "on_received" if point == "armed-not-created" else "on_created")
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    xapi.on_received = xapi.on_created = None
    _x_view(xapi, view)
    automatic = _automatic_paths(app, item, _x_defer_passes)
    assert len(xapi.posts) <= 1
    xapi.timeline_lag_s, xapi.timeline_script = 0, []
    person = _person_resolves(app, item, lambda: f"https://x.com/testbot/status/{xapi.posts[0]['id']}"
                              if xapi.posts else None)
    _report(f"X post, killed {point}, {view}", automatic, person, len(xapi.posts))
    assert len(xapi.posts) == 1 and publications.get_for_item(app.db, item.id).status == "published"


THREAD_POINTS = ["part1-armed", "part1-created", "part2-created", "part3-created"]


@pytest.mark.parametrize("view", ["in-sync", "timeline-lag", "lookup-503"])
@pytest.mark.parametrize("point", THREAD_POINTS)
def test_x_thread(xapi, make_app, point, view):
    app = make_app()
    item = thread_item(app, x_account(app), THREAD)
    child = Child(item.id)
    if point == "part1-armed":
        _kill_at(child, xapi, "on_received")
    else:
        _kill_at(child, xapi, "on_created", lambda: len(xapi.posts) == int(point[4]))
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    xapi.on_received = xapi.on_created = None
    _x_view(xapi, view)
    automatic = _automatic_paths(app, item, _x_defer_passes)
    xapi.timeline_lag_s, xapi.timeline_script = 0, []
    person = "nothing"
    for _ in THREAD:  # a person may have to look once per part whose answer was lost
        pub = publications.get_for_item(app.db, item.id)
        if pub.status == "published":
            break
        texts = [p["text"] for p in xapi.posts]
        part = len(pub.state.get("thread_ids") or [])
        if THREAD[part] in texts:  # it is on X: publishing again finds it now that X shows it
            publish_item(app, item.id)
            person = "publish (found)"
        else:
            publish_item(app, item.id, retry_unknown=True)
            person = "publish --retry-unknown"
    texts = [p["text"] for p in reversed(xapi.posts)]
    _report(f"X thread, killed {point}, {view}", automatic, person, len(texts))
    assert texts == THREAD and publications.get_for_item(app.db, item.id).status == "published"


YT_POINTS = ["session-created", "first-chunk", "video-created", "video-created+session-gone",
             "video-created+file-deleted", "first-chunk+session-gone"]


def _yt_defer_passes(app) -> None:
    app.db.conn.execute("UPDATE publications SET not_before = '2000-01-01T00:00:00+00:00' WHERE not_before IS NOT NULL")


@pytest.mark.parametrize("lookup", ["ok", "503"])
@pytest.mark.parametrize("point", YT_POINTS)
def test_youtube_upload(youtube, make_app, tmp_path, point, lookup):
    app = make_app()
    path = video_file(tmp_path)
    item = short_item(app, youtube_account(app), path)
    child = Child(item.id)
    hook = {"session-created": "on_session", "first-chunk": "on_chunk"}.get(point.split("+")[0], "on_created")
    _kill_at(child, youtube, hook)
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    youtube.on_session = youtube.on_chunk = youtube.on_created = None
    if point.endswith("session-gone"):
        youtube.expire_sessions()
    if point.endswith("file-deleted"):
        path.unlink()
    if lookup != "ok":
        youtube.list_script = [lookup] * 20
    automatic = _automatic_paths(app, item, _yt_defer_passes)
    assert len(youtube.videos) <= 1
    youtube.list_script = []
    person = _person_resolves(app, item, lambda: f"https://www.youtube.com/shorts/{youtube.videos[0]['id']}"
                              if youtube.videos else None)
    _report(f"YouTube, killed at {point}, uploads lookup {lookup}", automatic, person, len(youtube.videos))
    assert len(youtube.videos) == 1 and publications.get_for_item(app.db, item.id).status == "published"
