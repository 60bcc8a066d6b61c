"""Starting tasks and reading where they stand (the side of the web app, the API and MCP)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import moneyprinter
from moneyprinter.errors import UsageError
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store import accounts as account_repo
from moneyprinter.store import tasks as task_repo
from moneyprinter.store.locks import NamedLock
from moneyprinter.store.states import TaskStatus
from moneyprinter.store.tasks import Event, Task

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)
SHORT = "short"
BATCH = "batch"


def start_short(app: App, *, account: str, topic: str | None = None, aspect: str | None = None,
                preset: str | None = None, script_only: bool = False, resume: int | None = None,
                publish: bool = True) -> int:
    """Check the request, record a task and start its process; returns the task id at once.

    ``preset`` is the caption preset; ``resume`` continues a Short that stopped (it keeps its topic
    and aspect); ``script_only`` stops after topic, script and metadata, for a person to read them.
    """
    from moneyprinter.platforms.youtube import YouTube  # loads the pipeline's modules: only when used

    acc = account_repo.get_account(app.db, "youtube", account)
    if preset is not None and preset not in CAPTION_PRESETS:
        raise UsageError(f"unknown caption preset '{preset}'", hint="use " + ", ".join(CAPTION_PRESETS))
    if script_only and resume is not None:
        raise UsageError("script_only cannot be combined with resume", hint="resume goes on to the video")
    YouTube(app, acc).check_request(topic, aspect, resume)
    params = {"topic": topic, "aspect": aspect, "preset": preset, "script_only": script_only, "resume": resume,
              "publish": publish}
    return _launch(app, SHORT, acc.id, params)


def start_batch(app: App, *, lines: list[dict], publish: bool = True) -> int:
    """One task for several Shorts, each line a dict with ``account``, ``topic``, ``aspect``, ``preset``."""
    if not lines:
        raise UsageError("the batch is empty", hint="give at least one line with an account")
    from moneyprinter.platforms.youtube import YouTube

    checked = []
    for number, line in enumerate(lines, start=1):
        unknown = set(line) - {"account", "topic", "aspect", "preset"}
        if unknown:
            raise UsageError(f"batch line {number}: unknown field {', '.join(sorted(unknown))}",
                             hint="a line has account, topic, aspect and preset")
        if not line.get("account"):
            raise UsageError(f"batch line {number}: no account", hint="name a YouTube account")
        acc = account_repo.get_account(app.db, "youtube", line["account"])
        preset = line.get("preset")
        if preset is not None and preset not in CAPTION_PRESETS:
            raise UsageError(f"batch line {number}: unknown caption preset '{preset}'",
                             hint="use " + ", ".join(CAPTION_PRESETS))
        YouTube(app, acc).check_request(line.get("topic"), line.get("aspect"))
        checked.append({"account": acc.nickname, "topic": line.get("topic"), "aspect": line.get("aspect") or "9:16",
                        "preset": preset})
    return _launch(app, BATCH, None, {"lines": checked, "publish": publish})


def _launch(app: App, kind: str, account_id: int | None, params: dict) -> int:
    """Record the task under a held lock, then hand the lock to its process: the task is alive exactly
    as long as some process holds that lock (flock dies with its holder, even on kill -9)."""
    lock = NamedLock(f"task-{uuid.uuid4().hex}")
    if not lock.acquire():  # a fresh random name: only a broken locks folder refuses it
        raise UsageError("cannot take a lock for the new task", hint=f"check that {lock.path.parent} is writable")
    try:
        task = task_repo.create_task(app.db, kind, lock_name=lock.name, account_id=account_id, params=params)
        try:
            proc = _spawn(app, task.id, lock.fileno())
        except OSError as exc:
            task_repo.update_task(app.db, task.id, status=TaskStatus.FAILED, error=f"cannot start its process: {exc}",
                                  message="could not start", event=("", "could not start"))
            raise UsageError(f"task {task.id} could not start its process ({exc})",
                             hint="check the Python installation and the data directory") from None
        task_repo.update_task(app.db, task.id, pid=proc.pid)
        threading.Thread(target=proc.wait, name=f"task-{task.id}-reaper", daemon=True).start()  # no zombie left
    finally:
        lock.release()  # the child holds the lock from here on
    log.info("task %s (%s) started as process %s", task.id, kind, proc.pid)
    return task.id


def task_log(app: App, task_id: int) -> Path:
    folder = app.data_dir / "tasks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{task_id}.log"


def _spawn(app: App, task_id: int, lock_fd: int) -> subprocess.Popen:
    """``python -m moneyprinter task run ID`` in a session of its own (a server's Ctrl-C or restart does
    not reach it), with this checkout's package first on the path and the same data directory."""
    env = dict(os.environ)
    package_root = str(Path(moneyprinter.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["MONEYPRINTER_HOME"] = str(app.data_dir)
    with open(task_log(app, task_id), "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "moneyprinter", "task", "run", str(task_id)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env,
            pass_fds=(lock_fd,), start_new_session=True, cwd=str(app.data_dir),
        )


def get_task(app: App, task_id: int) -> Task:
    """Where the task stands; one whose process is gone is recorded ``interrupted`` first."""
    task = task_repo.get_task(app.db, task_id)
    if task.active and _process_gone(task):
        _mark_interrupted(app, task)
        task = task_repo.get_task(app.db, task_id)
    return task


def list_tasks(app: App, *, status: str | None = None, account: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[Task], int]:
    """Newest first, and the number that match; ``account`` is a YouTube account's nickname."""
    for task in task_repo.active_tasks(app.db):
        if _process_gone(task):
            _mark_interrupted(app, task)
    account_id = account_repo.get_account(app.db, "youtube", account).id if account else None
    if status is not None and status not in TaskStatus.__members__.values():
        raise UsageError(f"unknown task status '{status}'", hint="use " + ", ".join(s.value for s in TaskStatus))
    return task_repo.list_tasks(app.db, status=status, account_id=account_id, limit=limit, offset=offset)


def recent(app: App, limit: int = 15) -> list[Task]:
    """The newest tasks (a page's "recently started" list)."""
    return list_tasks(app, limit=limit)[0]


FINISHED = tuple(s.value for s in TaskStatus if s not in task_repo.ACTIVE)  # done, failed, interrupted


def events(app: App, task_id: int, after_seq: int = 0) -> list[Event]:
    """The task's events after ``after_seq`` (a stream resumes from the last one it sent)."""
    get_task(app, task_id)  # NotFound, and an interrupted task says so in its last event
    return task_repo.events(app.db, task_id, after_seq)


def _process_gone(task: Task) -> bool:
    return NamedLock(task.lock_name).is_free()


def _mark_interrupted(app: App, task: Task) -> None:
    task_repo.end_if_active(app.db, task.id, TaskStatus.INTERRUPTED, message="interrupted: its process stopped",
                            error="the task's process stopped before it finished", hint=resume_hint(app, task))


def resume_hint(app: App, task: Task) -> str:
    """How to go on: resume the Short when it exists, else start it again."""
    if task.kind == BATCH:
        return "start the batch again: the Shorts that were done are kept"
    nickname = None
    if task.account_id is not None:
        try:
            nickname = account_repo.get_account_by_id(app.db, task.account_id).nickname
        except UsageError:
            nickname = None
    if task.item_id is not None and nickname:
        return (f"resume it: moneyprinter short --account {nickname} --resume {task.item_id} "
                f"(or POST /api/v1/shorts/{task.item_id}/resume)")
    return "start it again: nothing was made yet"
