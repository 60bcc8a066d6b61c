"""A rich progress display for making a Short: one line per stage with its elapsed time, and a summary."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from moneyprinter.cli.output import table
from moneyprinter.shorts.stages import STAGES
from moneyprinter.platforms.youtube import ShortResult


NOTE_CHARS = 44  # keeps each line within 80 columns, so the elapsed time is never cut


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
        note = note if len(note) <= NOTE_CHARS else note[: NOTE_CHARS - 1] + "…"
        if reused:
            self.progress.start_task(task)
        self.progress.update(task, completed=1, note=f"[dim]{note}[/]" if reused else note)
        self.progress.stop_task(task)

    def fail(self, stage: str, seconds: float, error: str) -> None:
        task = self.tasks[stage]
        self.progress.update(task, note=f"[red]failed: {error[:NOTE_CHARS]}[/]")
        self.progress.stop_task(task)


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
        console.print(f"[bold]Published:[/] {result.published}")
    if result.next_step:
        console.print(f"[bold]Next:[/]     {result.next_step}")
