"""``moneyprinter instagram login`` and ``moneyprinter threads login``: Meta's OAuth for each network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.cli.groups import subgroup

from moneyprinter.publishers import review

if TYPE_CHECKING:
    from moneyprinter.app import App

NETWORKS = {"instagram": "Instagram", "threads": "Threads"}  # the publishers load only when a login runs


def _login_command(net_id: str, name: str) -> click.Command:
    @click.command("login")
    @click.option("--account", required=True, help=f"The {name} account's nickname.")
    @click.option("--no-browser", is_flag=True, help="Print the address instead of opening a browser.")
    @click.option("--redirect-uri", default=None,
                  help="The redirect URI listed in the Meta app (default: publishing.meta_redirect_uri); an "
                       "http://127.0.0.1:PORT/ address is caught automatically, any other is pasted.")
    @click.pass_obj
    def login(app: App, account: str, no_browser: bool, redirect_uri: str | None) -> None:
        from moneyprinter.publishers import meta_graph, meta_oauth

        net = meta_graph.NETWORKS[net_id]
        acc = review.find_account(app.db, account, net_id)
        path, token = meta_oauth.login(
            app, net, acc, redirect_uri=redirect_uri or app.settings.publishing.meta_redirect_uri,
            open_browser=not no_browser, show=click.echo, ask=lambda text: click.prompt(text, err=True))
        click.echo(f"logged in to {net.name} as @{token.get('username')} (user id {token['user_id']}); "
                   f"token saved to {path} (mode 600), valid until {token['expires_at'][:10]}")

    login.help = (f"Log in to {name} (Meta OAuth in your browser); a long-lived token is stored for this "
                  "account only (60 days, renewed when used in its last week).")
    return login


def register(group: click.Group) -> None:
    for net_id, name in NETWORKS.items():
        subgroup(group, net_id, f"{name} publishing.").add_command(_login_command(net_id, name))
