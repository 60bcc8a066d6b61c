"""``moneyprinter short``, ``moneyprinter videos`` and ``moneyprinter demo``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

import click
from click.core import ParameterSource

from moneyprinter.errors import UsageError
from moneyprinter.media.draft import ASPECTS
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store import accounts as account_repo
from moneyprinter.terminal.output import console, print_json

if TYPE_CHECKING:
    from moneyprinter.app import App

DEMO_ACCOUNT = "demo"
DEMO_NICHE = "surprising science facts"


@click.command("short")
@click.option("--account", "account_name", default=None, help="Nickname of the YouTube account (with --batch: for lines without one).")
@click.option("--topic", default=None, help="The Short's topic (default: the model picks one in the account's niche).")
@click.option("--publish/--no-publish", default=True, show_default=True, help="Hand the Short to the account's publisher.")
@click.option("--aspect", type=click.Choice(list(ASPECTS)), default="9:16", show_default=True)
@click.option("--resume", "resume_id", type=int, default=None, metavar="ID",
              help="Continue a Short that stopped (or a --script-only draft), reusing what it already made.")
@click.option("--script-only", is_flag=True, help="Stop after topic, script and metadata, to read and edit them first.")
@click.option("--captions", type=click.Choice(list(CAPTION_PRESETS)), default=None,
              help="Caption style of this Short (default: the account's, else [subtitles] preset).")
@click.option("--preview", is_flag=True,
              help="Make everything but the final video, then a quick low-resolution preview.mp4; "
                   "finish with --resume ID.")
@click.option("--batch", "batch_file", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="FILE",
              help="Make one Short per line: a topic, or JSON with account, topic, aspect, preset. Rerun to resume.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="With --batch: Shorts at once (default: one per core).")
@click.option("--json", "as_json", is_flag=True, help="With --script-only: print the draft; with --batch: the summary.")
@click.pass_obj
def short(app: App, account_name: str | None, topic: str | None, publish: bool, aspect: str, resume_id: int | None,
          script_only: bool, captions: str | None, preview: bool, batch_file: Path | None, jobs: int | None,
          as_json: bool) -> None:
    """Make a YouTube Short: script, voice, pictures, subtitles, music, video."""
    if batch_file is not None:
        if topic or resume_id is not None or captions or preview:
            raise UsageError("--batch cannot be combined with --topic, --resume, --captions or --preview",
                             hint="the file gives the topics; a JSON line may give a preset")
        app.settings  # noqa: B018
        from moneyprinter.terminal.shorts import run_batch_file

        run_batch_file(app, batch_file, account_name, jobs=jobs, publish=publish, as_json=as_json, aspect=aspect)
        return
    if jobs is not None or (as_json and not script_only):
        raise UsageError("--jobs and --json go with --batch (--json also with --script-only)",
                         hint="moneyprinter short --batch FILE --json, or --account NAME --script-only --json")
    if not account_name:
        raise UsageError("Missing option '--account'", hint="name the YouTube account: moneyprinter short --account NAME")
    if script_only and resume_id is not None:
        raise UsageError("--script-only cannot be combined with --resume", hint="--resume goes on to the video")
    app.settings  # noqa: B018 - a broken config is reported before any work starts
    account = account_repo.get_account(app.db, "youtube", account_name)
    if script_only:
        from moneyprinter.terminal.shorts import draft_with_progress, short_json

        item = draft_with_progress(app, account, topic=topic, aspect=aspect, quiet=as_json)
        if as_json:
            print_json(short_json(item))
        return
    from moneyprinter.terminal.shorts import make_short_with_progress  # loads the pipeline: only when used

    given = click.get_current_context().get_parameter_source("aspect") == ParameterSource.COMMANDLINE
    result = make_short_with_progress(app, account, topic=topic, aspect=aspect if given or resume_id is None else None,
                                      publish=publish, resume=resume_id, captions=captions, preview=preview)
    if result.exit_code:  # a cross-post was deferred (75) or failed: after every destination was tried
        raise SystemExit(result.exit_code)


@click.command("videos")
@click.option("--account", "account_name", required=True, help="Nickname of the YouTube account.")
@click.option("--json", "as_json", is_flag=True, help="Print the Shorts as JSON, with their words.")
@click.pass_obj
def videos(app: App, account_name: str, as_json: bool) -> None:
    """List an account's Shorts with their status and MP4 path."""
    from moneyprinter.terminal.shorts import videos_table

    account = account_repo.get_account(app.db, "youtube", account_name)
    if as_json:
        from moneyprinter.platforms.youtube import YouTube
        from moneyprinter.terminal.shorts import short_json

        print_json([short_json(item) for item in YouTube(app, account).videos()])
        return
    if not videos_table(app, account):
        console.print(f"No Shorts yet: make one with 'moneyprinter short --account {account.nickname}'.")


def demo_account(app: App):
    """The 'demo' YouTube account, created on first use."""
    try:
        return account_repo.get_account(app.db, "youtube", DEMO_ACCOUNT)
    except UsageError:
        return account_repo.add_account(app.db, "youtube", DEMO_ACCOUNT, topic=DEMO_NICHE)


@click.command("demo")
@click.option("--publish/--no-publish", default=True, show_default=True, help="Also write it to the outbox.")
@click.pass_obj
def demo(app: App, publish: bool) -> None:
    """Make a Short with the bundled offline defaults (account 'demo') and print where the MP4 is."""
    from moneyprinter.terminal.shorts import make_short_with_progress

    app.settings  # noqa: B018 - a broken config is reported before any work starts
    account = demo_account(app)
    console.print(f"Making a Short for the YouTube account '{account.nickname}' ({account.topic}), offline...")
    result = make_short_with_progress(app, account, publish=publish)
    console.print(f"\nYour Short is ready: {result.mp4}")


def register(group: click.Group) -> None:
    group.add_command(short)
    group.add_command(videos)
    group.add_command(demo)
