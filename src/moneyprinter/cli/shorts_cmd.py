"""``moneyprinter short``, ``moneyprinter videos`` and ``moneyprinter demo``."""

from __future__ import annotations

import click
from click.core import ParameterSource

from moneyprinter.cli.output import console, table
from moneyprinter.errors import UsageError
from moneyprinter.media.draft import ASPECTS
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store import accounts as account_repo

DEMO_ACCOUNT = "demo"
DEMO_NICHE = "surprising science facts"


def make_short_with_progress(app, account, *, topic=None, aspect="9:16", publish=True, resume=None, captions=None,
                             preview=False):
    """Run the pipeline under the rich progress display and print the summary. Shared with the menu."""
    from moneyprinter.cli.short_progress import RichStageProgress, print_summary
    from moneyprinter.platforms.youtube import YouTube

    youtube = YouTube(app, account)
    youtube.check_request(topic, aspect, resume)  # bad input is one line, not a progress display with an error under it
    with RichStageProgress(console) as progress:
        youtube.reporter = progress
        if resume:
            result = youtube.resume(resume, publish=publish, captions=captions, preview=preview)
        else:
            result = youtube.make_short(topic, aspect, publish, captions=captions, preview=preview)
    print_summary(console, result)
    return result


@click.command("short")
@click.option("--account", "account_name", required=True, help="Nickname of the YouTube account.")
@click.option("--topic", default=None, help="The Short's topic (default: the model picks one in the account's niche).")
@click.option("--publish/--no-publish", default=True, show_default=True, help="Hand the Short to the account's publisher.")
@click.option("--aspect", type=click.Choice(list(ASPECTS)), default="9:16", show_default=True)
@click.option("--resume", "resume_id", type=int, default=None, metavar="ID",
              help="Continue a Short that stopped, reusing what it already made.")
@click.option("--captions", type=click.Choice(list(CAPTION_PRESETS)), default=None,
              help="Caption style of this Short (default: the account's, else [subtitles] preset).")
@click.option("--preview", is_flag=True,
              help="Make everything but the final video, then a quick low-resolution preview.mp4; "
                   "finish with --resume ID.")
@click.pass_obj
def short(app, account_name: str, topic: str | None, publish: bool, aspect: str, resume_id: int | None,
          captions: str | None, preview: bool) -> None:
    """Make a YouTube Short: script, voice, pictures, subtitles, music, video."""
    if resume_id is not None and topic:
        raise UsageError("--topic cannot be combined with --resume", hint="a resumed Short keeps its topic")
    app.settings  # noqa: B018 - a broken config is reported before any work starts
    account = account_repo.get_account(app.db, "youtube", account_name)
    if resume_id is not None and click.get_current_context().get_parameter_source("aspect") == ParameterSource.COMMANDLINE:
        from moneyprinter.store import content

        own = content.get_item(app.db, resume_id).metadata.get("aspect", "9:16")
        if aspect != own:  # a resumed Short keeps its aspect; saying otherwise was silently ignored
            raise UsageError(f"Short {resume_id} is {own}; --resume cannot change it to --aspect {aspect}",
                             hint="leave --aspect out, or make a new Short with --aspect")
    make_short_with_progress(app, account, topic=topic, aspect=aspect, publish=publish, resume=resume_id,
                             captions=captions, preview=preview)


def videos_table(app, account) -> list:
    from moneyprinter.platforms.youtube import YouTube

    items = YouTube(app, account).videos()
    rows = [[i.id, i.created_at[:16].replace("T", " "), i.status, i.title or (i.error or "")[:60],
             f"{i.metadata.get('duration', 0):.1f} s" if i.metadata.get("duration") else "", i.media_path or ""]
            for i in items]
    console.print(table(f"Shorts of {account.nickname}", ["id", "created", "status", "title / error", "length", "mp4"], rows))
    return items


@click.command("videos")
@click.option("--account", "account_name", required=True, help="Nickname of the YouTube account.")
@click.pass_obj
def videos(app, account_name: str) -> None:
    """List an account's Shorts with their status and MP4 path."""
    account = account_repo.get_account(app.db, "youtube", account_name)
    if not videos_table(app, account):
        console.print(f"No Shorts yet: make one with 'moneyprinter short --account {account.nickname}'.")


def demo_account(app):
    """The 'demo' YouTube account, created on first use."""
    try:
        return account_repo.get_account(app.db, "youtube", DEMO_ACCOUNT)
    except UsageError:
        return account_repo.add_account(app.db, "youtube", DEMO_ACCOUNT, topic=DEMO_NICHE)


@click.command("demo")
@click.option("--publish/--no-publish", default=True, show_default=True, help="Also write it to the outbox.")
@click.pass_obj
def demo(app, publish: bool) -> None:
    """Make a Short with the bundled offline defaults (account 'demo') and print where the MP4 is."""
    app.settings  # noqa: B018 - a broken config is reported before any work starts
    account = demo_account(app)
    console.print(f"Making a Short for the YouTube account '{account.nickname}' ({account.topic}), offline...")
    result = make_short_with_progress(app, account, publish=publish)
    console.print(f"\nYour Short is ready: {result.mp4}")


def register(group: click.Group) -> None:
    group.add_command(short)
    group.add_command(videos)
    group.add_command(demo)
