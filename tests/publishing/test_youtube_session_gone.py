"""A resumable upload session that is gone (404/410) after every byte was sent is no proof that no video
exists: the channel's uploads are searched first, then a person decides. Never a blind second upload."""

from __future__ import annotations

import pytest

from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_due, publish_item
from moneyprinter.store import publications
from tests.publishing.conftest import Child, short_item, video_file, youtube_account


def _setup(make_app, tmp_path):
    app = make_app()
    account = youtube_account(app)
    path = video_file(tmp_path)
    return app, short_item(app, account, path), path


def _killed_when_created(youtube, item) -> None:
    child = Child(item.id)
    youtube.on_created = child.kill
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    youtube.on_created = None


def test_session_gone_after_the_last_byte_finds_the_video_in_the_uploads(youtube, make_app, tmp_path):
    app, item, _ = _setup(make_app, tmp_path)
    _killed_when_created(youtube, item)
    youtube.expire_sessions()
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == "vid1"
    assert len(youtube.videos) == 1 and youtube.server.count("POST", "/upload/youtube/v3/videos") == 1


def test_session_gone_and_the_video_not_found_needs_a_person(youtube, make_app, tmp_path, cli):
    app, item, _ = _setup(make_app, tmp_path)
    _killed_when_created(youtube, item)
    youtube.expire_sessions()
    youtube.videos.clear()  # still processing, or never created: the uploads do not show it
    with pytest.raises(NeedsAttention, match="not among the channel's recent uploads") as caught:
        publish_item(app, item.id)
    assert "A fact about owls" in caught.value.hint and f"publish {item.id} --retry-unknown" in caught.value.hint
    assert publications.get_for_item(app.db, item.id).status == "needs_attention"
    assert publish_due(app) == []
    with pytest.raises(NeedsAttention):
        publish_item(app, item.id)
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 1
    # A person looked in Studio and decided: a new session, one new video.
    result = cli("publish", str(item.id), "--retry-unknown")
    assert result.exit_code == 0, result.output
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 2 and len(youtube.videos) == 1


@pytest.mark.parametrize("failure", ["403", "503"])
def test_a_failing_uploads_lookup_needs_a_person(youtube, make_app, tmp_path, failure):
    app, item, _ = _setup(make_app, tmp_path)
    _killed_when_created(youtube, item)
    youtube.expire_sessions()
    youtube.list_script = [failure] * 3
    with pytest.raises(NeedsAttention, match="could not be searched"):
        publish_item(app, item.id)
    assert youtube.server.count("POST", "/upload/youtube/v3/videos") == 1 and len(youtube.videos) == 1


def test_session_gone_before_the_last_byte_starts_a_new_session(youtube, make_app, tmp_path):
    """No video can exist when the server never had every byte: a new session is safe."""
    app, item, path = _setup(make_app, tmp_path)
    child = Child(item.id)
    youtube.on_chunk = lambda held: child.kill()
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    youtube.on_chunk = None
    youtube.expire_sessions()
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and len(youtube.videos) == 1


@pytest.mark.parametrize("change", ["deleted", "changed"])
def test_media_gone_after_the_crash_queries_the_stored_session_first(youtube, make_app, tmp_path, change):
    app, item, path = _setup(make_app, tmp_path)
    _killed_when_created(youtube, item)
    if change == "deleted":
        path.unlink()
    else:
        path.write_bytes(b"re-rendered" * 1000)
    pub, _ = publish_item(app, item.id)
    assert pub.status == "published" and pub.remote_id == "vid1" and len(youtube.videos) == 1


def test_media_deleted_mid_upload_needs_a_person(youtube, make_app, tmp_path):
    app, item, path = _setup(make_app, tmp_path)
    child = Child(item.id)
    youtube.on_chunk = lambda held: child.kill()
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    youtube.on_chunk = None
    path.unlink()
    with pytest.raises(NeedsAttention, match="missing"):
        publish_item(app, item.id)
    assert len(youtube.videos) == 0 and youtube.server.count("POST", "/upload/youtube/v3/videos") == 1
