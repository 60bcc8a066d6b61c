"""Review and manual actions shared by the CLI and the menu: list what waits, approve, edit, reject, mark published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, replace
from pathlib import Path

from moneyprinter.errors import Conflict, MoneyPrinterError, NotFound, UsageError  # the API answers Conflict with 409
from moneyprinter.publishers import Deliveries, Delivery, SubmitResult
from moneyprinter.publishers.youtube_api import DESCRIPTION_MAX_BYTES, TITLE_MAX
from moneyprinter.store import content, publications
from moneyprinter.store.accounts import Account, get_account_by_id, list_accounts, normalize_platform
from moneyprinter.store.content import ContentItem
from moneyprinter.store.db import utcnow
from moneyprinter.store.publications import Publication
from moneyprinter.store.states import ItemStatus, PublicationStatus
from moneyprinter.text.x_length import MAX_WEIGHTED_LENGTH, check_length, weighted_length

if TYPE_CHECKING:
    from moneyprinter.app import App

EDITABLE = ("review", "pending", "failed", "outbox")


@dataclass
class Waiting:
    pub: Publication
    item: ContentItem
    account: Account

    @property
    def media_exists(self) -> bool:
        return bool(self.item.media_path) and Path(self.item.media_path).exists()


def find_account(db, name: str, platform: str | None = None) -> Account:
    """An account by nickname (``platform:name`` if the name exists on both platforms)."""
    if ":" in name and platform is None:
        platform, name = name.split(":", 1)
    matches = [a for a in list_accounts(db, platform) if a.nickname.lower() == name.lower()]
    if not matches:
        what = f"no {platform} account named '{name}'" if platform else f"no account named '{name}'"
        raise NotFound(what, hint="see: moneyprinter accounts list")
    if len(matches) > 1:
        raise UsageError(f"'{name}' exists on several platforms", hint=f"write youtube:{name} or x:{name}")
    return matches[0]


def waiting(db, account: Account | None = None) -> list[Waiting]:
    pubs = publications.list_publications(db, account_id=account.id if account else None,
                                          status=PublicationStatus.REVIEW, limit=500)
    return [Waiting(p, content.get_item(db, p.item_id), get_account_by_id(db, p.account_id)) for p in reversed(pubs)]


def waiting_page(db, account: Account | None = None, *, limit: int = 50, offset: int = 0) -> tuple[list[Waiting], int]:
    """One page of what waits, oldest first, and how many wait in all (the API's and the web pages' list)."""
    account_id = account.id if account else None
    total = publications.count_publications(db, account_id=account_id, status=PublicationStatus.REVIEW)
    # The store lists newest first: the oldest-first page [offset, offset + limit) is read from the other end.
    newest_offset = max(0, total - offset - limit)
    count = max(0, min(limit, total - offset))
    pubs = publications.list_publications(db, account_id=account_id, status=PublicationStatus.REVIEW, limit=count,
                                          offset=newest_offset)[::-1] if count else []
    accounts: dict[int, Account] = {}
    for p in pubs:
        if p.account_id not in accounts:
            accounts[p.account_id] = get_account_by_id(db, p.account_id)
    return [Waiting(p, content.get_item(db, p.item_id), accounts[p.account_id]) for p in pubs], total


def _publication(db, item_id: int) -> Publication:
    pub = publications.get_for_item(db, item_id)
    if pub is None:
        content.get_item(db, item_id)  # NotFound if the item does not exist either
        raise NotFound(f"item {item_id} has not been submitted for publishing", hint="moneyprinter publish ID submits it")
    return pub


def _in_review(db, item_id: int, destination: str | None = None) -> tuple[list[Publication], Publication]:
    """The item's publications waiting for review (its own first, then its cross-posts'; only the one to
    ``destination`` if given), and the publication whose status explains an empty list."""
    own = _publication(db, item_id)
    if destination is not None:
        pub = publications.get_for_item(db, item_id, normalize_platform(destination))
        if pub is None:
            raise NotFound(f"item {item_id} has no publication to {destination}",
                           hint="see: moneyprinter publications --json")
        return ([pub] if pub.status == PublicationStatus.REVIEW else []), pub
    others = [p for p in publications.for_item(db, item_id) if p.id != own.id]
    waiting = [p for p in (own, *others) if p.status == PublicationStatus.REVIEW]
    return waiting, own


def approve(app: App, item_id: int, destination: str | None = None) -> Deliveries:
    """Approve a waiting item and publish it now: every destination waiting for review, or only
    ``destination``. Each is checked (``preflight``) and published on its own: one refused or failed
    destination does not stop the others. Returns each destination's outcome."""
    from moneyprinter.publishers.engine import publish_item

    waiting, pub = _in_review(app.db, item_id, destination)
    if not waiting:
        where = f" to {pub.destination}" if destination else ""
        if pub.status == PublicationStatus.PUBLISHED:
            raise UsageError(f"item {item_id}{where} is already published",
                             hint=f"it is at {pub.remote_url or pub.location}")
        if pub.status == PublicationStatus.REJECTED:
            raise UsageError(f"item {item_id}{where} was rejected in review", hint="it will not be published")
        # Approved before (an approval that was interrupted, deferred or failed): publishing goes on from there.
        raise UsageError(f"item {item_id}{where} was approved already and is {pub.status}",
                         hint=f"go on with: moneyprinter publish {item_id}"
                              + (f" --destination {pub.destination}" if destination else ""))
    item = content.get_item(app.db, item_id)
    done = Deliveries(item_id, [])
    for waiting_pub in waiting:
        delivery = Delivery(item_id, get_account_by_id(app.db, waiting_pub.account_id),
                            own=waiting_pub.account_id == item.account_id)
        try:
            result_pub, outcome = publish_item(app, item_id, destination=waiting_pub.destination, approve=True)
            delivery.result = SubmitResult(item_id, outcome.status, outcome.url or outcome.location or "",
                                           outcome.message or result_pub.status.value, result_pub.id,
                                           outcome.remote_id, outcome.url)
        except MoneyPrinterError as exc:
            delivery.error = exc
        done.items.append(delivery)
    return done


