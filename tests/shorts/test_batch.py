"""``moneyprinter short --batch FILE``: topics or JSONL, bounded parallelism, resumable, a table and JSON."""

from __future__ import annotations

import json
import threading

import pytest

from moneyprinter.platforms import short_batch
from moneyprinter.shorts import stages as short_stages
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account
from tests.shorts import simple_render

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_bad_lines_are_one_clear_error(tmp_path, cli, shorts_app):
    batch = tmp_path / "b.jsonl"
    batch.write_text('{"account": "a", "topic": "x", "colour": "red"}\n')
    result = cli("short", "--batch", str(batch))
    assert result.exit_code == 2 and "b.jsonl line 1: unknown field colour" in result.output
    batch.write_text("# ideas\n\nWhy cats purr\n")
    result = cli("short", "--batch", str(batch))
    assert result.exit_code == 2 and "line 3: no account" in result.output
    batch.write_text('{"account": "a", "topic": "x", "aspect": "4:3"}\n')
    assert "unknown aspect '4:3'" in cli("short", "--batch", str(batch)).output
    result = cli("short", "--batch", str(tmp_path / "missing.txt"), "--account", "a")
    assert result.exit_code == 2 and "cannot read the batch file" in result.output
    assert "--jobs and --json go with --batch" in cli("short", "--account", "a", "--json").output


def test_a_batch_runs_in_parallel_resumes_and_summarises(tmp_path, cli, shorts_app, monkeypatch):
    add_account(shorts_app.db, "youtube", "main", topic="sea animals")
    add_account(shorts_app.db, "youtube", "second", topic="history")
    batch = tmp_path / "ideas.jsonl"
    batch.write_text("How octopuses hide\n"
                     '{"account": "second", "topic": "Octopus skin colour", "aspect": "1:1", "preset": "boxed"}\n'
                     "Why octopuses hunt crabs\n")
    renders_at_once, most, lock = [0], [0], threading.Lock()
    fail_once = {"Why octopuses hunt crabs"}
    overlap = threading.Event()

    def render(draft, out, settings):
        with lock:
            renders_at_once[0] += 1
            most[0] = max(most[0], renders_at_once[0])
        try:
            if (out.parent.parent / "topic.txt").read_text() in fail_once:
                fail_once.clear()
                from moneyprinter.errors import ProviderError
                raise ProviderError("render: ffmpeg exited with status 1")
            overlap.set() if renders_at_once[0] > 1 else overlap.wait(20)  # the first render waits for a second
            return simple_render.render_short(draft, out, settings)
        finally:
            with lock:
                renders_at_once[0] -= 1

    monkeypatch.setattr(short_stages, "load_renderer", lambda: render)
    first = cli("short", "--batch", str(batch), "--account", "main", "--jobs", "2", "--no-publish")
    assert first.exit_code == 1, first.output
    assert "line 3" in first.output and "failed" in first.output and "run the same command again" in first.output
    assert most[0] == 2, first.output  # two renders overlapped: bounded by --jobs, not one at a time
    items = {i.metadata.get("topic_given"): i for i in content.list_items(shorts_app.db, kind="short")}
    assert items["Octopus skin colour"].metadata["aspect"] == "1:1" and items["Octopus skin colour"].metadata["captions"] == "boxed"
    assert items["Why octopuses hunt crabs"].status == "failed"

    again = cli("short", "--batch", str(batch), "--account", "main", "--json", "--no-publish")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.output)
    assert [r["status"] for r in summary] == ["done earlier", "done earlier", "made"]
    assert summary[2]["item_id"] == items["Why octopuses hunt crabs"].id  # resumed, not made anew
    assert all(r["mp4"].endswith("short.mp4") for r in summary)
    assert len(content.list_items(shorts_app.db, kind="short")) == 3
    assert summary[1]["account"] == "second" and summary[1]["title"]


def test_take_turns_holds_the_lock_for_all_but_the_render():
    lock = threading.Lock()
    turns = short_batch.TakeTurns(lock)
    turns.start("script")
    assert lock.locked()
    turns.finish("script", 1.0, "", False)
    turns.start("render")
    assert not lock.locked()
    turns.finish("topic", 0.0, "reused", True)  # a reused stage never took the lock: nothing to release
    assert not lock.locked()


def test_plain_lines_take_the_command_line_account_and_aspect(tmp_path):
    batch = tmp_path / "ideas.txt"
    batch.write_text('Why cats purr\n{"account": "other", "topic": "Dog noses", "aspect": "9:16"}\n')
    plain, jsonl = short_batch.parse_batch(batch, "main", "1:1")
    assert (plain.account, plain.aspect, plain.topic) == ("main", "1:1", "Why cats purr")
    assert (jsonl.account, jsonl.aspect, jsonl.preset) == ("other", "9:16", None)
    # an edited line is another Short, not the old one's progress
    assert short_batch.BatchProgress.key(plain) != short_batch.BatchProgress.key(
        short_batch.BatchEntry(1, "main", "Why cats meow", "1:1"))


def test_a_short_whose_cross_post_failed_is_shown_and_counted(tmp_path, cli, shorts_app, monkeypatch, unbuilt_mastodon):
    from moneyprinter.publishers.destinations import set_destinations

    home = add_account(shorts_app.db, "youtube", "main", topic="sea animals")
    add_account(shorts_app.db, "tiktok", "cook-tt")
    add_account(shorts_app.db, "mastodon", "cook.social", publisher="mastodon_api")  # not built here: it fails
    set_destinations(shorts_app.db, home, ["tiktok:cook-tt", "mastodon:cook.social"])
    monkeypatch.setattr(short_stages, "load_renderer", lambda: simple_render.render_short)
    batch = tmp_path / "ideas.txt"
    batch.write_text("How octopuses hide\n")

    made = cli("short", "--batch", str(batch), "--account", "main", "--jobs", "1")
    assert made.exit_code == 1, made.output  # the worst destination's code, as for one Short
    item = content.list_items(shorts_app.db, kind="short")[0]
    out = " ".join(made.output.split())
    assert f"item {item.id} -> mastodon 'cook.social': failed" in out
    assert f"item {item.id} -> tiktok 'cook-tt': written to the outbox" in out
    assert "a cross-post failed" in out and f"moneyprinter publish {item.id}" in out

    summary = json.loads(cli("short", "--batch", str(batch), "--account", "main", "--json").output)
    assert summary[0]["status"] == "done earlier"  # the Short is not made again
    assert content.get_item(shorts_app.db, item.id).status == "outbox"  # its own publication is not touched


def test_the_batch_exit_code_is_the_worst_like_one_shorts():
    def made(code=0, status="made"):
        return short_batch.BatchResult(1, "main", "t", status, exit_code=code)

    assert short_batch.exit_code([made(), made()]) == 0
    assert short_batch.exit_code([made(), made(75)]) == 75  # deferred only: publish-due finishes it
    assert short_batch.exit_code([made(75), made(1)]) == 1
    assert short_batch.exit_code([made(75), made(status="failed")]) == 1
    assert made(75).cross_post_trouble == "a cross-post was deferred" and made().cross_post_trouble == ""
