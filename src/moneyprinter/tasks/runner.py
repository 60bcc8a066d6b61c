"""The task's own process (``moneyprinter task run ID``): runs the Short and writes each stage as it goes."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import TYPE_CHECKING

from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.shorts.stages import STAGES
from moneyprinter.store import accounts as account_repo
from moneyprinter.store import tasks as task_repo
from moneyprinter.store.db import utcnow
from moneyprinter.store.locks import lock_path
from moneyprinter.store.states import TaskStatus
from moneyprinter.tasks.control import BATCH, resume_hint

if TYPE_CHECKING:
    from moneyprinter.app import App
    from moneyprinter.platforms.youtube import ShortResult

log = logging.getLogger(__name__)
PUBLISH = "publish"
SCRIPT_STAGES = STAGES[: STAGES.index("metadata") + 1]


class TaskReporter:
    """A ``StageReporter`` that records each stage in the task's row and events, with the share done."""

    def __init__(self, app: App, task_id: int, steps: tuple[str, ...]) -> None:
        self.app, self.task_id, self.steps = app, task_id, steps

    def _share(self, stage: str) -> float:
        return (self.steps.index(stage) + 1) / len(self.steps) if stage in self.steps else 0.0

    def start(self, stage: str) -> None:
        task_repo.update_task(self.app.db, self.task_id, stage=stage, message=f"{stage}...",
                              event=(stage, "started"))

    def finish(self, stage: str, seconds: float, note: str, reused: bool) -> None:
        message = "reused" if reused else f"done in {seconds:.1f} s: {note}"
        task_repo.update_task(self.app.db, self.task_id, stage=stage, progress=self._share(stage),
                              message=f"{stage}: {message}"[:300], event=(stage, message))

    def fail(self, stage: str, seconds: float, error: str) -> None:
        task_repo.update_task(self.app.db, self.task_id, stage=stage, message=f"{stage} failed",
                              event=(stage, f"failed: {error}"))


def run_task(app: App, task_id: int) -> int:
    """Run a recorded task to its end; the exit code of ``moneyprinter task run``."""
    task = task_repo.get_task(app.db, task_id)
    if task.status != TaskStatus.QUEUED:
        raise UsageError(f"task {task_id} is {task.status}, not queued", hint="a task runs once; start a new one")
    task_repo.update_task(app.db, task_id, status=TaskStatus.RUNNING, started_at=utcnow(), event=("", "running"))
    try:
        return _run(app, task)
    finally:  # the end is recorded: the lock's file is no longer probed (its lock dies with this process)
        lock_path(task.lock_name).unlink(missing_ok=True)


def _run(app: App, task) -> int:
    task_id = task.id
    try:
        message, item_id = (_run_batch if task.kind == BATCH else _run_short)(app, task)
    except MoneyPrinterError as exc:
        return _end(app, task_id, TaskStatus.FAILED, f"failed: {exc.message}", exc.message, exc.hint)
    except (KeyboardInterrupt, SystemExit):  # SIGTERM or Ctrl-C: recorded, then the process ends
        _end(app, task_id, TaskStatus.INTERRUPTED, "interrupted: stopped by a signal", "stopped by a signal",
             resume_hint(app, task_repo.get_task(app.db, task_id)))
        raise
    except Exception as exc:  # a bug: the traceback goes to the task's log, the task says what happened
        log.exception("task %s failed", task_id)
        error = f"unexpected {exc.__class__.__name__}: {exc}"
        return _end(app, task_id, TaskStatus.FAILED, f"failed: {error}", error, "details in the log file")
    task_repo.update_task(app.db, task_id, status=TaskStatus.DONE, progress=1.0, message=message, item_id=item_id,
                          finished_at=utcnow(), event=("", message))
    return 0


def _end(app: App, task_id: int, status: TaskStatus, message: str, error: str, hint: str | None) -> int:
    task_repo.update_task(app.db, task_id, status=status, message=message[:300], error=error[:1000], hint=hint,
                          finished_at=utcnow(), event=("", message[:300]))
    return 1


def _run_short(app: App, task) -> tuple[str, int]:
    from moneyprinter.platforms.youtube import YouTube

    params = task.params
    account = account_repo.get_account_by_id(app.db, task.account_id)
    steps = SCRIPT_STAGES if params.get("script_only") else (*STAGES, PUBLISH)
    youtube = YouTube(app, account, reporter=TaskReporter(app, task.id, steps))
    if params.get("script_only"):
        item = youtube.draft_script(params.get("topic"), params.get("aspect") or "9:16")
        return f"script ready for review: item {item.id} '{item.title}'", item.id
    if params.get("resume") is not None:
        task_repo.update_task(app.db, task.id, item_id=params["resume"])
        result = youtube.resume(params["resume"], publish=params.get("publish", True), captions=params.get("preset"))
    else:
        result = youtube.make_short(
            params.get("topic"), params.get("aspect") or "9:16", params.get("publish", True),
            captions=params.get("preset"),
            on_created=lambda item_id: task_repo.update_task(app.db, task.id, item_id=item_id,
                                                             event=("", f"item {item_id} created")))
    return _published(app, task.id, result), result.item_id


def _published(app: App, task_id: int, result: ShortResult) -> str:
    outcome = "; ".join([result.published or "not handed to a publisher", *result.crossed])  # and each cross-post
    task_repo.update_task(app.db, task_id, stage=PUBLISH, progress=1.0, event=(PUBLISH, outcome))
    return f"Short {result.item_id} '{result.title}' ({result.duration:.1f} s): {outcome}"


def _run_batch(app: App, task) -> tuple[str, int | None]:
    """The batch's lines through ``short_batch`` (parallel, resumable: the same lines again resume them)."""
    from moneyprinter.platforms import short_batch

    lines = task.params["lines"]
    entries = [short_batch.BatchEntry(n, line["account"], line.get("topic"), line.get("aspect") or "9:16",
                                      line.get("preset")) for n, line in enumerate(lines, start=1)]
    text = "\n".join(json.dumps(line, sort_keys=True) for line in lines)
    key_file = app.data_dir / "tasks" / f"batch-{hashlib.sha256(text.encode()).hexdigest()[:16]}.jsonl"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_text(text + "\n", encoding="utf-8")
    ended = []

    def done(result) -> None:
        ended.append(result)
        note = f"{result.status}: item {result.item_id} {result.title}" if result.item_id else result.status
        task_repo.update_task(app.db, task.id, stage=f"line {result.line}", progress=len(ended) / len(entries),
                              message=note[:300], event=(f"line {result.line}", f"{note} {result.error}".strip()[:300]))

    results = short_batch.run_batch(app, entries, short_batch.BatchProgress(key_file), publish=task.params["publish"],
                                    on_done=done)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise UsageError(f"{len(failed)} of {len(results)} Shorts failed (line {failed[0].line}: {failed[0].error})",
                         hint="start the same batch again: the Shorts that were made are kept")
    return f"{len(results)} Shorts made", None
