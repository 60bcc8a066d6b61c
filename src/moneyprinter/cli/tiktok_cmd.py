"""``moneyprinter tiktok login|settings``: the TikTok login (OAuth 2 with PKCE) and how an account posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.publishers import review

if TYPE_CHECKING:
    from moneyprinter.app import App

RULES = ("TikTok's rules: an unaudited app posts only as SELF_ONLY (private) and for at most 5 users a day; "
         "each login may make 6 requests a minute to post (moneyprinter counts them and defers the rest).")


@click.group("tiktok")
def tiktok_group() -> None:
    """TikTok publishing (Content Posting API)."""


@tiktok_group.command("login")
@click.option("--account", required=True, help="The TikTok account's nickname.")
@click.option("--no-browser", is_flag=True, help="Print the address instead of opening a browser.")
@click.option("--port", type=int, default=0, help="Local port for TikTok's redirect (0: any free port).")
@click.pass_obj
def tiktok_login(app: App, account, no_browser, port) -> None:
    """Log in to TikTok in your browser; the token is stored for this account only (mode 600)."""
    from moneyprinter.publishers import tiktok_oauth
    from moneyprinter.publishers.tiktok_client import TikTokClient

    acc = review.find_account(app.db, account, "tiktok")

    def show(url: str) -> None:
        click.echo("Open this address in a browser and allow moneyprinter to post to TikTok:")
        click.echo(url)

    token = tiktok_oauth.login(app, acc, show=show, open_browser=not no_browser, port=port)
    click.echo(f"logged in; token saved to {tiktok_oauth.token_file(acc)} (mode 600); granted: {token['scope']}")
    if "video.publish" in token["scope"].split(","):
        info = TikTokClient(app, acc).creator_info()
        allowed = info.get("privacy_level_options") or []
        click.echo(f"@{info.get('creator_username')} may post as: {', '.join(allowed)}")
        if allowed == ["SELF_ONLY"]:
            click.echo("this app is unaudited, so every post is SELF_ONLY (only the creator sees it)")
    click.echo(RULES)


@tiktok_group.command("settings")
@click.option("--account", required=True, help="The TikTok account's nickname.")
@click.option("--post-mode", type=click.Choice(["direct", "inbox"]), default=None,
              help="direct: post to the profile; inbox: the creator finishes the post in the TikTok app.")
@click.option("--privacy-level", default=None,
              type=click.Choice(["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]),
              help="Who sees direct posts (must be one the account allows; unaudited apps: SELF_ONLY).")
@click.pass_obj
def tiktok_settings(app: App, account, post_mode, privacy_level) -> None:
    """Show or change how this account posts to TikTok."""
    from moneyprinter.store.accounts import update_account

    acc = review.find_account(app.db, account, "tiktok")
    changes = {k: v for k, v in (("post_mode", post_mode), ("privacy_level", privacy_level)) if v}
    if changes:
        acc = update_account(app.db, acc, options=changes)
    options = acc.options
    click.echo(f"{acc.nickname}: post_mode {options.get('post_mode') or 'direct'}, "
               f"privacy_level {options.get('privacy_level') or app.settings.publishing.tiktok_privacy_level}")
    click.echo(RULES)


def register(group: click.Group) -> None:
    group.add_command(tiktok_group)
