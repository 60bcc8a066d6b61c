"""``moneyprinter web``: the dashboard, the REST API and the public unsubscribe endpoint in one server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.errors import UsageError

if TYPE_CHECKING:
    from moneyprinter.app import App

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command("web")
@click.option("--port", default=8787, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (other than loopback needs the next flag).")
@click.option("--i-know-this-exposes-it", "exposed_ok", is_flag=True,
              help="Allow --host to be an address other machines can reach.")
@click.option("--public-unsubscribe-only", is_flag=True,
              help="Serve only the one-click unsubscribe endpoint (/u/TOKEN), e.g. behind a reverse proxy.")
@click.pass_obj
def web(app: App, port: int, host: str, exposed_ok: bool, public_unsubscribe_only: bool) -> None:
    """Open the web dashboard (log in with the printed token)."""
    import uvicorn

    from moneyprinter.web.server import create_app

    if host not in LOOPBACK and not exposed_ok:
        raise UsageError(f"--host {host} would let other machines reach the dashboard",
                         hint="add --i-know-this-exposes-it if you mean it (put TLS in front), or leave out --host")
    if host not in LOOPBACK:
        click.echo(f"WARNING: listening on {host}: anyone who can reach this address can try to log in. "
                   "Put it behind TLS (a reverse proxy) and keep the token secret.", err=True)
    web_app = create_app(app, public_only=public_unsubscribe_only)
    config = uvicorn.Config(web_app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=False, server_header=False)
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    _announce(server, shown, web_app, public_unsubscribe_only)
    server.run()


def _announce(server, host: str, web_app, public_only: bool) -> None:
    """Print the address once the socket is bound (port 0 picks one), and the token once, when it is new."""
    started = server.startup

    async def startup(sockets=None):
        await started(sockets=sockets)
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else server.config.port
        what = "unsubscribe endpoint" if public_only else "moneyprinter web"
        click.echo(f"{what}: http://{host}:{port}/" + ("u/TOKEN" if public_only else ""), err=False)
        if web_app.state.token_created and not public_only:
            click.echo(f"access token (shown once; it is kept in the data directory's web/token): {web_app.state.token}")
        elif not public_only:
            click.echo("log in with the token in web/token in the data directory")

    server.startup = startup


def register(group: click.Group) -> None:
    group.add_command(web)
