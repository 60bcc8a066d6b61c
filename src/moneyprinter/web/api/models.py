"""The API's typed request and response bodies (they make the schemas in /docs).

Responses are built from the domain's records by the ``*_out`` functions here, which leave out what
is no one's business over HTTP: upload session URLs, publisher state, lock names and process ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from moneyprinter.media.draft import ASPECTS
from moneyprinter.settings.render import CAPTION_PRESETS

Aspect = Literal[tuple(ASPECTS)]  # type: ignore[valid-type]
Preset = Literal[tuple(CAPTION_PRESETS)]  # type: ignore[valid-type]


def _options_help() -> str:
    from moneyprinter.platforms.account_settings import SETTINGS

    keys = "; ".join(f"{p}: {', '.join(s.key for s in items)}" for p, items in SETTINGS.items() if items)
    return f"The network's own options by key ({keys})."


_OPTIONS_HELP = _options_help()


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


# --- accounts ---------------------------------------------------------------------------------


OptionValue = str | int | bool | None


class AccountOut(BaseModel):
    id: int
    platform: str
    nickname: str
    topic: str
    language: str
    publisher: str
    approval: str
    options: dict[str, Any]
    created_at: str
    updated_at: str
    cross_post: list[str] | None = Field(None, description="PLATFORM:NICKNAME of each destination (accounts endpoints)")
    login: str | None = Field(None, description="not needed, logged in, not logged in or browser profile")
    login_command: str | None = Field(None, description="The terminal command that logs the account in")


class AccountIn(In):
    platform: str = Field(description="youtube, x, tiktok, bluesky, mastodon, instagram or threads")
    nickname: str
    topic: str = ""
    language: str = "en"
    publisher: str = "outbox"
    approval: Literal["auto", "manual"] = "auto"
    options: dict[str, OptionValue] = Field(default_factory=dict, description=_OPTIONS_HELP)


class AccountEdit(In):
    nickname: str | None = None
    topic: str | None = None
    language: str | None = None
    publisher: str | None = None
    approval: Literal["auto", "manual"] | None = None
    captions: Preset | None = Field(None, description="Caption style of the account's Shorts")
    options: dict[str, OptionValue] | None = Field(None, description=_OPTIONS_HELP + " null or \"\": back to the default.")
    cross_post: list[str] | None = Field(None, description="PLATFORM:NICKNAME of each account that also gets every "
                                                           "new Short or post (replaces the list; [] clears it)")


def account_out(account, *, crossed=None, login: str | None = None, login_command: str | None = None) -> dict:
    """The account without any option a credential could hide in (options hold ids and addresses, never secrets)."""
    from moneyprinter.publishers.credentials import SECRET_KEYS

    out = {k: getattr(account, k) for k in AccountOut.model_fields if hasattr(account, k)}
    out["options"] = {k: v for k, v in account.options.items() if k not in SECRET_KEYS}
    if crossed is not None:
        out["cross_post"] = [f"{d.platform}:{d.nickname}" for d in crossed]
    return {**out, "login": login, "login_command": login_command}


class AccountRef(BaseModel):
    id: int
    platform: str
    nickname: str


class GroupOut(BaseModel):
    id: int
    name: str
    members: list[AccountRef]
    cross_post: list[AccountRef] = Field(description="Where every member's new Short or post also goes")
    created_at: str
    updated_at: str


class GroupIn(In):
    name: str
    members: list[str] = Field([], description="PLATFORM:NICKNAME of each YouTube or X account in the group")
    cross_post: list[str] = Field([], description="PLATFORM:NICKNAME of each destination account")


class GroupEdit(In):
    name: str | None = Field(None, description="A new name")
    add_members: list[str] = []
    remove_members: list[str] = []
    cross_post: list[str] | None = Field(None, description="Replaces the destinations; [] clears them")


# --- content items --------------------------------------------------------------------------


class ItemOut(BaseModel):
    id: int
    account_id: int
    kind: str
    status: str
    title: str
    body: str
    texts: list[str] = Field(description="What will be published, one entry per post of a thread")
    metadata: dict[str, Any]
    media_path: str | None
    media_exists: bool
    stopped: bool = Field(False, description="A Short marked generating whose process is gone: resume it")
    error: str | None
    created_at: str
    updated_at: str


def item_out(item, *, stopped: bool = False) -> dict:
    from moneyprinter.publishers.review import texts_to_publish

    return {
        "id": item.id, "account_id": item.account_id, "kind": item.kind, "status": item.status, "title": item.title,
        "body": item.body, "texts": texts_to_publish(item), "metadata": item.metadata.to_dict(),
        "media_path": item.media_path, "media_exists": bool(item.media_path) and Path(item.media_path).exists(),
        "stopped": stopped, "error": item.error, "created_at": item.created_at, "updated_at": item.updated_at,
    }


# --- tasks ------------------------------------------------------------------------------------


class TaskOut(BaseModel):
    id: int
    kind: Literal["short", "batch"]
    status: Literal["queued", "running", "done", "failed", "interrupted"]
    stage: str = Field(description="The stage running or last ended: topic, script, ..., render, publish")
    progress: float = Field(ge=0, le=1)
    message: str
    item_id: int | None
    account_id: int | None
    params: dict[str, Any]
    error: str | None
    hint: str | None = Field(description="The way on after a failure or an interruption")
    created_at: str
    started_at: str | None
    finished_at: str | None
    links: dict[str, str]


def task_out(task) -> dict:
    links = {"self": f"/api/v1/tasks/{task.id}", "events": f"/api/v1/tasks/{task.id}/events"}
    if task.item_id is not None:
        links["item"] = f"/api/v1/shorts/{task.item_id}"
    return {**{k: getattr(task, k) for k in TaskOut.model_fields if k != "links"}, "links": links}


class ShortIn(In):
    account: str = Field(description="Nickname of the YouTube account")
    topic: str | None = Field(None, description="Default: the model picks one in the account's niche")
    aspect: Aspect | None = None
    preset: Preset | None = Field(None, description="Caption preset of this Short")
    script_only: bool = Field(False, description="Stop after topic, script and metadata, for a person to read")
    publish: bool = Field(True, description="Hand it to the account's publisher (or to review) when made")


class ResumeIn(In):
    preset: Preset | None = None
    publish: bool = True


class ScriptEdit(In):
    sentence: int | None = Field(None, ge=1, description="Which sentence 'text' replaces (1 is the first)")
    text: str | None = Field(None, description="The new sentence (with 'sentence'), or else the whole script")
    script: str | None = Field(None, description="The whole script (split into sentences)")
    title: str | None = None
    description: str | None = None
    tags: list[str] | None = Field(None, description="The tags, replacing the old ones")


class ScriptOut(BaseModel):
    item_id: int
    title: str | None
    description: str
    tags: list[str]
    sentences: list[str]
    reasons: list[str] = Field(description="The quality gate's problems with the script (empty: it passes)")


def script_out(item) -> dict:
    from moneyprinter.text.sentences import split_sentences

    return {"item_id": item.id, "title": item.title, "description": item.metadata.description,
            "tags": list(item.metadata.tags), "sentences": split_sentences(item.body or ""),
            "reasons": list(item.metadata.review_reasons or [])}


class BatchLine(In):
    account: str
    topic: str | None = None
    aspect: Aspect | None = None
    preset: Preset | None = None


class BatchIn(In):
    lines: list[BatchLine] = Field(min_length=1, max_length=200)
    publish: bool = True


class EventOut(BaseModel):
    seq: int
    stage: str
    message: str
    at: str


# --- posts, pitches, review -------------------------------------------------------------------


class PostIn(In):
    account: str = Field(description="Nickname of the X account")
    text: str | None = Field(None, description="Post exactly this text; default: the model writes one")
    thread: int | None = Field(None, ge=2, le=5, description="Write a thread of this many posts")
    again: bool = Field(False, description="Post the same text even if an earlier one is unfinished")


class PitchIn(In):
    account: str = Field(description="Nickname of the X account")
    link: str = Field(description="The affiliate link of the product page")


class PublishedOut(BaseModel):
    item: ItemOut
    status: str = Field(description="The publication's status: review, outbox, published, pending, ...")
    message: str


class ReviewOut(BaseModel):
    item: ItemOut
    account: AccountOut
    publisher: str
    destination: str


class EditIn(In):
    title: str | None = None
    text: str | None = Field(None, description="The post text (a thread: the part given by 'part') or the body")
    description: str | None = None
    part: int | None = Field(None, ge=1, description="Which post of a thread 'text' replaces (1 is the first)")


class RejectIn(In):
    reason: str = ""


class PublishIn(In):
    retry_unknown: bool = Field(False, description="Go on after checking that an unknown outcome did not publish")


class AttemptOut(BaseModel):
    id: int
    publisher: str
    outcome: str
    error: str | None
    started_at: str
    finished_at: str | None


class PublicationOut(BaseModel):
    id: int
    item_id: int
    destination: str
    account_id: int
    publisher: str
    status: str
    remote_url: str | None
    location: str | None
    error: str | None
    not_before: str | None
    stuck: bool
    created_at: str
    updated_at: str
    published_at: str | None
    attempts: list[AttemptOut]


PUBLIC_PUBLICATION = ("id", "item_id", "destination", "account_id", "publisher", "status", "remote_url", "location",
                      "error", "not_before", "created_at", "updated_at", "published_at")


# --- schedules and runs -----------------------------------------------------------------------


class ScheduleOut(BaseModel):
    id: int
    kind: str
    target: str
    trigger: str
    jitter_minutes: int
    enabled: bool
    next_run_at: str | None
    last_run_at: str | None
    last_outcome: str | None
    managed_by: str


class ScheduleIn(In):
    kind: str = Field(description="youtube.short, twitter.post, affiliate.pitch or outreach.campaign")
    target: str = Field(description="The account's nickname (the campaign's name for outreach.campaign)")
    preset: str | None = Field(None, description="once, twice or thrice")
    at: list[str] = Field(default_factory=list, description="Times of day, HH:MM")
    every: str | None = Field(None, description="An interval instead of times, e.g. 30m, 2h")
    days: str | None = Field(None, description="mon-fri, sat,sun, weekdays, daily (default)")
    tz: str | None = Field(None, description="IANA time zone of the times (default: [general] timezone)")
    jitter: int = Field(0, ge=0, le=1440)
    enabled: bool = True
    allow_duplicate: bool = False


class ScheduleEdit(In):
    enabled: bool | None = None
    managed_by: Literal["daemon", "cron"] | None = None


class FiresOut(BaseModel):
    schedule: int
    timezone: str
    jitter_minutes: int
    fires: list[dict[str, str]]


class RunOut(BaseModel):
    id: int
    schedule_id: int | None
    kind: str
    target: str
    source: str
    outcome: str
    planned_at: str | None
    started_at: str
    ended_at: str | None
    exit_code: int | None
    message: str
    output_tail: str


# --- outreach and health ------------------------------------------------------------------


class CampaignOut(BaseModel):
    name: str
    niche: str
    location: str
    status: str
    stop_reason: str | None
    auto_send: bool
    sender_name: str
    sender_email: str
    postal_address: str
    subject: str
    stats: dict[str, int] = Field(description="businesses, with_email, each send status (sending = awaiting review), "
                                  "bounced, unsubscribed, replied (contacts who answered in person) and auto_replied")


class ReplyOut(BaseModel):
    business: str
    address: str = Field(description="The address the campaign wrote to")
    sender: str = Field(description="Who answered (may be another mailbox)")
    kind: str = Field(description="reply (a person), auto_reply (out of office) or unsubscribe (asked to stop)")
    subject: str
    snippet: str = Field(description="The answer's own words, quoted history cut, at most 240 characters")
    received_at: str


class PreviewOut(BaseModel):
    business: str
    address: str
    found_on: str
    subject: str
    text: str
    html: str
    note: str = Field(description="Why it would be skipped ('suppressed', 'replied on ...', 'already sent'), else empty")


class HealthOut(BaseModel):
    ok: bool
    seconds: float
    counts: dict[str, int]
    checks: list[dict[str, Any]]
