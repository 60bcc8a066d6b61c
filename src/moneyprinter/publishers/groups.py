"""Named groups of accounts: every member's new Short or post also goes to the group's destinations.

A group only decides WHICH destinations an item gets publication records for (merged with the
member's own cross-post list, each account once); publishing each of them is the engine's, exactly
once, as for any cross-post. A group is checked as a whole when it changes: a member must make
content (a YouTube or X account), every destination must take every member's content, and no member
may end up with two destinations on one network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from moneyprinter.errors import MoneyPrinterError, NotFound, UsageError
from moneyprinter.publishers.destinations import (
    CLASH_HINT,
    MAKES,
    find,
    group_lists,
    label,
    merge,
    network_clash,
    refusal,
)
from moneyprinter.store import account_groups as repo
from moneyprinter.store import accounts
from moneyprinter.store.account_groups import AccountGroup
from moneyprinter.store.accounts import Account

T = TypeVar("T")
# The fields a refusal is about (``MoneyPrinterError.field``): a form shows it next to that field, the API names it.
NAME, MEMBERS, DESTINATIONS = "name", "members", "cross_post"


def create(db, name: str, members: Sequence[str], targets: Sequence[str]) -> AccountGroup:
    """``groups add NAME --member P:N ... --cross-post P:N ...``: checked whole before anything is stored."""
    _about(NAME, lambda: repo.validate_name(name))
    member_accounts = _about(MEMBERS, lambda: _accounts(db, members, "member"))
    destinations = _about(DESTINATIONS, lambda: _accounts(db, targets, "cross-post destination"))
    _check(db, name, None, member_accounts, destinations)
    return _about(NAME, lambda: repo.add_group(db, name, [a.id for a in member_accounts],
                                               [a.id for a in destinations]))


def edit(db, name: str, *, new_name: str | None = None, add: Sequence[str] = (), remove: Sequence[str] = (),
         targets: Sequence[str] | None = None) -> AccountGroup:
    """Add and remove members, replace the destinations (``targets``; ``[]`` clears them), rename."""
    group = repo.get_group(db, name)
    if new_name is None and not add and not remove and targets is None:
        raise UsageError("nothing to change", hint="give --name, --member, --remove-member, --cross-post or --no-cross-post")
    if new_name is not None:
        _about(NAME, lambda: repo.validate_name(new_name))
    leaving = _about(MEMBERS, lambda: _accounts(db, remove, "member"))
    missing = [a for a in leaving if a.id not in {m.id for m in group.members}]
    if missing:
        raise _tagged(MEMBERS, UsageError(f"{label(missing[0])} is not a member of group '{group.name}'",
                                          hint="members: " + (", ".join(target(m) for m in group.members) or "none")))
    gone = {a.id for a in leaving}
    members = [m for m in group.members if m.id not in gone] + _about(MEMBERS, lambda: _accounts(db, add, "member"))
    destinations = group.destinations if targets is None else \
        _about(DESTINATIONS, lambda: _accounts(db, targets, "cross-post destination"))
    _check(db, new_name or group.name, group.id, members, destinations)
    return _about(NAME, lambda: repo.save_group(db, group, name=new_name, member_ids=[m.id for m in members],
                                                destination_ids=[d.id for d in destinations]))


def delete(db, name: str) -> AccountGroup:
    group = repo.get_group(db, name)
    repo.remove_group(db, group)
    return group


def describe(group: AccountGroup) -> str:
    """One line: ``group 'cooking': youtube:cooking, x:cookbot -> bluesky:cook.bsky, mastodon:cook.social``."""
    members = ", ".join(target(m) for m in group.members) or "no members"
    targets = ", ".join(target(d) for d in group.destinations) or "nothing"
    return f"group '{group.name}': {members} -> {targets}"


def target(account: Account) -> str:
    """``PLATFORM:NICKNAME``, as the commands take it."""
    return f"{account.platform}:{account.nickname}"


def as_dict(group: AccountGroup) -> dict:
    """The group for JSON (``groups list --json``, the API): its members and destinations by id and name."""
    def brief(account: Account) -> dict:
        return {"id": account.id, "platform": account.platform, "nickname": account.nickname}

    return {"id": group.id, "name": group.name, "members": [brief(m) for m in group.members],
            "cross_post": [brief(d) for d in group.destinations], "created_at": group.created_at,
            "updated_at": group.updated_at}


def _tagged(name: str, exc: MoneyPrinterError) -> MoneyPrinterError:
    exc.field = exc.field or name
    return exc


def _about(name: str, call: Callable[[], T]) -> T:
    """``call()``, its refusal tagged with the field it is about."""
    try:
        return call()
    except MoneyPrinterError as exc:
        raise _tagged(name, exc) from None


def _accounts(db, targets: Sequence[str], what: str) -> list[Account]:
    found: dict[int, Account] = {}
    for target in targets:
        try:
            account = find(db, target)
        except NotFound as exc:
            raise NotFound(f"{what} {exc.message}", hint=exc.hint) from None
        found.setdefault(account.id, account)
    return list(found.values())


def _check(db, name: str, group_id: int | None, members: list[Account], destinations: list[Account]) -> None:
    """The first reason the group cannot be, as one line naming the group and the accounts."""
    where = f"group '{name}'"
    for member in members:
        if member.platform not in MAKES:
            raise _tagged(MEMBERS, UsageError(
                f"{where}: {label(member)} makes no content of its own to cross-post",
                hint="a member is a YouTube or X account; add this one as a destination (--cross-post)"))
        for destination in destinations:
            why = refusal(member, destination)
            if why:
                raise _tagged(DESTINATIONS, UsageError(
                    f"{where}: cannot cross-post from {label(member)} to {why}",
                    hint="put accounts whose content the destination takes in one group "
                         "(e.g. YouTube accounts for TikTok and Instagram)"))
        own = accounts.cross_posts(db, member.id)
        clash = network_clash(member, merge(member, own, *group_lists(db, member, without=group_id), destinations))
        if clash:
            raise _tagged(DESTINATIONS, UsageError(f"{where}: {clash}", hint=CLASH_HINT))
