"""The MCP server: tools and resources over the domain, built with the official SDK's ``MCPServer``.

Tools are plain functions run on the SDK's worker threads; each uses an ``App`` of its own thread
(a SQLite connection serves one thread). A ``MoneyPrinterError`` becomes a tool error carrying the
CLI's one line (message and fix), so the model reads what a person would. Nothing here approves on
its own: a post or Short of an account with manual approval waits until ``approve`` is called.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError

from moneyprinter import __version__, tasks
from moneyprinter.app import ThreadApps
from moneyprinter.errors import MoneyPrinterError, NotFound
from moneyprinter.publishers import review
from moneyprinter.redact import redact
from moneyprinter.store import content

if TYPE_CHECKING:
    from moneyprinter.app import App

Aspect = Literal["9:16", "16:9", "1:1"]
Preset = Literal["karaoke", "classic", "boxed"]
RECENT = 20
INSTRUCTIONS = (
    "moneyprinter makes YouTube Shorts and X posts on this machine. make_short returns a task id at once: "
    "poll short_status until its status is done, failed or interrupted (a Short takes about a minute). "
    "Content of an account with manual approval, and every Short of the bundled local model, waits in review: "
    "list_review shows it, a person's go-ahead is approve, and edit_item changes it first."
)


class Server:
    """The tools and resources over one configuration; ``mcp`` is the SDK server to run."""

    def __init__(self, app: App, apps: ThreadApps | None = None) -> None:
        self.base = app
        self.apps = apps or ThreadApps(app)  # the web app passes its own, so MCP over HTTP shares it
        self.mcp = MCPServer(name="moneyprinter", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")
        for name in ("make_short", "short_status", "list_review", "approve", "reject", "edit_item", "post_to_x",
                     "add_schedule", "list_schedules", "health"):
            method = getattr(self, name)
            self.mcp.add_tool(self._guarded(method), name=name, description=inspect.cleandoc(method.__doc__))
        self.mcp.resource("moneyprinter://items/recent", name="recent items", mime_type="application/json",
                          description=f"The {RECENT} newest Shorts, posts and pitches with their metadata")(self.recent)
        self.mcp.resource("moneyprinter://items/{item_id}", name="item", mime_type="application/json",
                          description="One content item: its text, metadata, publications")(self.item)

    @property
    def app(self) -> App:
        return self.apps.get()

    def _guarded(self, method: Callable) -> Callable:
        """The tool with the project's errors as tool errors (the CLI's line) and every secret masked."""

        @functools.wraps(method)
        def tool(*args, **kwargs):
            try:
                result = method(*args, **kwargs)
            except MoneyPrinterError as exc:
                raise ToolError(redact(f"error: {exc.message}" + (f" - {exc.hint}" if exc.hint else ""))) from None
            return json.loads(redact(json.dumps(result, default=str)))

        return tool

    # --- tools ------------------------------------------------------------------------------

    def make_short(self, account: str, topic: str | None = None, aspect: Aspect | None = None,
                   preset: Preset | None = None) -> dict[str, Any]:
        """Start making a YouTube Short for an account (its nickname); returns a task id to poll with
        short_status. Without a topic the model picks one in the account's niche; preset is the caption style."""
        task_id = tasks.start_short(self.app, account=account, topic=topic, aspect=aspect, preset=preset)
        return {"task_id": task_id, "status": tasks.get_task(self.app, task_id).status,
                "next": f"call short_status with task_id {task_id} until it is done"}

    def short_status(self, task_id: int) -> dict[str, Any]:
        """Where a Short's task stands: status (queued, running, done, failed, interrupted), the stage,
        progress 0..1, the item it made, and on failure the error with the way on."""
        task = tasks.get_task(self.app, task_id)
        out = {"task_id": task.id, "status": task.status, "stage": task.stage, "progress": task.progress,
               "message": task.message, "item_id": task.item_id, "error": task.error, "hint": task.hint}
        if task.item_id is not None and not task.active:
            item = content.get_item(self.app.db, task.item_id)
            out["item"] = _item(item)
        return out

    def list_review(self, account: str | None = None, limit: int = 20, offset: int = 0) -> dict[str, Any]:
        """Items waiting for a person's approval, oldest first (optionally of one account), a page at a time:
        'total' says how many wait in all."""
        acc = review.find_account(self.app.db, account) if account else None
        found, total = review.waiting_page(self.app.db, acc, limit=max(1, min(limit, 100)), offset=max(0, offset))
        items = [{**_item(w.item), "account": f"{w.account.platform}:{w.account.nickname}",
                  "publisher": w.account.publisher} for w in found]
        return {"items": items, "total": total, "offset": offset}

    def approve(self, item_id: int) -> dict[str, Any]:
        """Approve an item waiting in review and publish it now through its account's publisher."""
        status, message = review.approve(self.app, item_id).summary()  # every destination waiting, one line each
        return {"item_id": item_id, "status": status, "message": message}

    def reject(self, item_id: int, reason: str = "") -> dict[str, Any]:
        """Reject an item waiting in review: it will never be published."""
        review.reject(self.app.db, item_id, reason)
        return {"item_id": item_id, "status": "rejected"}

    def edit_item(self, item_id: int, title: str | None = None, text: str | None = None,
                  description: str | None = None, part: int | None = None, tags: str | None = None) -> dict[str, Any]:
        """Change an item before approval: the title, the text (of a thread: the part numbered from 1),
        or the description. Refuses what the platform would refuse (an X post too long, an empty title).
        A script-only Short draft: text is its whole script, or with part the sentence numbered from 1;
        tags (comma-separated) too. The quality gate checks the edited words; its reasons come back."""
        from moneyprinter.shorts import draft_edit

        if draft_edit.is_script_draft(self.app.db, item_id):
            edited = draft_edit.edit_draft(self.app.db, item_id, sentence=part, text=text, title=title,
                                           description=description, tags=tags)
            return {**_item(edited.item), "sentences": edited.sentences, "reasons": edited.reasons,
                    "next": f"render it with POST /api/v1/shorts/{item_id}/resume or "
                            f"'moneyprinter short --account NAME --resume {item_id}'"}
        if tags is not None:
            from moneyprinter.errors import UsageError

            raise UsageError(f"item {item_id} is not a script-only Short draft: tags change a draft before its video "
                             "is made", hint="leave tags out")
        item = review.edit(self.app.db, item_id, title=title, text=text, description=description,
                           x_limit=self.app.settings.publishing.x_max_weighted_length, part=part)
        return _item(item)

    def post_to_x(self, account: str, text: str | None = None, thread: int | None = None) -> dict[str, Any]:
        """Post on X for an account: the given text, or a post (or a thread of 2-5) the model writes on
        the account's topic. It goes to the account's publisher, or waits in review when the account says so."""
        from moneyprinter.errors import UsageError
        from moneyprinter.platforms.x import X, check_thread_length
        from moneyprinter.platforms.x_accounts import x_account

        if text is not None and thread is not None:
            raise UsageError("text and thread cannot be combined", hint="give the text of one post, or a thread length")
        if thread is not None:
            check_thread_length(thread)
        bot = X(self.app, x_account(self.app, account))
        posted = bot.post_text(text) if text is not None else bot.make_post(thread=thread)
        return {"item_id": posted.item.id, "status": posted.result.status, "message": posted.result.message,
                "posts": posted.posts}

    def add_schedule(self, kind: str, target: str, preset: str | None = None, at: list[str] | None = None,
                     every: str | None = None, days: str | None = None, tz: str | None = None,
                     jitter_minutes: int = 0) -> dict[str, Any]:
        """Add a schedule. kind: youtube.short, twitter.post, affiliate.pitch or outreach.campaign; target: the
        account's nickname (the campaign's name); exactly one of preset (once, twice, thrice), at (times
        HH:MM) or every (30m, 2h); days: mon-fri, weekdays, daily; tz: an IANA time zone."""
        from moneyprinter.scheduler import schedules as sched
        from moneyprinter.scheduler.jobs import check_target, get_kind
        from moneyprinter.scheduler.triggers import build_trigger

        trigger = build_trigger(preset, tuple(at or ()), every, days, tz,
                                default_timezone=self.app.settings.general.timezone)
        check_target(self.app, get_kind(kind), target)
        return sched.add_schedule(self.app.db, kind, target, trigger, jitter_minutes=jitter_minutes).to_json()

    def list_schedules(self) -> list[dict[str, Any]]:
        """Every schedule with its trigger, whether it is enabled, its next run (UTC) and last outcome."""
        from moneyprinter.scheduler import schedules as sched

        return [s.to_json() for s in sched.list_schedules(self.app.db)]

    def health(self) -> dict[str, Any]:
        """Run the health checks: each one's status and, when it fails, how to fix it."""
        from moneyprinter.health.checker import run_health

        return run_health(self.app).to_json()

    # --- resources --------------------------------------------------------------------------

    def recent(self) -> str:
        items = content.list_items(self.app.db, limit=RECENT)
        return redact(json.dumps([_item(i) for i in items], default=str))

    def item(self, item_id: str) -> str:
        try:
            found = content.get_item(self.app.db, int(item_id))
        except (ValueError, NotFound):
            raise ResourceNotFoundError(f"no content item with id {item_id}") from None
        from moneyprinter.store import publications

        pubs = [{"destination": p.destination, "publisher": p.publisher, "status": p.status, "url": p.remote_url,
                 "location": p.location, "error": p.error} for p in publications.for_item(self.app.db, found.id)]
        return redact(json.dumps({**_item(found), "publications": pubs}, default=str))


def _item(item) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "status": item.status, "title": item.title,
            "texts": review.texts_to_publish(item), "metadata": item.metadata.to_dict(),
            "media_path": item.media_path, "error": item.error, "created_at": item.created_at}


def serve_stdio(app: App) -> None:
    """Serve over stdin/stdout until the client closes them."""
    app.settings  # noqa: B018 - a broken config is one line on stderr, before the protocol starts
    Server(app).mcp.run("stdio")
