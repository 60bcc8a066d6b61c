"""The ``tiktok_api`` publisher: TikTok's Content Posting API with FILE_UPLOAD, exactly once.

The flow: the creator-info query (the privacy levels the account allows, its longest video, whether
comments/duets/stitches are off), then ``video/init`` (direct post) or ``inbox/video/init`` (the
video lands in the creator's TikTok inbox and they finish the post in the app), the chunks ``PUT`` to
the ``upload_url``, then ``status/fetch`` by ``publish_id`` until PUBLISH_COMPLETE, SEND_TO_USER_INBOX
or FAILED.

Exactly once: TikTok has no idempotency key and no lookup of a post that was initialised but not
published, so
- ``init_sent`` is committed (with ``publishing``) before the init request, and the ``publish_id`` right
  after its answer, before the first byte of video;
- a rerun with a ``publish_id`` never inits again: it asks TikTok for the status and ``uploaded_bytes``,
  sends only the chunks TikTok has not confirmed, and polls;
- an init whose answer never came (cut connection, timeout, 5xx) leaves nothing to look up: the item
  becomes ``needs_attention`` and only a person releases it (``publish ID --retry-unknown``). A post
  initialised without its video never appears on TikTok, so after looking in the app that is safe.

TikTok's rules, stated to the user too: an unaudited app posts only as SELF_ONLY (private), for at most
5 users a day; each login may make 6 post requests a minute (counted here, deferred before exceeding).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moneyprinter import errors
from moneyprinter.check_result import CheckResult
from moneyprinter.http_client import RequestNotSent
from moneyprinter.publishers import tiktok_oauth
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.publishers.destinations import text_problems, texts_for
from moneyprinter.publishers.tiktok_client import INIT, SERVICE, Deferred, TikTokClient
from moneyprinter.publishers.tiktok_upload import ChunkPlan, mime_type, plan_chunks, read_chunk, video_seconds
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.states import PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

MODES = ("direct", "inbox")
PRIVACY_LEVELS = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")
UNAUDITED_RULE = ("an unaudited TikTok app posts only as SELF_ONLY and for at most 5 users a day; "
                  "each login may make 6 requests a minute to post")
INBOX_DONE = "sent to the TikTok inbox: the creator completes the post in the app"
FAIL_REASONS = {
    "file_format_check_failed": "TikTok could not read the file format",
    "duration_check_failed": "the video is too long or too short for TikTok",
    "frame_rate_check_failed": "TikTok does not take the video's frame rate",
    "picture_size_check_failed": "TikTok does not take the video's picture size",
    "internal": "TikTok had an internal error",
    "video_pull_failed": "TikTok could not fetch the video",
    "publish_cancelled": "the post was cancelled",
    "auth_removed": "the creator removed the app's access",
    "spam_risk_too_many_posts": "the account reached TikTok's daily cap of posts",
    "spam_risk_user_banned_from_posting": "TikTok banned the account from posting",
    "spam_risk_text": "TikTok took the caption for spam",
    "spam_risk": "TikTok took the post for spam",
}


def caption(item: ContentItem) -> str:
    """The caption TikTok gets: the one review shows and measures (``destinations.texts_for``)."""
    return texts_for("tiktok", item)[0]


def post_mode(account: Account) -> str:
    return str(account.options.get("post_mode") or "direct")


def privacy_level(app: App, account: Account) -> str:
    return str(account.options.get("privacy_level") or app.settings.publishing.tiktok_privacy_level)


class TikTokAPIPublisher(Publisher):
    id = "tiktok_api"
    platforms = ("tiktok",)
    measures_text = True

    def preflight(self, app: App, account: Account, item: ContentItem) -> list[str]:
        """What TikTok would refuse, each naming the destination; no request is made."""
        where = f"tiktok '{account.nickname}'"
        if item.kind != "short":
            return [f"{where}: TikTok takes videos only; a {item.kind} cannot go there"]
        problems = []
        mode = post_mode(account)
        if mode not in MODES:
            problems.append(f"{where}: post_mode must be direct or inbox (it is '{mode}')")
        level = privacy_level(app, account)
        if level not in PRIVACY_LEVELS:
            problems.append(f"{where}: privacy_level must be one of {', '.join(PRIVACY_LEVELS)} (it is '{level}')")
        if mode == "direct":  # the inbox upload carries no caption
            problems += text_problems(app, account, item)
        return problems

    def publish(self, ctx: PublishContext) -> Outcome:
        problems = self.preflight(ctx.app, ctx.account, ctx.item)
        if problems:
            raise errors.UsageError("; ".join(problems), hint=_fix_for(ctx))
        client = TikTokClient(ctx.app, ctx.account)
        if ctx.pub.state.get("publish_id"):
            return self._resume(ctx, client)
        if ctx.pub.state.get("init_sent"):
            if not ctx.retry_unknown:
                raise self._lost_init(ctx, "an earlier run sent it and never recorded the answer")
            ctx.merge_state(init_sent=False)  # a person looked in the app: nothing arrived
        return self._start(ctx, client)

    # --- the first run ------------------------------------------------------------------------------

    def _start(self, ctx: PublishContext, client: TikTokClient) -> Outcome:
        path = Path(ctx.item.media_path or "")
        if not ctx.item.media_path or not path.is_file() or path.stat().st_size == 0:
            raise errors.PublishError(f"item {ctx.item.id} has no video file, or it is empty "
                                      f"({ctx.item.media_path or 'none'})", hint="render the Short again")
        mode = post_mode(ctx.account)
        body: dict[str, Any] = {}
        facts: dict[str, Any] = {"mode": mode}
        if mode == "direct":
            creator = client.creator_info()
            body["post_info"] = self._post_info(ctx, creator, path)
            facts.update(creator_username=creator.get("creator_username"),
                         privacy_level=body["post_info"]["privacy_level"],
                         unaudited=creator.get("privacy_level_options") == ["SELF_ONLY"])
        plan = plan_chunks(path.stat().st_size, ctx.settings.tiktok_chunk_bytes)
        body["source_info"] = plan.as_source_info()
        client.take("init")  # a full window defers here, before anything is armed
        # One commit before the init: a crash from here on leaves a trace, and the init is never sent blindly again.
        ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(),
                 state={**ctx.pub.state, **facts, "init_sent": True, "path": str(path),
                        "plan": [plan.video_size, plan.chunk_size, plan.count]})
        try:
            response = client.call(INIT[mode], body=body, creating=True)
        except RequestNotSent:  # nothing left this machine
            ctx.merge_state(init_sent=False)
            raise
        except errors.ServiceUnavailable as exc:  # sent, no answer: TikTok may hold an init
            raise self._lost_init(ctx, exc.reason) from None
        if response.status_code >= 500:
            raise self._lost_init(ctx, f"HTTP {response.status_code}")
        try:
            data = client.data(response)
        except errors.MoneyPrinterError:
            ctx.merge_state(init_sent=False)  # a 4xx: TikTok created nothing
            raise
        ctx.merge_state(publish_id=data["publish_id"], upload_url=data["upload_url"], init_sent=False, confirmed=0)
        ctx.add_request_id(data["publish_id"])
        return self._finish_upload(ctx, client, 0)

    def _post_info(self, ctx: PublishContext, creator: dict[str, Any], path: Path) -> dict[str, Any]:
        """The post's settings, checked against what the creator-info query says the account allows."""
        allowed = list(creator.get("privacy_level_options") or [])
        level = privacy_level(ctx.app, ctx.account)
        where = f"tiktok '{ctx.account.nickname}'"
        if level not in allowed:
            why = " (the app is unaudited: TikTok lets it post only SELF_ONLY)" if allowed == ["SELF_ONLY"] else ""
            raise errors.PublishError(
                f"{where}: privacy_level {level} is not allowed; this account allows only: {', '.join(allowed)}{why}",
                hint=f"moneyprinter tiktok settings --account {ctx.account.nickname} --privacy-level {allowed[0]}"
                if allowed else "check the account in the TikTok app")
        longest = int(creator.get("max_video_post_duration_sec") or 0)
        seconds = float(ctx.item.metadata.duration or 0) or video_seconds(path)
        if longest and seconds > longest:
            raise errors.PublishError(f"{where}: the video is {seconds:.1f} s long; this TikTok account may post "
                                      f"at most {longest} s", hint="make a shorter Short")
        options = ctx.account.options
        return {
            "title": caption(ctx.item),
            "privacy_level": level,
            # What the creator turned off in TikTok stays off; the account's options may turn more off.
            "disable_comment": bool(creator.get("comment_disabled") or options.get("disable_comment", False)),
            "disable_duet": bool(creator.get("duet_disabled") or options.get("disable_duet", False)),
            "disable_stitch": bool(creator.get("stitch_disabled") or options.get("disable_stitch", False)),
        }

    def _lost_init(self, ctx: PublishContext, why: str) -> NeedsAttention:
        return NeedsAttention(
            f"TikTok: the post request (init) was sent and no answer came ({why}); TikTok has no lookup of "
            "posts that were started but not published, so it is not sent again",
            hint=(f"open the TikTok app (profile and inbox): a post whose video never arrived does not appear. "
                  f"Nothing there: moneyprinter publish {ctx.item.id} --retry-unknown; it is there: "
                  f"moneyprinter outbox mark-published {ctx.item.id} URL"))

    # --- resuming -----------------------------------------------------------------------------------

    def _resume(self, ctx: PublishContext, client: TikTokClient) -> Outcome:
        """A publish id is stored: TikTok says how far it got; never a second init."""
        status = client.status(ctx.pub.state["publish_id"])
        done = self._finished(ctx, status)
        if done:
            return done
        return self._finish_upload(ctx, client, int(status.get("uploaded_bytes") or 0))

    def _finish_upload(self, ctx: PublishContext, client: TikTokClient, uploaded: int) -> Outcome:
        plan = ChunkPlan(*ctx.pub.state["plan"])
        if uploaded < plan.video_size:
            self._upload(ctx, plan, uploaded)
        return self._poll(ctx, client)

    def _upload(self, ctx: PublishContext, plan: ChunkPlan, uploaded: int) -> None:
        """PUT the chunks from the one holding byte ``uploaded`` on (TikTok confirmed those before it)."""
        state = ctx.pub.state
        path = Path(state["path"])
        if not path.is_file() or path.stat().st_size != plan.video_size:
            self._abandon(ctx, "the video file is gone or changed since the upload started")
        for first, last in plan.ranges()[uploaded // plan.chunk_size:]:
            response = ctx.app.http.put(
                state["upload_url"], data=read_chunk(path, first, last), service=SERVICE, raise_for_status=False,
                headers={"Content-Type": mime_type(path), "Content-Range": f"bytes {first}-{last}/{plan.video_size}"},
                timeout=(5.0, 120.0))
            if response.status_code in (429,) or response.status_code >= 500:
                raise Deferred(SERVICE, f"the upload stopped at byte {first} (HTTP {response.status_code})",
                               retry_after=60.0, hint="it resumes there; the post is not started again")
            if response.status_code not in (200, 201, 206):
                self._abandon(ctx, f"TikTok refused a chunk ({_said(response)})")
            ctx.merge_state(confirmed=last + 1)

    def _abandon(self, ctx: PublishContext, why: str) -> None:
        """The upload cannot finish, so TikTok will never publish this init: forget it; a later run starts anew."""
        state = ctx.pub.state
        ctx.merge_state(publish_id=None, upload_url=None,
                        abandoned=[*(state.get("abandoned") or []), state.get("publish_id")])
        raise errors.PublishError(f"TikTok: {why}; that upload can no longer finish, so nothing was posted",
                                  hint=f"moneyprinter publish {ctx.item.id} starts a new upload")

    def _poll(self, ctx: PublishContext, client: TikTokClient) -> Outcome:
        settings = ctx.settings
        deadline = time.monotonic() + settings.tiktok_poll_timeout_s
        while True:
            status = client.status(ctx.pub.state["publish_id"])
            done = self._finished(ctx, status)
            if done:
                return done
            if time.monotonic() + settings.tiktok_poll_interval_s > deadline:
                raise Deferred(SERVICE, f"TikTok is still processing the post ({status.get('status')})",
                               retry_after=60.0, hint="its status is checked again then; nothing is sent again")
            time.sleep(settings.tiktok_poll_interval_s)

    def _finished(self, ctx: PublishContext, status: dict[str, Any]) -> Outcome | None:
        state, publish_id = ctx.pub.state, ctx.pub.state["publish_id"]
        name = status.get("status")
        if name == "SEND_TO_USER_INBOX" or (name == "PUBLISH_COMPLETE" and state.get("mode") == "inbox"):
            return Outcome("published", publish_id, None, "TikTok inbox", INBOX_DONE)
        if name == "PUBLISH_COMPLETE":
            return self._published(ctx, publish_id, status.get("publicaly_available_post_id") or [])
        if name == "FAILED":
            reason = str(status.get("fail_reason") or "unknown")
            ctx.merge_state(publish_id=None, upload_url=None, failed=[*(state.get("failed") or []), publish_id])
            raise errors.PublishError(f"TikTok did not publish it: {FAIL_REASONS.get(reason, reason)} ({reason})",
                                      hint="fix the video, then moneyprinter publish "
                                           f"{ctx.item.id} starts a new post")
        return None

    def _published(self, ctx: PublishContext, publish_id: str, public_ids: list) -> Outcome:
        state = ctx.pub.state
        username = state.get("creator_username")
        if public_ids and username:
            url = f"https://www.tiktok.com/@{username}/video/{public_ids[0]}"
            return Outcome("published", str(public_ids[0]), url, message=f"posted on TikTok: {url}")
        level = state.get("privacy_level") or "SELF_ONLY"
        message = f"posted on TikTok as {level} (TikTok gives no public link for it; see it in the app's profile)"
        if state.get("unaudited"):
            message += f"; {UNAUDITED_RULE}"
        return Outcome("published", publish_id, None, "TikTok profile", message)

    # --- health -------------------------------------------------------------------------------------

    def health_check(self, app: App, account: Account) -> CheckResult:
        try:
            return self._health(app, account)
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}", exc.hint or tiktok_oauth.login_hint(account))
        except errors.ConfigError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.message}", exc.hint or "")
        except errors.ServiceError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.reason}",
                                    exc.hint or "check the network or publishing.tiktok_api_base_url")

    def _health(self, app: App, account: Account) -> CheckResult:
        scopes = tiktok_oauth.granted_scopes(account)
        client = TikTokClient(app, account)
        if "video.publish" in scopes:
            info = client.creator_info()
            allowed = info.get("privacy_level_options") or []
            audit = "unaudited: SELF_ONLY only" if allowed == ["SELF_ONLY"] else "privacy levels " + ", ".join(allowed)
            return CheckResult.ok(f"{account.nickname}: token accepted (@{info.get('creator_username')}; {audit})")
        if "video.upload" in scopes:
            name = client.user_info().get("display_name")
            if post_mode(account) != "inbox":
                return CheckResult.fail(f"{account.nickname}: the login may only upload to the inbox (video.upload)",
                                        "set --post-mode inbox with moneyprinter tiktok settings, or log in again "
                                        "allowing video.publish")
            return CheckResult.ok(f"{account.nickname}: token accepted ({name}; inbox uploads, video.upload)")
        return CheckResult.fail(f"{account.nickname}: the login allows neither video.publish nor video.upload",
                                tiktok_oauth.login_hint(account))


def _fix_for(ctx: PublishContext) -> str:
    nick = ctx.account.nickname
    if ctx.item.kind != "short":
        return "only Shorts (videos) are cross-posted to TikTok"
    if post_mode(ctx.account) not in MODES or privacy_level(ctx.app, ctx.account) not in PRIVACY_LEVELS:
        return f"moneyprinter tiktok settings --account {nick} --post-mode direct --privacy-level SELF_ONLY"
    return f"shorten the title or the tags: moneyprinter review edit {ctx.item.id} --title '...'"


def _said(response) -> str:
    try:
        error = response.json().get("error") or {}
        return f"{error.get('code')}: {error.get('message')}"[:200]
    except (ValueError, AttributeError):
        return f"HTTP {response.status_code}"
