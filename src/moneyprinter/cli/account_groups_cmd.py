"""``moneyprinter groups add|edit|list|remove``: named groups of accounts and where their content also goes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.errors import UsageError
from moneyprinter.publishers import groups
from moneyprinter.store import account_groups
from moneyprinter.terminal.output import console, print_json, table

if TYPE_CHECKING:
    from moneyprinter.app import App

MEMBER_HELP = "A YouTube or X account whose new Shorts and posts the group spreads (repeatable)."
TARGET_HELP = "Every member's new content also goes to this account (repeatable; replaces the list)."


@click.group("groups")
def groups_group() -> None:
    """Named groups of accounts: every member's new Short or post also goes to the group's destinations.

    Publish an item now to a group's destinations with: moneyprinter publish ID --to group:NAME"""


@groups_group.command("add")
@click.argument("name")
@click.option("--member", "members", multiple=True, metavar="PLATFORM:NICKNAME", help=MEMBER_HELP)
@click.option("--cross-post", "targets", multiple=True, metavar="PLATFORM:NICKNAME", help=TARGET_HELP)
@click.pass_obj
def groups_add(app: App, name, members, targets) -> None:
    """Add a group."""
    click.echo("added " + groups.describe(groups.create(app.db, name, list(members), list(targets))))


@groups_group.command("edit")
@click.argument("name")
@click.option("--name", "new_name", default=None, help="Rename the group.")
@click.option("--member", "add", multiple=True, metavar="PLATFORM:NICKNAME", help="Add a member (repeatable).")
@click.option("--remove-member", "remove", multiple=True, metavar="PLATFORM:NICKNAME",
              help="Take a member out of the group (repeatable).")
@click.option("--cross-post", "targets", multiple=True, metavar="PLATFORM:NICKNAME", help=TARGET_HELP)
@click.option("--no-cross-post", is_flag=True, help="The group sends its members' content nowhere else.")
@click.pass_obj
def groups_edit(app: App, name, new_name, add, remove, targets, no_cross_post) -> None:
    """Change a group's name, members or destinations."""
    if targets and no_cross_post:
        raise UsageError("--cross-post and --no-cross-post cannot be combined",
                         hint="--cross-post lists the destinations; --no-cross-post clears them")
    chosen = [] if no_cross_post else (list(targets) if targets else None)
    group = groups.edit(app.db, name, new_name=new_name, add=list(add), remove=list(remove), targets=chosen)
    click.echo("updated " + groups.describe(group))


@groups_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def groups_list(app: App, as_json) -> None:
    """List groups, their members and destinations."""
    found = account_groups.list_groups(app.db)
    if as_json:
        print_json([groups.as_dict(g) for g in found])
        return
    if not found:
        click.echo("no groups yet - add one with 'moneyprinter groups add NAME --member youtube:NAME "
                   "--cross-post tiktok:NAME'")
        return
    rows = [[g.name, ", ".join(groups.target(m) for m in g.members), ", ".join(groups.target(d) for d in g.destinations)]
            for g in found]
    console.print(table(None, ["group", "members", "cross-post"], rows))


@groups_group.command("remove")
@click.argument("name")
@click.pass_obj
def groups_remove(app: App, name) -> None:
    """Remove a group (its accounts and their content stay)."""
    group = groups.delete(app.db, name)
    click.echo(f"removed group '{group.name}'")


def register(group: click.Group) -> None:
    group.add_command(groups_group)
