"""``moneyprinter accounts add|list|edit|remove|import``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from moneyprinter.errors import UsageError
from moneyprinter.platforms import account_settings
from moneyprinter.platforms.account_settings import SETTINGS
from moneyprinter.publishers.base import WARNINGS
from moneyprinter.publishers.destinations import destinations, own_destinations
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store import accounts as repo
from moneyprinter.store.account_groups import groups_of
from moneyprinter.store.import_mpv2 import import_mpv2
from moneyprinter.terminal.output import console, print_json, table

if TYPE_CHECKING:
    from moneyprinter.app import App

PLATFORM = click.Choice([*repo.PLATFORMS, "twitter"], case_sensitive=False)


@click.group("accounts")
def accounts_group() -> None:
    """Manage accounts: YouTube, X, and the networks their content is cross-posted to."""


@accounts_group.command("add")
@click.argument("platform", type=PLATFORM)
@click.argument("nickname")
@click.option("--topic", default="", help="Niche (YouTube) or topic (X) the account writes about.")
@click.option("--language", default="en", show_default=True, help="Language code, e.g. en, de, pt-BR.")
@click.option("--publisher", default="outbox", show_default=True, help="outbox, youtube_api, youtube_studio or x_api.")
@click.option("--approval", type=click.Choice(["auto", "manual"]), default="auto", show_default=True)
@click.pass_obj
def accounts_add(app: App, platform, nickname, topic, language, publisher, approval) -> None:
    """Add an account."""
    account = account_settings.add(app.db, {"platform": platform, "nickname": nickname, "topic": topic,
                                            "language": language, "publisher": publisher, "approval": approval})
    click.echo(f"added {account.platform} account '{account.nickname}' (id {account.id})")
    _warn_studio(account.publisher)


@accounts_group.command("list")
@click.option("--platform", type=PLATFORM, default=None)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def accounts_list(app: App, platform, as_json) -> None:
    """List accounts."""
    accounts = repo.list_accounts(app.db, platform)
    crossed = {a.id: repo.cross_posts(app.db, a.id) for a in accounts}  # the account's own list
    member_of = {a.id: [g.name for g in groups_of(app.db, a.id)] for a in accounts}
    if as_json:
        print_json([{**vars(a), "cross_post": [{"id": d.id, "platform": d.platform, "nickname": d.nickname}
                                                for d in crossed[a.id]],
                     "groups": member_of[a.id],
                     "all_destinations": [f"{d.platform}:{d.nickname}" for d in destinations(app.db, a)]}
                    for a in accounts])
        return
    if not accounts:
        click.echo("no accounts yet - add one with 'moneyprinter accounts add youtube NAME --topic ...'")
        return
    columns = ["id", "platform", "nickname", "topic", "language", "publisher", "approval"]
    rows = [[a.id, a.platform, a.nickname, a.topic, a.language, a.publisher, a.approval] for a in accounts]
    if any(crossed.values()):  # the column only when something is cross-posted: the table stays narrow
        columns.append("cross-post")
        for row, a in zip(rows, accounts, strict=True):
            row.append(", ".join(f"{d.platform}:{d.nickname}" for d in crossed[a.id]))
    if any(member_of.values()):  # its groups' destinations come on top: moneyprinter groups list
        columns.append("groups")
        for row, a in zip(rows, accounts, strict=True):
            row.append(", ".join(member_of[a.id]))
    console.print(table(None, columns, rows))


@accounts_group.command("edit")
@click.argument("platform", type=PLATFORM)
@click.argument("nickname")
@click.option("--nickname", "new_nickname", default=None, help="Rename the account.")
@click.option("--topic", default=None, help="Niche (YouTube) or topic (X) the account writes about.")
@click.option("--language", default=None, help="Language code, e.g. en, de, pt-BR.")
@click.option("--publisher", default=None, help="outbox, youtube_api, youtube_studio or x_api.")
@click.option("--approval", type=click.Choice(["auto", "manual"]), default=None,
              help="manual: new content waits in 'moneyprinter review'.")
@click.option("--captions", type=click.Choice(list(CAPTION_PRESETS)), default=None,
              help="Caption style of the account's Shorts (YouTube).")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Set one of the network's options (repeatable; an empty VALUE restores the default): "
                   + "; ".join(f"{p}: {', '.join(s.key for s in items)}" for p, items in SETTINGS.items() if items) + ".")
@click.option("--cross-post", "cross_post", multiple=True, metavar="PLATFORM:NICKNAME",
              help="Also publish every new Short or post of this account there (repeatable; replaces the list).")
@click.option("--no-cross-post", is_flag=True, help="Publish the account's content on its own platform only.")
@click.pass_obj
def accounts_edit(app: App, platform, nickname, new_nickname, topic, language, publisher, approval, captions,
                  assignments, cross_post, no_cross_post) -> None:
    """Change an account's settings."""
    account = repo.get_account(app.db, platform, nickname)
    if cross_post and no_cross_post:
        raise UsageError("--cross-post and --no-cross-post cannot be combined",
                         hint="--cross-post lists the destinations; --no-cross-post clears them")
    fields = {"nickname": new_nickname, "topic": topic, "language": language, "publisher": publisher,
              "approval": approval}
    options = _options(assignments, captions)
    targets = list(cross_post) if cross_post or no_cross_post else None
    if all(v is None for v in fields.values()) and not options and targets is None:
        raise UsageError("nothing to change", hint="give --nickname, --topic, --language, --publisher, --approval, "
                                                   "--captions, --set, --cross-post or --no-cross-post")
    account = account_settings.edit(app.db, account, fields, options=options, cross_post=targets)
    click.echo(f"updated {account.platform} account '{account.nickname}'")
    if targets is not None:
        chosen = own_destinations(app.db, account)
        click.echo("cross-posts to: " + (", ".join(f"{d.platform}:{d.nickname}" for d in chosen) or "nothing"))
    if publisher:
        _warn_studio(account.publisher)


