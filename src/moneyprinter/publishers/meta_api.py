"""The ``instagram_api`` (Reels) and ``threads_api`` publishers: Meta's container flow, exactly once.

Both networks publish in two steps, and only the second is public:
1. a container (``POST /{user}/media`` or ``/threads``) that Meta fills by fetching the video from a
   public HTTPS address; its id is stored the moment the answer arrives. A container is never public
   by itself and expires unpublished after 24 hours, so a lost answer here is harmless: the next run
   makes a new one;
2. once the container is FINISHED, the publish call with ``creation_id``, armed (``publish_sent``)
   before it is sent and never retried. If its answer is lost, the account's recent posts are
   searched for the text and the container's status is read: PUBLISHED or found means published;
   EXPIRED proves it was not; anything else stops at ``needs_attention`` for a person (``publish ID
   --retry-unknown`` after they checked the profile).

A thread goes to Threads as a reply chain: each part is a TEXT container with ``reply_to_id`` set to the
part before's media id, then published, with the steps above per part (``PublishContext.post_chain``, as
X's threads: each part's media id is committed as it comes, so a rerun continues at the first part not
posted). The current part's bookkeeping carries its index (``part``) and starts fresh for the next part.

Videos: Meta downloads them itself. They are offered at ``[publishing] public_media_base_url`` plus
the file's path under the data directory; without that address a video is refused before any request.
Nothing is uploaded anywhere by moneyprinter.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from moneyprinter import errors, paths
from moneyprinter.check_result import CheckResult
from moneyprinter.http_client import RequestNotSent
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.publishers.destinations import TAKES, text_problems, texts_for
from moneyprinter.publishers.meta_graph import (
    INSTAGRAM,
    THREADS,
    GraphClient,
    Network,
    check_quota,
    login_hint,
)
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.states import PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

DEFER_PROCESSING_S = 60.0
# One post's bookkeeping, started afresh for each part of a thread (the part before is in ``part_ids``).
_FRESH_PART = {"container_id": None, "media_id": None, "publish_sent": False, "sent_text": None, "reply_to": None,
               "video_url": None, "container_requested_at": None}


class _GraphPublisher(Publisher):
    net: Network
    measures_text = True

    # --- what the network would refuse ----------------------------------------------------------

    def preflight(self, app: App, account: Account, item: ContentItem) -> list[str]:
        found = [f"{self.net.id} '{account.nickname}': {problem}" for problem in self.problems(app, item)]
        if item.kind not in TAKES[self.net.id]:
            return found
        return found + text_problems(app, account, item)  # the length rule review uses, on the same text

    def problems(self, app: App, item: ContentItem) -> list[str]:  # pragma: no cover - per network
        raise NotImplementedError

    def texts(self, item: ContentItem) -> list[str]:
        """What goes out, one text per post (a thread's parts on Threads): the texts review shows and
        measures (``destinations.texts_for``)."""
        return texts_for(self.net.id, item)

    def container_params(self, app: App, item: ContentItem, text: str) -> dict[str, str]:  # pragma: no cover
        raise NotImplementedError

    # --- publishing ---------------------------------------------------------------------------

    def publish(self, ctx: PublishContext) -> Outcome:
        problems = self.preflight(ctx.app, ctx.account, ctx.item)
        if problems:
            raise errors.UsageError("; ".join(problems), hint="nothing was sent; fix this, then publish again")
        client = GraphClient(ctx.app, self.net, ctx.account)
        texts = self.texts(ctx.item)
        posted = ctx.post_chain(len(texts), lambda index, reply_to: self._post_one(
            ctx, client, index, texts[index], reply_to), key="part_ids")
        return self._published(ctx, client, posted[0], len(posted))

    def _post_one(self, ctx: PublishContext, client: GraphClient, index: int, text: str, reply_to: str | None) -> str:
        """One post (the only one, or part ``index`` of a thread, a reply to ``reply_to``), exactly once."""
        if int(ctx.pub.state.get("part") or 0) != index:  # the part before is recorded: this one starts afresh
            ctx.merge_state(part=index, **_FRESH_PART)
        media_id = ctx.pub.state.get("media_id")
        if not media_id and ctx.pub.state.get("publish_sent"):
            media_id = self._reconcile(ctx, client, "an earlier run sent the publish call and never saw the answer",
                                       released=ctx.retry_unknown)
        if not media_id:
            container = self._ready_container(ctx, client, text, reply_to)
            media_id = (self._publish_container(ctx, client, container) if container else
                        self._reconcile(ctx, client, "its container was already PUBLISHED", released=False))
        return media_id

    def _ready_container(self, ctx: PublishContext, client: GraphClient, text: str, reply_to: str | None) -> str | None:
        """The id of a FINISHED container (the stored one, or a new one); None if it is already PUBLISHED."""
        container = ctx.pub.state.get("container_id")
        for _ in range(2):  # a stored container may have expired unpublished: then one new one
            if not container:
                check_quota(client)
                container = self._create(ctx, client, text, reply_to)
            status, detail = self._wait(ctx, client, container)
            if status == "FINISHED":
                return container
            if status == "PUBLISHED":  # a run published it and its answer was lost: look it up, never send
                ctx.merge_state(publish_sent=True)
                return None
            ctx.merge_state(container_id=None)
            if status != "EXPIRED":
                raise errors.PublishError(
                    f"{self.net.name} could not process the video (container {status}: {detail or 'no reason given'})",
                    hint=self._error_hint(ctx, detail))
            container = None
        raise errors.PublishError(f"{self.net.name}: a new container expired at once")  # pragma: no cover

    def _error_hint(self, ctx: PublishContext, detail: str) -> str:
        if "DOWNLOAD" in detail.upper():
            return (f"Meta could not download {ctx.pub.state.get('video_url') or 'the video'}: check that "
                    "public_media_base_url serves the data directory publicly; the next publish makes a new container")
        return f"check the video against {self.net.name}'s specifications; the next publish makes a new container"

    def _create(self, ctx: PublishContext, client: GraphClient, text: str, reply_to: str | None) -> str:
        params = self.container_params(ctx.app, ctx.item, text)
        if reply_to:
            params["reply_to_id"] = reply_to
        # Not yet 'publishing': nothing public can come of this call, so an interrupted or killed run
        # stays pending (or failed) and any later run, publish-due too, goes on by itself.
        ctx.merge_state(container_requested_at=utcnow(), sent_text=text, reply_to=reply_to,
                        video_url=params.get("video_url"))
        try:
            body = client.post(f"/{client.user_id}/{self.net.create_edge}", params,
                               timeout=ctx.settings.meta_publish_timeout_s)
        except RequestNotSent:  # nothing left this machine: no container exists
            raise
        except errors.ServiceUnavailable as exc:
            raise errors.ServiceUnavailable(
                self.net.service, f"no answer to the container request ({exc.reason}); a container made by it is "
                                  "never published and expires in 24 hours, so the next run makes a new one",
                status=exc.status) from None
        container = str(body["id"])
        ctx.merge_state(container_id=container, container_requested_at=None)  # first thing after the answer
        return container

    def _wait(self, ctx: PublishContext, client: GraphClient, container: str) -> tuple[str, str]:
        """Poll the container until it leaves IN_PROGRESS; past the deadline, defer (the container is kept)."""
        settings = ctx.settings
        deadline = time.monotonic() + settings.meta_container_wait_s
        while True:
            status, detail = client.container_status(container)
            if status != "IN_PROGRESS":
                return status, detail
            if time.monotonic() + settings.meta_poll_interval_s > deadline:
                raise errors.RateLimited(
                    self.net.service, f"{self.net.name} is still processing the video (container {container} "
                                      f"IN_PROGRESS after {settings.meta_container_wait_s:g} s)",
                    retry_after=DEFER_PROCESSING_S, hint="deferred; the next run checks the same container")
            time.sleep(settings.meta_poll_interval_s)

    def _publish_container(self, ctx: PublishContext, client: GraphClient, container: str) -> str:
        ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(),
                 state={**ctx.pub.state, "publish_sent": True})  # armed: from here a crash is reconciled
        try:
            body = client.post(f"/{client.user_id}/{self.net.publish_edge}", {"creation_id": container},
                               timeout=ctx.settings.meta_publish_timeout_s)
        except RequestNotSent:
            ctx.merge_state(publish_sent=False)
            raise
        except errors.ServiceUnavailable as exc:  # sent and no answer, or a 5xx: it may be public
            return self._reconcile(ctx, client, f"the publish call's outcome is unknown ({exc.reason})", released=False)
        except errors.MoneyPrinterError:  # a 4xx or a limit: Meta published nothing
            ctx.merge_state(publish_sent=False)
            raise
        media_id = str(body["id"])
        ctx.merge_state(media_id=media_id, publish_sent=False)
        return media_id

    # --- an unknown outcome ---------------------------------------------------------------------

    def _reconcile(self, ctx: PublishContext, client: GraphClient, why: str, *, released: bool) -> str | None:
        """The media id if the post is public; None if it is proven (or a person says) it is not."""
        looked = "the account's recent posts could not be read"
        try:
            found = self._find(ctx, client)
            looked = "the post is not among the account's recent posts"
        except errors.RateLimited:
            if not released:
                raise
            found = None
        except errors.ServiceError:
            found = None
        if found:
            ctx.merge_state(media_id=found, publish_sent=False)
            return found
        container = ctx.pub.state.get("container_id")
        try:
            status = client.container_status(container)[0] if container else "unknown"
        except errors.ServiceError:
            status = "unknown"
        if status == "PUBLISHED":  # public, whatever a person says: never sent again
            raise NeedsAttention(f"{self.net.name}: {why}; the container says PUBLISHED but the post is not in the "
                                 "account's recent posts yet", hint=self._check_hint(ctx, client, published=True))
        if status == "EXPIRED" or released:  # expired unpublished, or a person looked
            ctx.merge_state(publish_sent=False, container_id=container if status != "EXPIRED" else None)
            ctx.retry_unknown = False
            return None
        raise NeedsAttention(
            f"{self.net.name}: {why}; {looked} and the container is {status}, not PUBLISHED, so it was most likely "
            "not published; it is not sent again without a person", hint=self._check_hint(ctx, client))

    def _find(self, ctx: PublishContext, client: GraphClient) -> str | None:
        """The armed post among the account's recent posts (a reply: among its replies, under the same post)."""
        state = ctx.pub.state
        wanted = _comparable(state.get("sent_text") or self.texts(ctx.item)[int(state.get("part") or 0)])
        reply_to = state.get("reply_to")
        since = datetime.fromisoformat(ctx.pub.publishing_at) - timedelta(minutes=5) if ctx.pub.publishing_at else None
        for media in client.recent_replies() if reply_to else client.recent():
            when = _graph_time(media.get("timestamp"))
            if since and when and when < since:
                continue
            parent = str((media.get("replied_to") or {}).get("id") or "") or None
            if _comparable(media.get(self.net.text_field) or "") == wanted and parent == reply_to:
                return str(media["id"])
        return None

    def _check_hint(self, ctx: PublishContext, client: GraphClient, *, published: bool = False) -> str:
        where = profile_url(self.net, client.token.get("username"))
        if published:
            return f"it is on {self.net.name}: find it at {where}, then moneyprinter outbox mark-published {ctx.item.id} URL"
        return (f"look at {where}; if the post is there: moneyprinter outbox mark-published {ctx.item.id} URL; if it "
                f"is not: moneyprinter publish {ctx.item.id} --retry-unknown")

    def _published(self, ctx: PublishContext, client: GraphClient, media_id: str, parts: int = 1) -> Outcome:
        try:
            url = client.permalink(media_id)
        except errors.MoneyPrinterError:  # published either way; the profile is the next best address
            url = None
        url = url or profile_url(self.net, client.token.get("username"))
        what = f"a thread of {parts} posts" if parts > 1 else "published"
        return Outcome("published", media_id, url, message=f"{what} on {self.net.name}: {url}")

    # --- health ----------------------------------------------------------------------------------

    def health_check(self, app: App, account: Account) -> CheckResult:
        name = account.nickname
        try:
            client = GraphClient(app, self.net, account)
            me = client.me()
            used, total = client.publishing_limit()
        except errors.Unauthorized as exc:
            return CheckResult.fail(f"{name}: {exc.reason}", exc.hint or login_hint(self.net, account))
        except errors.MoneyPrinterError as exc:
            return CheckResult.fail(f"{name}: {exc}", f"check the network or publishing.{self.net.base_setting}")
        who = f"@{me.get('username') or client.token.get('username')}"
        granted = client.token.get("permissions")
        if granted is not None and self.net.publish_scope not in str(granted):
            return CheckResult.warn(f"{name}: {who} is logged in, but the login lacks {self.net.publish_scope}",
                                    f"{login_hint(self.net, account)} and allow publishing")
        if total and used >= total:
            return CheckResult.warn(f"{name}: {who}; {used} of {total} API posts used in the last 24 h (Meta's limit)",
                                    "new posts wait until the rolling 24-hour window frees a slot")
        until = client.token.get("expires_at")
        valid = f", login valid until {until[:10]}" if until else ""
        return CheckResult.ok(f"{name}: {who}, {used} of {total} API posts used in the last 24 h{valid}")


class InstagramAPIPublisher(_GraphPublisher):
    """Reels through the Instagram API with Instagram Login (a professional account)."""

    id = "instagram_api"
    platforms = ("instagram",)
    net = INSTAGRAM

    def problems(self, app: App, item: ContentItem) -> list[str]:
        if item.kind != "short":
            return [f"Instagram takes videos only (a Reel); a {item.kind} cannot go there"]
        return video_problems(app, item, self.net)

    def container_params(self, app: App, item: ContentItem, text: str) -> dict[str, str]:
        return {"media_type": "REELS", "video_url": video_url(app, item), "caption": text}


class ThreadsAPIPublisher(_GraphPublisher):
    """Text posts, and Shorts as video posts, through the Threads API."""

    id = "threads_api"
    platforms = ("threads",)
    net = THREADS

    def problems(self, app: App, item: ContentItem) -> list[str]:
        return video_problems(app, item, self.net) if item.kind == "short" else []

    def container_params(self, app: App, item: ContentItem, text: str) -> dict[str, str]:
        if item.kind == "short":
            return {"media_type": "VIDEO", "video_url": video_url(app, item), "text": text}
        return {"media_type": "TEXT", "text": text}  # a post, or one part of a thread


# --- text and media rules ---------------------------------------------------------------------------


def video_problems(app: App, item: ContentItem, net: Network) -> list[str]:
    """Why Meta could not fetch this item's video; empty when it can."""
    base = app.settings.publishing.public_media_base_url.strip()
    path = Path(item.media_path) if item.media_path else None
    if path is None or not path.is_file():
        return [f"the video file is missing ({item.media_path or 'none recorded'})"]
    if not base:
        return [(f"{net.name} fetches the video from a public HTTPS address and none is configured: set [publishing] "
                "public_media_base_url to where your data directory is served (a web server, a bucket, or the web "
                "app's media route behind a reverse proxy); see docs/publishing.md")]
    if not base.startswith("https://"):
        return [f"public_media_base_url must start with https:// ({net.name} fetches only public HTTPS addresses)"]
    if _relative(path) is None:
        return [f"the video is outside the data directory ({path}), so public_media_base_url does not reach it"]
    return []


def video_url(app: App, item: ContentItem) -> str:
    """The public address of the item's video: the base URL plus its path under the data directory."""
    base = app.settings.publishing.public_media_base_url.strip().rstrip("/")
    return f"{base}/{quote(_relative(Path(item.media_path)).as_posix())}"


def _relative(path: Path) -> Path | None:
    try:
        return path.resolve().relative_to(paths.data_dir().resolve())
    except ValueError:
        return None


def profile_url(net: Network, username: str | None) -> str:
    if net is INSTAGRAM:
        return f"https://www.instagram.com/{username}/" if username else "the Instagram profile"
    return f"https://www.threads.net/@{username}" if username else "the Threads profile"


def _comparable(text: str) -> str:
    return " ".join(text.split())


def _graph_time(value: str | None) -> datetime | None:
    """Graph timestamps look like 2026-11-30T18:00:00+0000."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
