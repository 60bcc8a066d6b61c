"""``moneyprinter tweet|posts|pitch|products``: the X bot and affiliate pitches."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.platforms.affiliate import AffiliateMarketing
from moneyprinter.platforms.x import X, check_thread_length
from moneyprinter.platforms.x_accounts import x_account
from moneyprinter.store import products as product_repo
from moneyprinter.terminal.output import console, print_json, table
from moneyprinter.terminal.x import history_row, product_table

if TYPE_CHECKING:
    from moneyprinter.app import App


@click.command("tweet")
@click.option("--account", "nickname", required=True, help="Nickname of the X account.")
@click.option("--text", default=None, help="Post exactly this text instead of writing one.")
@click.option("--thread", type=int, default=None, help="Write a thread of 2-5 posts.")
@click.option("--again", is_flag=True, help="Post --text even if the same post is still publishing or needs attention.")
@click.pass_obj
def tweet(app: App, nickname: str, text: str | None, thread: int | None, again: bool) -> None:
    """Write a post on the account's topic (or post --text as given) and hand it to the publisher."""
    if text is not None and thread is not None:
        raise click.UsageError("--text and --thread cannot be combined")
    if thread is not None:
        check_thread_length(thread)
    bot = X(app, x_account(app, nickname))
    posted = bot.post_text(text, again=again) if text is not None else bot.make_post(thread=thread)
    for number, post in enumerate(posted.posts, start=1):
        prefix = f"[{number}/{len(posted.posts)}] " if len(posted.posts) > 1 else ""
        click.echo(prefix + post)
    click.echo(f"item #{posted.item.id}: {posted.result.message}")
    _cross_posted(posted.deliveries)


@click.command("posts")
@click.option("--account", "nickname", required=True, help="Nickname of the X account.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def posts(app: App, nickname: str, limit: int, as_json: bool) -> None:
    """The account's post history: date, text, URL and status."""
    items = X(app, x_account(app, nickname)).history(limit)
    if as_json:
        print_json([history_row(i) for i in items])
        return
    if not items:
        click.echo(f"no posts yet for '{nickname}' - write one with 'moneyprinter tweet --account {nickname}'")
        return
    rows = [list(history_row(i).values()) for i in items]
    console.print(table(None, ["id", "date", "kind", "text", "url", "status"], rows))


@click.command("pitch")
@click.option("--account", "nickname", required=True, help="Nickname of the X account.")
@click.option("--link", required=True, help="The affiliate link of the product page.")
@click.pass_obj
def pitch(app: App, nickname: str, link: str) -> None:
    """Read the product behind an affiliate link, write a pitch with the disclosure and hand it to the publisher."""
    pitched = AffiliateMarketing(app, x_account(app, nickname)).pitch_link(link)
    click.echo(pitched.text)
    click.echo(f"item #{pitched.item.id} (product #{pitched.product.id}): {pitched.result.message}")
    _cross_posted(pitched.deliveries)


def _cross_posted(done) -> None:
    """One line per cross-post destination; the exit code of the worst (75 if one was deferred)."""
    for delivery in done.crossed():
        click.echo(delivery.line(), err=delivery.error is not None)
    if done.exit_code:
        raise SystemExit(done.exit_code)


@click.command("products")
@click.option("--account", "nickname", default=None, help="Only this X account's products.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def products(app: App, nickname: str | None, as_json: bool) -> None:
    """List the stored affiliate products and when each was last pitched."""
    account_id = x_account(app, nickname).id if nickname else None
    found = product_repo.list_products(app.db, account_id)
    if as_json:
        print_json([vars(p) for p in found])
        return
    if not found:
        click.echo("no products yet - add one with 'moneyprinter pitch --account NAME --link URL'")
        return
    console.print(product_table(app, found))


def register(group: click.Group) -> None:
    for command in (tweet, posts, pitch, products):
        group.add_command(command)
