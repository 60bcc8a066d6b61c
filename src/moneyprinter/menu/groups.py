"""Groups screen (from Accounts): list, add, change and remove named groups of accounts.

The same rules as ``moneyprinter groups`` (``publishers/groups.py``); a refusal is printed as its
one line and the form asks again with the answers given as defaults, so nothing typed is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.menu.prompts import ask, cancellable, choose, choose_many, confirm, console
from moneyprinter.publishers import destinations, groups
from moneyprinter.store import account_groups as group_repo
from moneyprinter.store import accounts as repo

if TYPE_CHECKING:
    from moneyprinter.app import App


def show_groups(app: App) -> list[group_repo.AccountGroup]:
    found = group_repo.list_groups(app.db)
    if not found:
        console.print("No groups yet. A group's members (YouTube or X accounts) also publish on its destinations.")
    for group in found:
        console.print(escape(groups.describe(group)))
    return found


def _pick(title: str, candidates: list[repo.Account], current: list[str]) -> list[str]:
    """Accounts picked by number, as PLATFORM:NICKNAME."""
    picked = choose_many(title, [destinations.label(a) for a in candidates],
                         [i for i, a in enumerate(candidates) if groups.target(a) in current])
    return [groups.target(candidates[i]) for i in picked]


def _form(app: App, group: group_repo.AccountGroup | None) -> None:
    """Ask for the name, members and destinations; save through the domain, asking again on a refusal."""
    accounts = repo.list_accounts(app.db)
    makers = [a for a in accounts if a.platform in destinations.MAKES]
    if not makers:
        console.print("[yellow]Add a YouTube or X account first: a group's members make the content.[/]")
        return
    name = group.name if group else ""
    members = [groups.target(m) for m in group.members] if group else []
    targets = [groups.target(d) for d in group.destinations] if group else []
    while True:
        name = ask("Group name", default=name or None)
        members = _pick("Members: their new content also goes to the destinations", makers, members)
        targets = _pick("Destinations: where every member's content also goes", accounts, targets)
        try:
            saved = _save(app, group, name, members, targets)
        except MoneyPrinterError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/]")
            continue
        console.print(f"[green]Saved {escape(groups.describe(saved))}.[/]")
        return


def _save(app: App, group, name: str, members: list[str], targets: list[str]) -> group_repo.AccountGroup:
    if group is None:
        return groups.create(app.db, name, members, targets)
    old = [groups.target(m) for m in group.members]
    return groups.edit(app.db, group.name, new_name=name if name != group.name else None,
                       add=[m for m in members if m not in old], remove=[m for m in old if m not in members],
                       targets=targets)


def _choose_group(app: App, verb: str) -> group_repo.AccountGroup | None:
    found = show_groups(app)
    if not found:
        return None
    return found[choose(f"{verb} which group?", [g.name for g in found])]


def _change(app: App) -> None:
    group = _choose_group(app, "Change")
    if group is not None:
        _form(app, group)


def _remove(app: App) -> None:
    group = _choose_group(app, "Remove")
    if group is not None and confirm(f"Remove group '{group.name}'? Its accounts and their own cross-posts stay."):
        groups.delete(app.db, group.name)
        console.print("[green]Removed.[/]")


def screen(app: App) -> None:
    actions = ["List groups", "Add a group", "Change a group", "Remove a group", "Back"]
    while True:
        index = choose("Groups of accounts", actions)
        if index == len(actions) - 1:
            return
        with cancellable():
            (show_groups, lambda a: _form(a, None), _change, _remove)[index](app)
