"""The outbox: finished media plus metadata.json in a folder a person can review and upload by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import json
import os
import shutil
from pathlib import Path

from moneyprinter import paths
from moneyprinter.check_result import CheckResult
from moneyprinter.errors import PublishError
from moneyprinter.publishers.base import Outcome, PublishContext, Publisher
from moneyprinter.store.accounts import PLATFORMS, Account
from moneyprinter.store.content import ContentItem

if TYPE_CHECKING:
    from moneyprinter.app import App


def outbox_folder(account: Account, item: ContentItem) -> Path:
    return paths.data_dir() / "outbox" / account.platform / account.nickname / str(item.id)


def write_to_outbox(app: App, account: Account, item: ContentItem) -> Path:
    """Idempotent: writing the same item again replaces its folder's files atomically."""
    folder = outbox_folder(account, item)
    if item.media_path and not Path(item.media_path).is_file() and not (folder / Path(item.media_path).name).is_file():
        raise PublishError(f"item {item.id}: its media file is missing ({item.media_path})",
                           hint=f"restore the file, then run: moneyprinter publish {item.id}")
    folder.mkdir(parents=True, exist_ok=True)
    if item.media_path and Path(item.media_path).is_file():
        source = Path(item.media_path)
        target = folder / source.name
        if source.resolve() != target.resolve():
            tmp = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
    metadata = {
        "id": item.id,
        "account": account.nickname,
        "platform": account.platform,
        "kind": item.kind,
        "title": item.title,
        "description": item.metadata.description,
        "tags": item.metadata.tags,
        "text": item.body,
        "media": Path(item.media_path).name if item.media_path else None,
    }
    if account.id != item.account_id:  # a cross-post: the text as that network gets it, to paste there
        from moneyprinter.publishers.destinations import texts_for

        metadata["post_texts"] = texts_for(account.platform, item)
    tmp = folder / "metadata.json.part"
    tmp.write_text(json.dumps(metadata, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / "metadata.json")
    return folder


class OutboxPublisher(Publisher):
    """Publishes nothing by itself: a person uploads, then runs ``moneyprinter outbox mark-published``."""

    id = "outbox"
    platforms = PLATFORMS

    def publish(self, ctx: PublishContext) -> Outcome:
        folder = write_to_outbox(ctx.app, ctx.account, ctx.item)
        return Outcome("outbox", location=str(folder), message=f"written to the outbox: {folder}")

    def health_check(self, app: App, account: Account) -> CheckResult:
        return CheckResult.ok(f"outbox: {paths.data_dir() / 'outbox' / account.platform / account.nickname}")
