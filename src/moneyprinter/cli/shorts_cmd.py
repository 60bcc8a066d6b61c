"""``moneyprinter short``, ``moneyprinter videos`` and ``moneyprinter demo``."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from moneyprinter.cli.output import console, print_json, table
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


def draft_with_progress(app, account, *, topic=None, aspect="9:16", quiet=False):
    """Topic, script and metadata only (``--script-only``), under the progress display unless ``quiet``."""
    from moneyprinter.cli.short_progress import RichStageProgress
    from moneyprinter.platforms.youtube import YouTube

    youtube = YouTube(app, account)
    youtube.check_request(topic, aspect)
    if quiet:
        return youtube.draft_script(topic, aspect)
    with RichStageProgress(console) as progress:
        youtube.reporter = progress
        item = youtube.draft_script(topic, aspect)
    print_draft(item, account)
    return item


def short_json(item) -> dict:
    """A Short's words as JSON: what --json prints for one draft and what 'videos --json' lists."""
    from moneyprinter.text.sentences import split_sentences

    meta = item.metadata
    return {
        "id": item.id, "status": item.status, "title": item.title, "description": meta.get("description", ""),
        "tags": meta.get("tags", []), "sentences": split_sentences(item.body or ""),
        "approval": "review" if meta.get("review_reasons") else "by account",
        "review_reasons": meta.get("review_reasons", []), "topic": meta.get("topic", ""),
        "media_path": item.media_path, "work_dir": item.work_dir,
    }


def print_draft(item, account) -> None:
    data = short_json(item)
    console.print(f"[bold]{data['title']}[/]  (item {item.id}, {item.status})")
    for sentence in data["sentences"]:
        console.print(f"  {sentence}", highlight=False)
    console.print(f"tags: {', '.join(data['tags'])}", highlight=False)
    for reason in data["review_reasons"]:
        console.print(f"[yellow]review:[/] {reason}", highlight=False)
    console.print(f"Edit script.txt and metadata.json in {item.work_dir}, then make the video with "
                  f"'moneyprinter short --account {account.nickname} --resume {item.id}'.", highlight=False)


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
def short(app, account_name: str | None, topic: str | None, publish: bool, aspect: str, resume_id: int | None,
          script_only: bool, captions: str | None, preview: bool, batch_file: Path | None, jobs: int | None,
          as_json: bool) -> None:
    """Make a YouTube Short: script, voice, pictures, subtitles, music, video."""
    if batch_file is not None:
        if topic or resume_id is not None or captions or preview:
            raise UsageError("--batch cannot be combined with --topic, --resume, --captions or --preview",
                             hint="the file gives the topics; a JSON line may give a preset")
        app.settings  # noqa: B018
        run_batch_file(app, batch_file, account_name, jobs=jobs, publish=publish, as_json=as_json, aspect=aspect)
        return
    if jobs is not None or (as_json and not script_only):
        raise UsageError("--jobs and --json go with --batch (--json also with --script-only)",
                         hint="moneyprinter short --batch FILE --json, or --account NAME --script-only --json")
    if not account_name:
        raise UsageError("Missing option '--account'", hint="name the YouTube account: moneyprinter short --account NAME")
    if resume_id is not None and topic:
        raise UsageError("--topic cannot be combined with --resume", hint="a resumed Short keeps its topic")
    if script_only and resume_id is not None:
        raise UsageError("--script-only cannot be combined with --resume", hint="--resume goes on to the video")
    app.settings  # noqa: B018 - a broken config is reported before any work starts
    account = account_repo.get_account(app.db, "youtube", account_name)
    if resume_id is not None and click.get_current_context().get_parameter_source("aspect") == ParameterSource.COMMANDLINE:
        from moneyprinter.store import content
        from moneyprinter.store.content_meta import ShortMeta

        meta = content.get_item(app.db, resume_id).metadata
        own = meta.aspect if isinstance(meta, ShortMeta) else "9:16"  # not a Short: resume says so next
        if aspect != own:  # a resumed Short keeps its aspect; saying otherwise was silently ignored
            raise UsageError(f"Short {resume_id} is {own}; --resume cannot change it to --aspect {aspect}",
                             hint="leave --aspect out, or make a new Short with --aspect")
    if script_only:
        item = draft_with_progress(app, account, topic=topic, aspect=aspect, quiet=as_json)
        if as_json:
            print_json(short_json(item))
        return
    make_short_with_progress(app, account, topic=topic, aspect=aspect, publish=publish, resume=resume_id,
                             captions=captions, preview=preview)


def run_batch_file(app, batch_file: Path, account_name: str | None, *, jobs=None, publish=True, as_json=False,
                   aspect: str = "9:16") -> list:
    """Make every Short of a batch file, print one line per Short as it ends, then a table (or JSON). Shared with the menu."""
    import json

    from moneyprinter.platforms import short_batch

    entries = short_batch.parse_batch(batch_file, account_name, aspect)
    progress = short_batch.BatchProgress(batch_file)
    workers = jobs or short_batch.default_jobs()
    if not as_json:
        console.print(f"Making {len(entries)} Shorts from {batch_file.name}, {workers} at a time...")

    def done(result) -> None:
        if not as_json:
            mark = {"made": "[green]made[/green]", "done earlier": "[dim]done earlier[/dim]"}.get(result.status, "[red]failed[/red]")
            console.print(f"  line {result.line}: {mark} {result.title or result.topic} {result.error}")

    results = short_batch.run_batch(app, entries, progress, jobs=workers, publish=publish, on_done=done)
    if as_json:
        click.echo(json.dumps(short_batch.summary(results), indent=2))
    else:
        rows = [[r.line, r.account, r.item_id or "", r.status, (r.title or r.topic)[:50],
                 f"{r.duration:.1f} s" if r.duration else "", r.mp4 or r.error[:60]] for r in results]
        console.print(table(f"Batch {batch_file.name}", ["line", "account", "id", "status", "title", "length", "mp4 / error"], rows))
        failed = sum(r.status == "failed" for r in results)
        if failed:
            console.print(f"{failed} failed: run the same command again to resume them.")
    if any(r.status == "failed" for r in results):
        raise click.exceptions.Exit(1)
    return results


def videos_table(app, account) -> list:
    from moneyprinter.platforms.youtube import YouTube, is_stopped

    items = YouTube(app, account).videos()
    stopped = {i.id for i in items if is_stopped(i)}
    rows = [[i.id, i.created_at[:16].replace("T", " "), "stopped" if i.id in stopped else i.status,
             i.title or (i.error or "")[:60],
             f"{i.metadata.duration:.1f} s" if i.metadata.duration else "", i.media_path or ""]
            for i in items]
    console.print(table(f"Shorts of {account.nickname}", ["id", "created", "status", "title / error", "length", "mp4"], rows))
    for item_id in sorted(stopped):
        click.echo(f"Short {item_id} stopped while generating (its process is gone); "
                   f"resume it: moneyprinter short --account {account.nickname} --resume {item_id}")
    return items


@click.command("videos")
@click.option("--account", "account_name", required=True, help="Nickname of the YouTube account.")
@click.option("--json", "as_json", is_flag=True, help="Print the Shorts as JSON, with their words.")
@click.pass_obj
def videos(app, account_name: str, as_json: bool) -> None:
    """List an account's Shorts with their status and MP4 path."""
    account = account_repo.get_account(app.db, "youtube", account_name)
    if as_json:
        from moneyprinter.platforms.youtube import YouTube

        print_json([short_json(item) for item in YouTube(app, account).videos()])
        return
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
