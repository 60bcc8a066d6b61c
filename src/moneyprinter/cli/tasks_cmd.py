"""``moneyprinter tasks`` (the background tasks of the web app, the API and MCP) and the hidden
``moneyprinter task run ID`` that a task's own process runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from moneyprinter.terminal.output import console, print_json, table

if TYPE_CHECKING:
    from moneyprinter.app import App


@click.group("task", hidden=True)
def task_group() -> None:
    """A background task's own process (started by the web app, the API or MCP)."""


@task_group.command("run")
@click.argument("task_id", type=int)
@click.pass_obj
def task_run(app: App, task_id: int) -> None:
    """Run task ID to its end, recording each stage."""
    from moneyprinter.tasks.runner import run_task

    raise SystemExit(run_task(app, task_id))


@click.command("tasks")
@click.option("--status", default=None, help="Only tasks in this state (queued, running, done, failed, interrupted).")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def tasks_cmd(app: App, status: str | None, limit: int, as_json: bool) -> None:
    """Shorts started from the web app, the REST API or an MCP client, newest first."""
    from dataclasses import asdict

    from moneyprinter import tasks

    found, total = tasks.list_tasks(app, status=status, limit=limit)
    if as_json:
        print_json([{k: v for k, v in asdict(t).items() if k not in ("lock_name", "pid")} for t in found])
        return
    if not found:
        click.echo("no tasks yet")
        return
    rows = [[t.id, t.kind, t.status, f"{t.progress:.0%}", t.item_id or "", (t.error or t.message)[:60],
             t.created_at[:16].replace("T", " ")] for t in found]
    console.print(table(f"Tasks ({len(found)} of {total})", ["id", "kind", "status", "done", "item", "message", "started"], rows))
    for t in found:
        if t.hint and t.status in ("failed", "interrupted"):
            click.echo(f"task {t.id}: {t.hint}")


def register(group: click.Group) -> None:
    group.add_command(task_group)
    group.add_command(tasks_cmd)