def edit(db, item_id: int, *, title: str | None = None, text: str | None = None,
         description: str | None = None, x_limit: int = MAX_WEIGHTED_LENGTH, part: int | None = None) -> ContentItem:
    """Change what will be published; refuses what the platform would refuse (an empty title, a post too long).

    A thread is published from its parts: ``part`` (1-based) names the one ``text`` replaces, and each
    part is checked on its own, as X will check it."""
    pub = _publication(db, item_id)
    if pub.status not in EDITABLE:
        raise Conflict(f"item {item_id} cannot be edited while it is {pub.status}")
    if pub.session_uri:
        raise Conflict(f"item {item_id} has an upload in progress", hint="finish it with moneyprinter publish first")
    item = content.get_item(db, item_id)
    platform = get_account_by_id(db, item.account_id).platform
    changes: dict = {}
    if title is not None:
        changes["title"] = _checked_title(item_id, title.strip()) if platform == "youtube" else title.strip()
    if text is not None and item.kind == "thread":
        changes.update(_thread_part(item, part, text.strip(), x_limit))
    elif part is not None:
        raise UsageError(f"item {item_id} is a {item.kind}, not a thread", hint="leave out --part")
    elif text is not None:
        changes["body"] = text.strip()
        if platform == "x":
            check_length(changes["body"], x_limit)
    if description is not None:
        description = with_credits(description.strip(), item.metadata)
        if platform == "youtube" and (len(description.encode("utf-8")) > DESCRIPTION_MAX_BYTES
                                      or "<" in description or ">" in description):
            raise UsageError(f"a YouTube description must be at most {DESCRIPTION_MAX_BYTES} bytes without < or >",
                             hint="shorten it, and write 'less than' instead of '<'")
        changes["metadata"] = replace(item.metadata, description=description)
    if not changes:
        raise UsageError("nothing to change", hint="give --title, --text or --description")
    return content.update_item(db, item_id, **changes)


