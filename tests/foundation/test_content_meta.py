"""Typed content metadata: one dataclass per kind, serialised in one place, unknown keys kept."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from moneyprinter.store import content, content_meta
from moneyprinter.store.accounts import add_account
from moneyprinter.store.content_meta import ContentMeta, PitchMeta, PostMeta, ShortMeta


@pytest.fixture
def account(db):
    return add_account(db, "youtube", "chan")


def _stored(db, item_id) -> dict:
    return json.loads(db.query_one("SELECT metadata FROM content_items WHERE id = ?", (item_id,))[0])


@pytest.mark.parametrize("kind, cls", [("short", ShortMeta), ("post", PostMeta), ("thread", PostMeta),
                                       ("pitch", PitchMeta), ("newsletter", ContentMeta)])
def test_each_kind_reads_as_its_dataclass(db, account, kind, cls):
    item = content.create_item(db, account.id, kind, metadata={"description": "d"})
    assert type(item.metadata) is cls and item.metadata.description == "d"


def test_unknown_keys_from_an_existing_database_are_kept(db, account):
    """A row written by another version (or by hand) reads without error and keeps every key on the next write."""
    item = content.create_item(db, account.id, "short")
    db.conn.execute("UPDATE content_items SET metadata = ? WHERE id = ?", (json.dumps(
        {"aspect": "1:1", "topic": "owls", "clip_credits": {"title": "Calm", "licence": "CC0"}, "duration": 31.5}),
        item.id))
    meta = content.get_item(db, item.id).metadata
    assert isinstance(meta, ShortMeta) and meta.aspect == "1:1" and meta.duration == 31.5
    assert meta.extra == {"clip_credits": {"title": "Calm", "licence": "CC0"}}
    content.update_item(db, item.id, metadata=replace(meta, topic="barn owls"))
    assert _stored(db, item.id) == {"aspect": "1:1", "topic": "barn owls", "duration": 31.5,
                                    "clip_credits": {"title": "Calm", "licence": "CC0"}}


def test_defaults_are_left_out_and_read_back(db, account):
    item = content.create_item(db, account.id, "short", metadata=ShortMeta(topic_given=None, tags=["a"]))
    assert _stored(db, item.id) == {"tags": ["a"]}
    meta = content.get_item(db, item.id).metadata
    assert meta.aspect == "9:16" and meta.topic_given is None and meta.warnings == [] and meta.stage_seconds == {}


def test_code_that_still_builds_dicts_keeps_working(db, account):
    """Dict reads and writes (older code, tests, templates) go through the same parser."""
    item = content.create_item(db, account.id, "post", metadata={"posts": ["hi"], "source": "given"})
    meta = item.metadata
    assert meta["posts"] == ["hi"] and meta.get("location") is None and meta == {"posts": ["hi"], "source": "given"}
    updated = content.update_item(db, item.id, metadata={**meta, "location": "/out/1", "clip_credit": "Pexels"})
    assert updated.metadata.location == "/out/1" and updated.metadata.posts == ["hi"]
    assert updated.metadata.extra == {"clip_credit": "Pexels"}
    assert dict(updated.metadata) == {"posts": ["hi"], "source": "given", "location": "/out/1", "clip_credit": "Pexels"}


def test_a_key_named_extra_is_data_like_any_other():
    meta = content_meta.parse("post", {"extra": 1, "posts": ["x"]})
    assert meta.extra == {"extra": 1} and content_meta.parse("post", meta.to_dict()) == {"extra": 1, "posts": ["x"]}


def test_changing_an_items_kind_of_metadata_keeps_its_keys():
    short = ShortMeta(topic="owls", description="d")
    as_post = content_meta.parse("post", short)
    assert isinstance(as_post, PostMeta) and as_post.description == "d" and as_post.extra == {"topic": "owls"}


def test_fields_other_capabilities_write_as_dict_keys_read_as_attributes(db, account):
    item = content.create_item(db, account.id, "short", metadata={"aspect": "9:16", "topic_given": None})
    stored = content.update_item(db, item.id, metadata={**item.metadata, "music_track": "calm/river.ogg",
                                                        "captions": "boxed", "review_reasons": ["local model"]})
    meta = stored.metadata
    assert (meta.music_track, meta.captions, meta.review_reasons) == ("calm/river.ogg", "boxed", ["local model"])
    assert meta.extra == {} and meta.get("music_track") == "calm/river.ogg"
