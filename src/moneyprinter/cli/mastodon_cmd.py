"""``moneyprinter mastodon login``: connect an account to its Mastodon instance."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click

from moneyprinter.publishers import review

if TYPE_CHECKING:
    from moneyprinter.app import App


@click.command("login")
@click.option("--account", required=True, help="The Mastodon account's nickname (moneyprinter accounts add mastodon NICK).")
@click.option("--instance", default=None, help="Base URL of your instance, e.g. https://mastodon.social (saved with the account).")
@click.option("--no-browser", is_flag=True, help="Print the address instead of opening a browser.")
@click.option("--port", type=int, default=0, help="Local port for the instance's redirect (0: any free port).")
@click.pass_obj
def mastodon_login(app: App, account: str, instance: str | None, no_browser: bool, port: int) -> None:
    """Log in on your instance (OAuth in your browser); the token is stored for this account only."""
    from moneyprinter.publishers import credentials, mastodon_oauth

    acc = review.find_account(app.db, account, "mastodon")
    saved = mastodon_oauth.login(app, acc, instance, open_browser=not no_browser, port=port, echo=click.echo)
    path = credentials.credential_path("mastodon", acc)
    click.echo(f"logged in as @{saved['acct']} on {urlsplit(saved['instance']).netloc}; "
               f"token saved to {path} (mode 600)")


def register(group: click.Group) -> None:
    existing = group.commands.get("mastodon")
    sub = existing if isinstance(existing, click.Group) else click.Group("mastodon", help="Mastodon publishing.")
    if sub is not existing:
        group.add_command(sub)
    sub.add_command(mastodon_login)