def _options(assignments: tuple[str, ...], captions: str | None) -> dict[str, str]:
    """``--set`` pairs as typed (checked by the domain), with ``--captions`` as the option it sets."""
    options: dict[str, str] = {}
    for pair in assignments:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set '{pair}' is not KEY=VALUE", hint="e.g. --set privacy_level=SELF_ONLY")
        options[key.strip()] = value
    if captions:
        options["captions"] = captions
    return options


def _warn_studio(publisher: str) -> None:
    if publisher in WARNINGS:
        click.echo(WARNINGS[publisher], err=True)


@accounts_group.command("remove")
@click.argument("platform", type=PLATFORM)
@click.argument("nickname")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def accounts_remove(app: App, platform, nickname, yes) -> None:
    """Remove an account, its content history and its schedules."""
    account = repo.get_account(app.db, platform, nickname)
    if not yes:
        click.confirm(f"Remove {account.platform} account '{account.nickname}', its history and its schedules?",
                      abort=True)
    repo.remove_account(app.db, account)
    click.echo(f"removed {account.platform} account '{account.nickname}'")


@accounts_group.command("import")
@click.argument("mp_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.pass_obj
def accounts_import(app: App, mp_dir: Path) -> None:
    """Import accounts from a MoneyPrinterV2 install (its .mp folder)."""
    report = import_mpv2(app.db, mp_dir)
    for name in report.accounts_added:
        click.echo(f"imported {name}")
    for name in report.accounts_skipped:
        click.echo(f"skipped {name} (already exists)")
    for line in report.collisions:
        click.echo(f"name collision - {line}")
    click.echo(f"{len(report.accounts_added)} account(s) and {report.items_added} history item(s) imported")


def register(group: click.Group) -> None:
    group.add_command(accounts_group)
