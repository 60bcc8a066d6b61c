"""Accounts screen: list, add, edit and remove accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.menu.prompts import ask, cancellable, choose, choose_many, confirm, console
from moneyprinter.publishers import destinations
from moneyprinter.publishers.base import WARNINGS
from moneyprinter.store import accounts as repo
from moneyprinter.terminal.output import table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _validator(platform: str, field: str):
    def check(value: str) -> str | None:
        try:
            repo.validate_fields(platform, {field: value})
        except UsageError as exc:
            return str(exc)
        return None

    return check


def show_accounts(app: App, platform: str | None = None) -> list[repo.Account]:
    accounts = repo.list_accounts(app.db, platform)
    if not accounts:
        console.print("No accounts yet.")
        return accounts
    rows = [[i, a.platform, a.nickname, a.topic, a.language, a.publisher] for i, a in enumerate(accounts, 1)]
    console.print(table(None, ["#", "platform", "nickname", "topic", "language", "publisher"], rows))
    return accounts


def _new_nickname(app: App, platform: str):
    """A valid nickname not taken yet: checked when typed, not after the whole form."""
    valid = _validator(platform, "nickname")

    def check(value: str) -> str | None:
        if problem := valid(value):
            return problem
        taken = {a.nickname.casefold() for a in repo.list_accounts(app.db, platform)}
        return f"an account named '{value}' already exists (choose another nickname)" if value.casefold() in taken else None

    return check


def create_account(app: App, platform: str | None = None) -> repo.Account:
    if platform is None:
        platform = repo.PLATFORMS[choose("Platform", [repo.platform_name(p) for p in repo.PLATFORMS])]
    while True:
        nickname = ask("Nickname", validate=_new_nickname(app, platform))
        topic = ask("Niche / topic", validate=_validator(platform, "topic"))
        language = ask("Language code", default="en", validate=_validator(platform, "language"))
        publishers = list(repo.PUBLISHERS[platform])
        publisher = publishers[choose("Publisher", publishers)]
        try:
            account = repo.add_account(app.db, platform, nickname, topic=topic, language=language, publisher=publisher)
        except MoneyPrinterError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/]")
            continue
        console.print(f"[green]Added {account.platform} account '{account.nickname}'.[/]")
        _warn_studio(account.publisher)
        return account


def pick_account(app: App, platform: str, *, allow_create: bool = True) -> repo.Account:
    """Choose one of the platform's accounts, or create one."""
    accounts = repo.list_accounts(app.db, platform)
    labels = [f"{a.nickname} ({a.topic or 'no topic'})" for a in accounts]
    if allow_create:
        labels.append("Create a new account")
    if not labels:
        raise UsageError(f"no {platform} accounts yet", hint="add one in the Accounts screen")
    index = choose("Account", labels)
    if index == len(accounts):
        return create_account(app, platform)
    return accounts[index]


def _edit(app: App) -> None:
    accounts = show_accounts(app)
    if not accounts:
        return
    account = accounts[choose("Edit which account?", [f"{a.platform}:{a.nickname}" for a in accounts])]
    topic = ask("Niche / topic", default=account.topic or None, validate=_validator(account.platform, "topic"))
    language = ask("Language code", default=account.language, validate=_validator(account.platform, "language"))
    publishers = list(repo.PUBLISHERS[account.platform])
    now = publishers.index(account.publisher) if account.publisher in publishers else None
    publisher = publishers[choose(f"Publisher (now {account.publisher})", publishers, default=now)]
    modes = ["auto", "manual"]
    approval = modes[choose(f"Approval (now {account.approval})",
                            ["auto: publish as soon as it is made", "manual: wait in Review & publish"])]
    targets = _cross_posts(app, account)
    repo.update_account(app.db, account, topic=topic, language=language, publisher=publisher, approval=approval)
    if targets is not None:
        destinations.set_destinations(app.db, account, targets)
    console.print("[green]Saved.[/]")
    _warn_studio(publisher)


def _cross_posts(app: App, account: repo.Account) -> list[str] | None:
    """Which accounts the account's new content also goes to, picked by number; None when none can."""
    if account.platform not in destinations.MAKES:  # a destination account makes nothing to cross-post
        return None
    candidates = [a for a in repo.list_accounts(app.db) if destinations.refusal(account, a) is None]
    if not candidates:
        return None
    current = {d.id for d in destinations.own_destinations(app.db, account)}
    picked = choose_many("Cross-post new content to", [destinations.label(a) for a in candidates],
                         [i for i, a in enumerate(candidates) if a.id in current])
    return [f"{candidates[i].platform}:{candidates[i].nickname}" for i in picked]


def _warn_studio(publisher: str) -> None:
    if publisher in WARNINGS:
        console.print(f"[yellow]{escape(WARNINGS[publisher])}[/]")


def _remove(app: App) -> None:
    accounts = show_accounts(app)
    if not accounts:
        return
    account = accounts[choose("Remove which account?", [f"{a.platform}:{a.nickname}" for a in accounts])]
    if confirm(f"Remove {account.platform}:{account.nickname}, its history and its schedules?"):
        repo.remove_account(app.db, account)
        console.print("[green]Removed.[/]")


def screen(app: App) -> None:
    from moneyprinter.menu import groups

    actions = ["List accounts", "Add an account", "Edit an account", "Remove an account", "Groups of accounts", "Back"]
    while True:
        index = choose("Accounts", actions)
        if index == len(actions) - 1:
            return
        with cancellable():
            (show_accounts, create_account, _edit, _remove, groups.screen)[index](app)
