"""The ``moneyprinter`` command line. Without a subcommand it opens the interactive menu.

Errors: a ``MoneyPrinterError`` is printed as one line (with its fix) and sets the exit
code; anything unexpected is logged with its traceback and reported in one line.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable

import click

from moneyprinter import __version__, paths
from moneyprinter.app import App
from moneyprinter.errors import MoneyPrinterError, Terminated
from moneyprinter.logging_setup import setup_logging
from moneyprinter.registry import DuplicateRegistration, Registry
from moneyprinter.terminal.output import print_error

log = logging.getLogger("moneyprinter")

# Each capability adds its commands with a ``register(group)`` function in its own module.
COMMAND_MODULES: Registry[Callable[[click.Group], None]] = Registry("command module")
for _capability in ("config", "accounts", "health", "shorts", "publishing", "x", "scheduler", "outreach",
                    "bluesky", "tiktok", "meta", "mastodon", "web"):
    COMMAND_MODULES.register(_capability, f"moneyprinter.cli.{_capability}_cmd:register")
for _capability in ("tasks", "mcp"):  # background tasks of the web app, the API and MCP; the MCP server
    COMMAND_MODULES.register(_capability, f"moneyprinter.cli.{_capability}_cmd:register")
COMMAND_MODULES.register("account_groups", "moneyprinter.cli.account_groups_cmd:register")  # `moneyprinter groups`

# Which command module adds each top-level command. A module is imported when one of its commands
# runs (or for --help), so a cron line or a job process does not import every capability: the CLI
# starts in about half the time. A test checks this list against what each module really adds.
COMMAND_OWNERS: dict[str, str] = {
    "config": "config", "accounts": "accounts", "health": "health",
    "demo": "shorts", "short": "shorts", "videos": "shorts",
    "publish": "publishing", "publish-due": "publishing", "publications": "publishing", "review": "publishing",
    "outbox": "publishing", "x": "publishing", "youtube": "publishing",
    "tweet": "x", "posts": "x", "pitch": "x", "products": "x",
    "run": "scheduler", "schedule": "scheduler", "scheduler": "scheduler",
    "outreach": "outreach", "bluesky": "bluesky", "tiktok": "tiktok", "instagram": "meta", "threads": "meta",
    "mastodon": "mastodon", "web": "web", "task": "tasks", "tasks": "tasks", "mcp": "mcp",
    "groups": "account_groups",
}


class MoneyPrinterGroup(click.Group):
    def __init__(self, *args, owners: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owners = owners or {}  # command name -> the COMMAND_MODULES entry that adds it when first asked for

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.owners))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.owners:
            COMMAND_MODULES.get(self.owners[name])(self)  # adds every command of that module
        return self.commands.get(name)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Like click's, but a second command under a taken name is an error instead of replacing the first."""
        name = name or cmd.name
        if name in self.commands and self.commands[name] is not cmd:
            raise DuplicateRegistration(f"command '{name}' is registered twice")
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MoneyPrinterError as exc:
            log.debug("command failed", exc_info=True)
            print_error(exc)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # a bug: keep the traceback for the log, one line for the user
            log.error("unexpected error", exc_info=True, extra={"console": False})  # the user gets one line below
            log_file = ctx.obj.log_file if isinstance(ctx.obj, App) else None
            where = f"; details in {log_file}" if log_file else ""
            click.echo(f"error: unexpected {exc.__class__.__name__}: {exc}{where}", err=True)
            ctx.exit(1)


@click.group(cls=MoneyPrinterGroup, owners=COMMAND_OWNERS, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Debug output on the console (-vv: also HTTP libraries).")
@click.option("--skip-health", is_flag=True, help="Do not run the health summary when the menu starts.")
@click.version_option(__version__, prog_name="moneyprinter")
@click.pass_context
def main(ctx: click.Context, verbose: int, skip_health: bool) -> None:
    """Make YouTube Shorts, post on X, pitch affiliate links and send cold email, on your own machine.

    Run without a command for the interactive menu.
    """
    signal.signal(signal.SIGTERM, _terminate)
    log_file = setup_logging(verbose)
    log.debug("moneyprinter %s (Python %s); data directory %s; log file %s",
              __version__, sys.version.split()[0], paths.data_dir(), log_file)
    app = App(log_file=log_file)
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        from moneyprinter.menu.main import run_menu

        sys.exit(run_menu(app, skip_health=skip_health))


def _terminate(signum, frame) -> None:
    """``kill``, systemd or a scheduler timeout: stop like Ctrl-C so work in progress is recorded."""
    raise Terminated

