"""The publisher interface and its registry.

A publisher is a small class with an ``id``, the ``platforms`` it serves, a ``publish(ctx)``
that takes a publication from ``pending`` to ``published`` (recording every intent in the
store before the side effect), and a ``health_check(app, account)``. Registering one is one
``PUBLISHERS.register`` line (a "module:Class" path, imported lazily so that Selenium loads only
when used).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from moneyprinter.errors import PublishError, UsageError
from moneyprinter.registry import NotRegistered, Registry
from moneyprinter.store import publications
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.publications import Publication

if TYPE_CHECKING:
    from moneyprinter.app import App


class NeedsAttention(PublishError):
    """The outcome is unknown or the flow broke in a way a person must look at; never retried automatically."""


@dataclass
class Outcome:
    status: str  # "published" or "outbox"
    remote_id: str | None = None
    url: str | None = None
    location: str | None = None
    message: str = ""


class PublishContext:
    """What a publisher works with; ``save`` commits changes to the publication immediately."""

    def __init__(self, app: App, account: Account, item: ContentItem, pub: Publication, *,
                 retry_unknown: bool = False) -> None:
        self.app = app
        self.account = account
        self.item = item
        self.pub = pub
        self.retry_unknown = retry_unknown  # a person checked that an unknown-outcome upload did not happen

    @property
    def settings(self):
        return self.app.settings.publishing

    @property
    def db(self):
        return self.app.db

    def save(self, **changes: Any) -> Publication:
        self.pub = publications.update(self.app.db, self.pub.id, **changes)
        return self.pub

    def merge_state(self, **values: Any) -> Publication:
        self.pub = publications.merge_state(self.app.db, self.pub, **values)
        return self.pub

    def post_chain(self, count: int, post_one: Callable[[int, str | None], str], *, key: str,
                   done: dict[str, Any] | None = None) -> list[str]:
        """Post ``count`` parts in order, each a reply to the one before: ``post_one(index, reply_to)`` posts
        part ``index`` exactly once (arming before its side effect, confirming after) and returns its id.

        Each id is committed the moment it is known, with ``done`` (that part's arming cleared) in the same
        write, so a rerun after any crash continues at the first part not posted and never posts one twice.
        Returns every part's id (the first is the thread's own)."""
        posted: list[str] = list(self.pub.state.get(key) or [])
        for index in range(len(posted), count):
            posted.append(post_one(index, posted[-1] if posted else None))
            self.merge_state(**{key: posted}, **(done or {}))
        return posted

    def add_request_id(self, request_id: str) -> Publication:
        self.pub = publications.add_request_id(self.app.db, self.pub, request_id)
        return self.pub


class Publisher:
    id: str = ""
    platforms: tuple[str, ...] = ()
    # True when ``preflight`` measures the text itself (``destinations.text_problems``), with what only the
    # publisher knows (whether a caption is sent at all, an instance's own limit): then nothing else measures it.
    measures_text: bool = False

    def publish(self, ctx: PublishContext) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def health_check(self, app: App, account: Account):  # pragma: no cover - interface
        raise NotImplementedError

    def preflight(self, app: App, account: Account, item: ContentItem) -> list[str]:
        """Problems that would make the network refuse ``item`` on ``account``, found before any request,
        each naming the destination (``"bluesky 'me.bsky.social': the text is 312 graphemes; ..."``).

        Called when an item is submitted to the account and when a person approves it in review; a
        publisher calls it again in ``publish`` and raises ``UsageError`` if it finds anything."""
        return []


PUBLISHERS: Registry[type[Publisher]] = Registry("publisher", expected=Publisher)
PUBLISHERS.register("outbox", "moneyprinter.publishers.outbox:OutboxPublisher")
PUBLISHERS.register("youtube_api", "moneyprinter.publishers.youtube_api:YouTubeAPIPublisher")
PUBLISHERS.register("youtube_studio", "moneyprinter.publishers.studio:YouTubeStudioPublisher")
PUBLISHERS.register("x_api", "moneyprinter.publishers.x_api:XAPIPublisher")
PUBLISHERS.register("tiktok_api", "moneyprinter.publishers.tiktok_api:TikTokAPIPublisher")
PUBLISHERS.register("bluesky_api", "moneyprinter.publishers.bluesky_api:BlueskyAPIPublisher")
PUBLISHERS.register("mastodon_api", "moneyprinter.publishers.mastodon_api:MastodonAPIPublisher")
PUBLISHERS.register("instagram_api", "moneyprinter.publishers.meta_api:InstagramAPIPublisher")
PUBLISHERS.register("threads_api", "moneyprinter.publishers.meta_api:ThreadsAPIPublisher")


# Printed when an account is set to use the publisher (not only logged at upload time).
WARNINGS = {
    "youtube_studio": "warning: driving YouTube Studio with a bot may break YouTube's terms of service and can get "
                      "the channel restricted; the youtube_api publisher is the supported way",
}


class PublisherUnavailable(PublishError):
    """A registered publisher whose module is not part of this installation."""


def create_publisher(name: str) -> Publisher:
    try:
        return PUBLISHERS.get(name)()
    except NotRegistered:
        raise UsageError(f"unknown publisher '{name}'", hint="use one of: " + ", ".join(PUBLISHERS)) from None
    except ModuleNotFoundError as exc:
        missing = exc.name or "a module"
        if missing.startswith("moneyprinter."):
            raise PublisherUnavailable(f"publisher '{name}' is not part of this version ({missing} is missing)",
                                       hint="update moneyprinter, or use the outbox publisher for this account") from None
        raise PublisherUnavailable(f"publisher '{name}' needs the Python package '{missing}'",
                                   hint="reinstall: pip install -r requirements.txt") from None
