"""Making Shorts in a terminal: a rich progress display with one line per stage and its elapsed time,
the summary after it, a batch's lines and table, and the table of an account's Shorts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from moneyprinter.platforms.youtube import ShortResult, YouTube, is_stopped
from moneyprinter.shorts.stages import STAGES
from moneyprinter.store.accounts import Account
from moneyprinter.terminal.output import console, table

if TYPE_CHECKING:
    from moneyprinter.app import App

NOTE_CHARS = 44  # keeps each line within 80 columns, so the elapsed time is never cut
ERROR_CHARS = 47  # after "failed: ", the rest of an 80-column line


class RichStageProgress:
    """Implements ``StageReporter``; use as a context manager around ``make_short``."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description:<14}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}"),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichStageProgress:
        self.progress.start()
        for stage in STAGES:
            self.tasks[stage] = self.progress.add_task(stage, total=1, start=False, note="[dim]waiting[/]")
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def start(self, stage: str) -> None:
        self.progress.start_task(self.tasks[stage])
        self.progress.update(self.tasks[stage], note="[cyan]working...[/]")

    def finish(self, stage: str, seconds: float, note: str, reused: bool) -> None:
        task = self.tasks[stage]
        note = _fit(note, NOTE_CHARS)
        if reused:
            self.progress.start_task(task)
        self.progress.update(task, completed=1, note=f"[dim]{note}[/]" if reused else note)
        self.progress.stop_task(task)

    def fail(self, stage: str, seconds: float, error: str) -> None:
        task = self.tasks[stage]
        self.progress.update(task, note=f"[red]failed: {escape(_fit(error, ERROR_CHARS))}[/]")
        self.progress.stop_task(task)


def _fit(text: str, chars: int) -> str:
    """Cut visibly (an ellipsis), never mid-word silently: the full message follows as the error line."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def print_summary(console: Console, result: ShortResult) -> None:
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    rows = [[stage, f"{result.stage_seconds.get(stage, 0.0):.1f} s"] for stage in STAGES]
    rows.append(["total", f"{result.total_seconds:.1f} s"])
    console.print(table("Time per stage", ["stage", "time"], rows))
    console.print(f"[bold]Title:[/]    {result.title}")
    console.print(f"[bold]Duration:[/] {result.duration:.1f} s")
    console.print(f"[bold]Item:[/]     {result.item_id}")
    console.print(f"[bold green]MP4:[/]      {result.mp4}")
    if result.published:
        console.print(f"[bold]Published:[/] {escape(result.published)}")
    for line in result.crossed:  # one line per cross-post destination
        console.print(f"[bold]Cross-post:[/] {escape(line)}")
    if result.next_step:
        console.print(f"[bold]Next:[/]     {result.next_step}")


def make_short_with_progress(app: App, account: Account, *, topic: str | None = None, aspect: str | None = None,
                             publish: bool = True, resume: int | None = None, captions: str | None = None,
                             preview: bool = False) -> ShortResult:
    """Run the pipeline under the progress display and print the summary (``aspect`` None = the default,
    or the resumed Short's own)."""
    youtube = YouTube(app, account)
    youtube.check_request(topic, aspect, resume)  # bad input is one line, not a progress display with an error under it
    with RichStageProgress(console) as progress:
        youtube.reporter = progress
        if resume:
            result = youtube.resume(resume, publish=publish, captions=captions, preview=preview)
        else:
            result = youtube.make_short(topic, aspect or "9:16", publish, captions=captions, preview=preview)
    print_summary(console, result)
    return result


def videos_table(app: App, account: Account) -> list:
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


def run_batch_file(app: App, batch_file: Path, account_name: str | None, *, jobs=None, publish=True, as_json=False,
                   aspect: str = "9:16") -> list:
    """Make every Short of a batch file, print one line per Short as it ends, then a table (or JSON)."""
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


def draft_with_progress(app: App, account, *, topic=None, aspect="9:16", quiet=False):
    """Topic, script and metadata only (``--script-only``), under the progress display unless ``quiet``."""
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
