"""YouTube Studio through Selenium: headless Chromium against a local page reproducing the upload dialog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moneyprinter import errors
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from tests.publishing.conftest import short_item, video_file, write_config
from tests.support.httpserver import Reply

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="needs Debian's chromium and chromium-driver (installed by .ci/run)"),
]

PAGE = (Path(__file__).parent / "fixtures" / "studio_upload.html").read_text()


class FakeStudio:
    def __init__(self, server) -> None:
        self.drafts: list[dict] = []
        self.published: list[dict] = []
        server.route("GET", "/upload", Reply(200, PAGE))
        server.route("POST", "/studio/api/draft", self._draft)
        server.route("POST", "/studio/api/publish", self._publish)

    def _draft(self, req):
        draft = {"id": f"studio{len(self.drafts) + 1}", **req.json()}
        draft["url"] = f"https://youtu.be/{draft['id']}"
        self.drafts.append(draft)
        return Reply(200, draft)

    def _publish(self, req):
        self.published.append(req.json())
        return Reply(200, {"ok": True})


@pytest.fixture
def studio(server, home):
    return FakeStudio(server)


def _configure(home, server, query="", **extra):
    write_config(home, {"studio_enabled": True, "studio_headless": True, "studio_timeout_s": 5.0,
                        "studio_upload_timeout_s": 20.0, "studio_upload_url": server.url("/upload") + query, **extra})


def _item(app, tmp_path, publisher="youtube_studio"):
    from moneyprinter.store.accounts import add_account, update_account

    account = add_account(app.db, "youtube", "studiochan", publisher=publisher)
    update_account(app.db, account, options={"privacy_status": "unlisted"})
    return short_item(app, account, video_file(tmp_path, 50_000))


@pytest.fixture
def drivers(monkeypatch):
    """Every driver the publisher starts, so tests can check that it was closed."""
    from moneyprinter.publishers.studio import browser

    started = []
    original = browser.make_driver

    def tracking(settings, account_id):
        driver = original(settings, account_id)
        started.append(driver)
        return driver

    monkeypatch.setattr(browser, "make_driver", tracking)
    return started


def _closed(driver) -> bool:
    return driver.service.process is None or driver.service.process.poll() is not None


def test_slow_upload_is_waited_for_and_published_once(studio, server, home, make_app, tmp_path, drivers, caplog):
    _configure(home, server, "?upload_ms=3000", studio_timeout_s=2.0)  # longer than one element wait
    app = make_app()
    item = _item(app, tmp_path)
    pub, outcome = publish_item(app, item.id)
    assert pub.status == "published" and outcome.url == "https://youtu.be/studio1" and pub.remote_id == "studio1"
    assert studio.published == [{"id": "studio1", "title": "A fact about owls", "description": "Owls can rotate their heads.",
                                 "visibility": "UNLISTED", "kids": "VIDEO_MADE_FOR_KIDS_NOT_MFK"}]
    assert pub.state["studio_video_url"] == "https://youtu.be/studio1"
    assert "may break YouTube's terms" in caplog.text
    assert drivers and all(_closed(d) for d in drivers)


def test_missing_element_saves_evidence_and_needs_attention(studio, server, home, make_app, tmp_path, drivers):
    _configure(home, server, "?missing=visibility", studio_timeout_s=1.5)
    app = make_app()
    item = _item(app, tmp_path)
    with pytest.raises(NeedsAttention, match="choose visibility UNLISTED") as caught:
        publish_item(app, item.id)
    assert "screenshot and page saved" in caught.value.message
    failures = home / "studio-failures"
    pngs, pages = list(failures.glob("*.png")), list(failures.glob("*.html"))
    assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")
    assert len(pages) == 1 and 'name="PUBLIC"' not in pages[0].read_text() and "title-textarea" in pages[0].read_text()
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "needs_attention" and pub.state["studio_video_url"] == "https://youtu.be/studio1"
    assert drivers and all(_closed(d) for d in drivers)
    # A rerun does not start a second upload on its own.
    with pytest.raises(NeedsAttention, match="already started"):
        publish_item(app, item.id)
    assert len(studio.drafts) == 1 and len(drivers) == 1
    # The person checked Studio (the draft is not there) and retries explicitly: the page works now.
    _configure(home, server, studio_timeout_s=5.0)
    app.close()
    app = make_app()
    pub, outcome = publish_item(app, item.id, retry_unknown=True)
    assert pub.status == "published" and outcome.url == "https://youtu.be/studio2" and len(studio.published) == 1
    assert all(_closed(d) for d in drivers)


def test_studio_is_off_unless_opted_in(studio, server, home, make_app, tmp_path):
    _configure(home, server, studio_enabled=False)
    app = make_app()
    item = _item(app, tmp_path)
    with pytest.raises(errors.PublishError, match="turned off"):
        publish_item(app, item.id)
    assert not studio.drafts