def with_credits(description: str, metadata) -> str:
    """The description with every credit a stock provider asks for ("Photo by NAME on Pexels: URL"):
    an edit may reword the description but never drops the photographers' credit."""
    credits = [a["credit"] for a in getattr(metadata, "attribution", None) or [] if a.get("credit")]
    missing = [c for c in dict.fromkeys(credits) if c not in description]
    return description + ("\n\n" if description else "") + "\n".join(missing) if missing else description


def _thread_part(item: ContentItem, part: int | None, text: str, x_limit: int) -> dict:
    """The changes that put ``text`` in place of thread part ``part``: parts, their lengths and the body."""
    posts = list(item.metadata.posts)
    if part is None:
        raise UsageError(f"item {item.id} is a thread of {len(posts)} posts; say which one to change",
                         hint=f"moneyprinter review edit {item.id} --part N --text '...' (N from 1 to {len(posts)})")
    if not 1 <= part <= len(posts):
        raise UsageError(f"item {item.id} has parts 1 to {len(posts)}, not {part}",
                         hint=f"moneyprinter review edit {item.id} --part N --text '...' (N from 1 to {len(posts)})")
    try:
        check_length(text, x_limit)
    except UsageError as exc:
        raise type(exc)(f"part {part}: {exc.message}", hint=exc.hint) from None
    posts[part - 1] = text
    metadata = replace(item.metadata, posts=posts, weighted_lengths=[weighted_length(p) for p in posts])
    return {"metadata": metadata, "body": "\n\n".join(posts)}


def texts_to_publish(item: ContentItem, account: Account | None = None) -> list[str]:
    """Exactly what goes out: a thread's parts, else the body (what the X publisher posts); for a
    cross-post (``account`` is not the item's own), the text its network gets (``texts_for``)."""
    if account is not None and account.id != item.account_id:
        from moneyprinter.publishers.destinations import texts_for

        return texts_for(account.platform, item)
    if item.kind == "thread" and item.metadata.posts:
        return [p.strip() for p in item.metadata.posts]
    return [(item.body or "").strip()] if item.body else []


def _checked_title(item_id: int, title: str) -> str:
    if not title or len(title) > TITLE_MAX or "<" in title or ">" in title:
        raise UsageError(f"a YouTube title must be 1-{TITLE_MAX} characters without < or > (this one has {len(title)})",
                         hint=f"moneyprinter review edit {item_id} --title 'A short, honest title'")
    return title


def reject(db, item_id: int, reason: str = "", destination: str | None = None) -> list[Publication]:
    """Reject every destination of the item waiting for review (or only ``destination``): never published."""
    waiting, pub = _in_review(db, item_id, destination)
    if not waiting:
        raise UsageError(f"only items waiting for review can be rejected (item {item_id}"
                         + (f" to {pub.destination}" if destination else "") + f" is {pub.status})")
    home = content.get_item(db, item_id).account_id
    done = []
    for waiting_pub in waiting:
        own = waiting_pub.account_id == home  # a cross-post goes through another account
        item = {"status": ItemStatus.REJECTED, "error": reason or None} if own else None
        done.append(publications.change(db, waiting_pub.id, item=item, status=PublicationStatus.REJECTED,
                                        error=reason or "rejected in review"))
    return done


def mark_published(db, item_id: int, url: str, destination: str | None = None) -> Publication:
    """Record a manual upload of an outbox item (or of its cross-post to ``destination``)."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"'{url}' is not a URL", hint="give the address of the published video or post")
    pub = _publication(db, item_id)
    if destination is not None:
        pub = publications.get_for_item(db, item_id, normalize_platform(destination))
        if pub is None:
            raise NotFound(f"item {item_id} has no publication to {destination}",
                           hint="see: moneyprinter publications --json")
    own = pub.account_id == content.get_item(db, item_id).account_id
    if pub.status == "published":
        raise Conflict(f"item {item_id} is already published at {pub.remote_url}")
    if pub.status not in ("outbox", "review", "pending", "failed", "needs_attention"):
        raise Conflict(f"item {item_id} is {pub.status}; only outbox items are marked by hand")
    return publications.change(db, pub.id, item={"status": ItemStatus.PUBLISHED, "error": None} if own else None,
                               status=PublicationStatus.PUBLISHED, remote_url=url, published_at=utcnow(), error=None)
