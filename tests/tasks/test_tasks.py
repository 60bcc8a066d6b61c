"""Background tasks: a Short runs in its own process, its stages land in SQLite, a dead process reads 'interrupted'."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from moneyprinter import tasks
from moneyprinter.errors import NotFound, UsageError
from moneyprinter.store import content
from moneyprinter.store import tasks as task_repo
from tests.shorts.conftest import answer_for, chat_reply
from tests.support.httpserver import Reply


def wait_for(app, task_id, statuses=("done", "failed", "interrupted"), timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = tasks.get_task(app, task_id)
        if task.status in statuses:
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} is still {task.status}: {task.message}")


def test_a_script_only_task_runs_in_its_own_process_and_records_each_stage(script_app, cli):
    task_id = tasks.start_short(script_app, account="sea", topic="How octopuses hide", script_only=True)
    first = tasks.get_task(script_app, task_id)
    assert first.status in ("queued", "running") and first.pid and first.pid != os.getpid()
    task = wait_for(script_app, task_id)
    assert task.status == "done", (task.error, (script_app.data_dir / "tasks" / f"{task_id}.log").read_text())
    assert task.progress == 1.0 and task.item_id and "script ready for review" in task.message
    item = content.get_item(script_app.db, task.item_id)
    assert item.status == "draft" and item.title == "The Octopus Colour Trick"
    events = tasks.events(script_app, task_id, 0)
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    started = [e.stage for e in events if e.message == "started"]
    assert started == ["topic", "script", "metadata"]
    assert [e.seq for e in tasks.events(script_app, task_id, seqs[2])] == seqs[3:]
    listed, total = tasks.list_tasks(script_app, status="done", account="sea")
    assert total == 1 and listed[0].id == task_id
    assert [t.id for t in tasks.recent(script_app)] == [task_id] and listed[0].topic == "How octopuses hide"
    assert task.status in tasks.FINISHED and set(tasks.FINISHED) == {"done", "failed", "interrupted"}
    assert tasks.list_tasks(script_app, status="failed")[1] == 0
    from moneyprinter.store.locks import lock_path

    assert not lock_path(task.lock_name).exists()  # an ended task leaves no lock file behind
    listed = cli("tasks")
    assert listed.exit_code == 0 and "done" in listed.output and "100%" in listed.output
    shown = json.loads(cli("tasks", "--json").output)
    assert shown[0]["item_id"] == task.item_id and "lock_name" not in shown[0] and "pid" not in shown[0]
    again = cli("task", "run", str(task_id))
    assert again.exit_code == 2 and f"task {task_id} is done, not queued" in again.output


def running_past_the_topic(app, model_server, topic="How octopuses hide"):
    """A task held in its script stage by a slow model (the topic is given), with its item made."""
    model_server.route("POST", "/v1/chat/completions",
                       lambda req: Reply(200, chat_reply(answer_for(req.json())).body, delay=3.0))
    task_id = tasks.start_short(app, account="sea", topic=topic)
    deadline = time.monotonic() + 60
    task = tasks.get_task(app, task_id)
    while task.item_id is None or task.stage in ("", "topic"):
        assert time.monotonic() < deadline and task.status in ("queued", "running"), task
        time.sleep(0.1)
        task = tasks.get_task(app, task_id)
    return task


def test_a_task_whose_process_died_is_interrupted_with_the_way_on(script_app, model_server):
    task = running_past_the_topic(script_app, model_server)
    os.kill(task.pid, signal.SIGKILL)
    task = wait_for(script_app, task.id, statuses=("interrupted",), timeout=10)
    assert task.error == "the task's process stopped before it finished"
    assert f"moneyprinter short --account sea --resume {task.item_id}" in task.hint
    assert tasks.events(script_app, task.id)[-1].message == "interrupted: its process stopped"
    # a finished task is never turned into an interrupted one
    assert not task_repo.end_if_active(script_app.db, task.id, "interrupted", message="x")


def test_a_terminated_task_records_its_own_interruption(script_app, model_server):
    task = running_past_the_topic(script_app, model_server)
    os.kill(task.pid, signal.SIGTERM)
    task = wait_for(script_app, task.id, timeout=20)
    assert task.status == "interrupted" and task.error == "stopped by a signal"
    assert f"--resume {task.item_id}" in task.hint


def test_bad_requests_fail_at_once_and_record_nothing(script_app):
    with pytest.raises(NotFound, match="no YouTube account named 'nobody'|nobody"):
        tasks.start_short(script_app, account="nobody")
    with pytest.raises(UsageError, match="unknown caption preset 'neon'"):
        tasks.start_short(script_app, account="sea", preset="neon")
    with pytest.raises(UsageError, match="unknown aspect '4:3'"):
        tasks.start_short(script_app, account="sea", aspect="4:3")
    with pytest.raises(NotFound, match="no task with id 99"):
        tasks.get_task(script_app, 99)
    assert tasks.list_tasks(script_app)[1] == 0


def test_the_status_check_lists_exactly_the_enum_and_ends_are_final(db):
    import re

    from moneyprinter.store.states import TASK_STATES, IllegalTransition, TaskStatus, advance_task

    sql = db.query_one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tasks'")[0]
    listed = re.search(r"CHECK \(status IN \(([^)]*)\)\)", sql).group(1)
    assert sorted(re.findall(r"'([^']*)'", listed)) == sorted(s.value for s in TaskStatus)
    for end in ("done", "failed", "interrupted"):
        assert TASK_STATES.transitions[TaskStatus(end)] == frozenset()
    with pytest.raises(IllegalTransition, match="background task: cannot go from 'done' to 'running'"):
        advance_task("done", "running")
