"""A script-only Short draft in the web app: its script sentence by sentence with the gate's reasons,
edits that the gate checks again, refusals as one line, and "render it" starting a task that resumes it."""

from __future__ import annotations

import time

from moneyprinter import tasks
from moneyprinter.store import content
from moneyprinter.store.states import TaskStatus
from moneyprinter.text.sentences import split_sentences
from tests.shorts.conftest import model_server  # noqa: F401 - the local model server the Shorts tests use
from tests.tasks.conftest import script_app  # noqa: F401
from tests.web.test_pages import _post

FINISHED = {TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.INTERRUPTED}


def wait_for(app, task_id: int, seconds: float = 240):
    deadline = time.monotonic() + seconds
    while (task := tasks.get_task(app, task_id)).status not in FINISHED:
        assert time.monotonic() < deadline, f"task {task_id} still {task.status} at {task.stage}"
        time.sleep(0.2)
    return task


def make_draft(app) -> int:
    task_id = tasks.start_short(app, account="sea", topic="How octopuses hide", script_only=True)
    task = wait_for(app, task_id, 120)
    assert task.status == TaskStatus.DONE, (task.error, task.hint)
    return task.item_id


def test_a_draft_is_edited_sentence_by_sentence_then_rendered(script_app):  # noqa: F811
    from tests.web.conftest import WebServer, login

    item_id = make_draft(script_app)
    with WebServer(script_app) as server:
        session = login(server.url, server.token)
        page = session.get(f"{server.url}/drafts/{item_id}").text
        before = content.get_item(script_app.db, item_id)
        count = len(split_sentences(before.body))
        assert f"Sentence {count} of {count}" in page and "Render it" in page and before.title in page
        assert f'action="/drafts/{item_id}/sentence/2"' in page
        history = session.get(f"{server.url}/history?kind=short").text
        assert f'href="/drafts/{item_id}"' in history  # the draft is reachable from the history

        _, flash = _post(session, server, f"/drafts/{item_id}/sentence/2", f"/drafts/{item_id}",
                         text="This sentence should only appear once.")
        assert flash["kind"] == "ok" and "meta talk" in flash["text"], flash  # the gate ran on the new words
        page = session.get(f"{server.url}/drafts/{item_id}").text
        assert "This sentence should only appear once." in page and "meta talk" in page
        new = "An octopus can change colour in a fraction of a second."
        _, flash = _post(session, server, f"/drafts/{item_id}/sentence/2", f"/drafts/{item_id}", text=new)
        assert flash["kind"] == "ok" and "passes" in flash["text"], flash
        item = content.get_item(script_app.db, item_id)
        assert new in item.body and not item.metadata.review_reasons

        for path, form, message in [
            (f"/drafts/{item_id}/sentence/9", {"text": "Octopuses are clever."}, f"has sentences 1 to {count}, not 9"),
            (f"/drafts/{item_id}/sentence/1", {"text": "  "}, "is empty"),
            (f"/drafts/{item_id}/edit", {"title": "", "description": "d", "tags": "octopus"}, "a YouTube title"),
            (f"/drafts/{item_id}/edit", {"tags": "the, and"}, "tags that say nothing"),
        ]:
            _, flash = _post(session, server, path, f"/drafts/{item_id}", **form)
            assert flash["kind"] == "error" and message in flash["text"], (path, flash)
        assert content.get_item(script_app.db, item_id).body == item.body  # a refused edit changes nothing

        _, flash = _post(session, server, f"/drafts/{item_id}/edit", f"/drafts/{item_id}", title="Octopus Colour Magic",
                         description="How octopuses vanish.", tags="octopus, camouflage")
        assert flash["kind"] == "ok", flash
        item = content.get_item(script_app.db, item_id)
        assert (item.title, item.metadata.tags) == ("Octopus Colour Magic", ["octopus", "camouflage"])

        answer, flash = _post(session, server, f"/drafts/{item_id}/render", f"/drafts/{item_id}")
        task_id = int(answer.headers["location"].rsplit("/", 1)[1])
        assert answer.headers["location"] == f"/make/tasks/{task_id}" and flash["kind"] == "ok"
        task = wait_for(script_app, task_id)
        assert task.status == TaskStatus.DONE and task.item_id == item_id, (task.error, task.hint)
        rendered = content.get_item(script_app.db, item_id)
        assert new in rendered.body and rendered.media_path.endswith("short.mp4")
        assert rendered.title == "Octopus Colour Magic"
        gone = session.get(f"{server.url}/drafts/{item_id}")
        assert gone.status_code == 400 and "is not a script-only Short draft" in gone.text  # rendered: no longer a draft
