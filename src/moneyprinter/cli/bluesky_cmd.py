"""``moneyprinter bluesky login``: connect a Bluesky account with an app password."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.publishers import review

if TYPE_CHECKING:
    from moneyprinter.app import App


@click.group("bluesky")
def bluesky_group() -> None:
    """Bluesky publishing (AT Protocol)."""


@bluesky_group.command("login")
@click.option("--account", "nickname", required=True, help="The Bluesky account's nickname in moneyprinter.")
@click.option("--handle", required=True, help="The Bluesky handle, e.g. me.bsky.social.")
@click.option("--pds", default=None, help="The account's PDS if it is not on bsky.social (saved as the 'pds' option).")
@click.pass_obj
def bluesky_login(app: App, nickname: str, handle: str, pds: str | None) -> None:
    """Log in with an app password (BLUESKY_APP_PASSWORD, or asked without echo); only the session is kept."""
    from moneyprinter.publishers import bluesky_client, credentials

    account = review.find_account(app.db, nickname, "bluesky")
    password = app.config.secrets.get("BLUESKY_APP_PASSWORD") or click.prompt(
        "App password (bsky.app > Settings > Privacy and security > App passwords)", hide_input=True)
    session = bluesky_client.log_in(app, account, handle, password.strip(), pds)
    click.echo(f"logged in as @{session.get('handle') or handle} ({session['did']})")
    click.echo(f"session saved to {credentials.credential_path(bluesky_client.PROVIDER, account)} (mode 600); "
               "the app password itself is not stored")


def register(group: click.Group) -> None:
    group.add_command(bluesky_group)
