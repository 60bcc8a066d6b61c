"""The publisher interface and its registry.

A publisher is a small class with an ``id``, the ``platforms`` it serves, a ``publish(ctx)``
that takes a publication from ``pending`` to ``published`` (recording every intent in the
store before the side effect), and a ``health_check(app, account)``. Registering one is one
line in ``PUBLISHERS`` (module paths, imported lazily so that Selenium loads only when used).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from moneyprinter.errors import PublishError, UsageError
from moneyprinter.store import publications
from moneyprinter.store.accounts import Account
from moneyprinter.store.content import ContentItem
from moneyprinter.store.publications import Publication

PUBLISHERS = {
    "outbox": "moneyprinter.publishers.outbox:OutboxPublisher",
    "youtube_api": "moneyprinter.publishers.youtube_api:YouTubeAPIPublisher",
    "youtube_studio": "moneyprinter.publishers.studio:YouTubeStudioPublisher",
    "x_api": "moneyprinter.publishers.x_api:XAPIPublisher",
}


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

    def __init__(self, app, account: Account, item: ContentItem, pub: Publication) -> None:
        self.app = app
        self.account = account
        self.item = item
        self.pub = pub
        self.retry_unknown = False  # a person checked that an unknown-outcome upload did not happen

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

    def add_request_id(self, request_id: str) -> Publication:
        self.pub = publications.add_request_id(self.app.db, self.pub, request_id)
        return self.pub


class Publisher:
    id: str = ""
    platforms: tuple[str, ...] = ()

    def publish(self, ctx: PublishContext) -> Outcome:  # pragma: no cover - interface
        raise NotImplementedError

    def health_check(self, app, account: Account):  # pragma: no cover - interface
        raise NotImplementedError


def create_publisher(name: str) -> Publisher:
    target = PUBLISHERS.get(name)
    if target is None:
        raise UsageError(f"unknown publisher '{name}'", hint="use one of: " + ", ".join(PUBLISHERS))
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)()
