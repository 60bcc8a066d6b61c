"""Cross-post destinations: which accounts an account's content also goes to (its own list, then its
groups' destinations), which network can take which content, and the text each network gets.

A YouTube account's content is Shorts; an X account's is posts, threads and pitches. TikTok and
Instagram take videos only; YouTube takes Shorts only; Bluesky, Mastodon, Threads and X take both
(a Short goes there as a post with the video).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import NotFound, UsageError
from moneyprinter.store import account_groups
from moneyprinter.store import accounts as repo
from moneyprinter.store.accounts import Account, platform_name
from moneyprinter.store.content import ContentItem
from moneyprinter.text import destination_length as lengths

if TYPE_CHECKING:
    from moneyprinter.app import App

VIDEO = ("short",)
TEXT = ("post", "thread", "pitch")
TAKES = {
    "youtube": VIDEO, "tiktok": VIDEO, "instagram": VIDEO,
    "x": VIDEO + TEXT, "bluesky": VIDEO + TEXT, "mastodon": VIDEO + TEXT, "threads": VIDEO + TEXT,
}
MAKES = {"youtube": VIDEO, "x": TEXT}  # what an account of the platform produces
_WHAT = {"short": "a Short", "post": "a post", "thread": "a thread", "pitch": "a pitch"}
_WHATS = {"short": "Shorts", "post": "posts", "thread": "threads", "pitch": "pitches"}


def label(account: Account) -> str:
    """How a destination is named in every message: ``tiktok 'cook-tt'``."""
    return f"{account.platform} '{account.nickname}'"


GROUP = "group"  # ``group:NAME`` names a group's destinations where a destination account is expected


def find(db, target: str) -> Account:
    """``PLATFORM:NICKNAME`` -> the account."""
    platform, sep, nickname = target.partition(":")
    if not sep or not platform.strip() or not nickname.strip():
        raise UsageError(f"'{target}' does not name an account", hint="write PLATFORM:NICKNAME, e.g. bluesky:cook.bsky")
    return repo.get_account(db, platform, nickname.strip())


def refusal(home: Account, destination: Account, kind: str | None = None) -> str | None:
    """Why ``destination`` cannot take ``home``'s content (or an item of ``kind``), or None."""
    if destination.id == home.id:
        return f"{label(destination)}: it is the account itself"
    if destination.platform == home.platform:
        return f"{label(destination)}: it is on {platform_name(home.platform)} too; the content is already published there"
    kinds = (kind,) if kind else MAKES.get(home.platform, ())
    refused = [k for k in kinds if k not in TAKES.get(destination.platform, ())]
    if refused:
        names = [_WHATS.get(k, k) for k in refused]
        what = _WHAT.get(refused[0], refused[0]) if len(refused) == 1 else \
            ", ".join(names[:-1]) + " and " + names[-1]
        takes = "videos only" if TAKES.get(destination.platform) == VIDEO else "posts only"
        return f"{label(destination)}: {platform_name(destination.platform)} takes {takes}; {what} cannot go there"
    return None


def find_targets(db, targets: list[str]) -> list[Account]:
    """``PLATFORM:NICKNAME`` or ``group:NAME`` (that group's destinations), each account once, in order."""
    found: dict[int, Account] = {}
    for target in targets:
        kind, _, name = target.partition(":")
        chosen = account_groups.get_group(db, name.strip()).destinations if kind.strip().lower() == GROUP \
            else [find(db, target)]
        for account in chosen:
            found.setdefault(account.id, account)
    return list(found.values())


def set_destinations(db, account: Account, targets: list[str]) -> list[Account]:
    """Replace the account's cross-post destinations by ``targets`` (``PLATFORM:NICKNAME`` each)."""
    chosen = check_destinations(db, account, targets)
    repo.set_cross_posts(db, account.id, [d.id for d in chosen])
    return chosen


def check_destinations(db, account: Account, targets: list[str]) -> list[Account]:
    """The accounts ``targets`` name, once each, or the error saying which one cannot take the content."""
    if targets and account.platform not in MAKES:
        raise UsageError(f"{label(account)} makes no content of its own to cross-post",
                         hint="give the destinations to the YouTube or X account whose content goes there")
    chosen: list[Account] = []
    for target in targets:
        try:
            destination = find(db, target)
        except NotFound as exc:
            raise NotFound(f"cross-post destination {exc.message}", hint=exc.hint) from None
        why = refusal(account, destination)
        if why:
            raise UsageError(f"cannot cross-post from {label(account)} to {why}",
                             hint="choose an account on a network that takes this content")
        if destination.id not in (d.id for d in chosen):
            chosen.append(destination)
    clash = network_clash(account, merge(account, chosen, *group_lists(db, account)))
    if clash:
        raise UsageError(f"cannot cross-post: {clash}", hint=CLASH_HINT)
    return chosen


def own_destinations(db, account: Account) -> list[Account]:
    """The account's own list (what ``accounts edit --cross-post`` sets and shows), without its groups'."""
    return repo.cross_posts(db, account.id)


def destinations(db, account: Account) -> list[Account]:
    """Where every new item of ``account`` also goes: its own list, then each of its groups' destinations
    (groups by name), each account once, in that order."""
    return merge(account, repo.cross_posts(db, account.id), *group_lists(db, account))


def group_lists(db, account: Account, *, without: int | None = None) -> list[list[Account]]:
    return [g.destinations for g in account_groups.groups_of(db, account.id) if g.id != without]


def merge(account: Account, *lists: list[Account]) -> list[Account]:
    """The lists joined in order, each account once (never the account itself)."""
    found: dict[int, Account] = {}
    for chosen in lists:
        for destination in chosen:
            if destination.id != account.id:
                found.setdefault(destination.id, destination)
    return list(found.values())


CLASH_HINT = "an item goes to one account per network: keep one of them (in the account's --cross-post or the group)"


def network_clash(account: Account, chosen: list[Account]) -> str | None:
    """Two destinations on one network: an item has one publication per network, so that cannot be."""
    first: dict[str, Account] = {}
    for destination in chosen:
        other = first.setdefault(destination.platform, destination)
        if other.id != destination.id:
            return f"{label(account)} would go to both {label(other)} and {label(destination)}"
    return None


# --- the text each network gets ------------------------------------------------------------


def texts_for(platform: str, item: ContentItem) -> list[str]:
    """What goes out on ``platform``: a thread's parts, a post's body, or a Short's caption.

    A Short's caption is its title and hashtags on the text networks; on TikTok and Instagram, whose
    captions are long, its description too. Nothing is shortened here (``problems`` says what is too long)."""
    if platform == "mastodon":  # the Mastodon publisher's own form (the script's hook too): review shows what it sends
        from moneyprinter.publishers.mastodon_api import status_texts

        return status_texts(item)
    meta = item.metadata
    if item.kind == "thread" and getattr(meta, "posts", None):
        return [str(p).strip() for p in meta.posts]  # a reply chain, one post per part
    if item.kind != "short":
        return [(item.body or "").strip()]
    tags = lengths.hashtag_line(platform, list(getattr(meta, "tags", []) or []))
    parts = [item.title or ""]
    if platform in ("tiktok", "instagram") and getattr(meta, "description", ""):
        parts.append(str(meta.description))
    return ["\n\n".join(p.strip() for p in [*parts, tags] if p and p.strip())]


def limit_for(app: App, account: Account) -> int | None:
    """The account's own limit where the network has one per account: a Mastodon instance's, X's configured."""
    if account.platform == "mastodon":
        return int(account.options.get("max_characters") or lengths.MASTODON_DEFAULT)
    if account.platform == "x":
        return app.settings.publishing.x_max_weighted_length
    return None


def text_problems(app: App, account: Account, item: ContentItem, *, limit: int | None = None,
                  url_length: int = lengths.URL_LENGTH) -> list[str]:
    """Each text that ``account``'s network would refuse, naming the destination (and the part of a thread).

    ``limit`` and ``url_length`` are what a publisher learnt from the network itself (a Mastodon instance's)."""
    texts = texts_for(account.platform, item)
    found = []
    for number, text in enumerate(texts, start=1):
        why = lengths.problem(account.platform, text, limit or limit_for(app, account), url_length=url_length)
        if why:
            part = f"part {number}: " if len(texts) > 1 else ""
            found.append(f"{label(account)}: {part}{why}")
    return found


def problems(app: App, account: Account, item: ContentItem, *, cross_post: bool = True) -> list[str]:
    """What would make ``account``'s network refuse ``item``, found before any request: the text's
    length as that network counts it (for a cross-post, unless the publisher's preflight measures the
    text itself: only it knows whether the text is sent and the network's live limit), then the
    publisher's own ``preflight``."""
    from moneyprinter.publishers.base import create_publisher

    publisher = create_publisher(account.publisher)
    found = text_problems(app, account, item) if cross_post and not publisher.measures_text else []
    for line in publisher.preflight(app, account, item):
        if line not in found:
            found.append(line)
    return found
