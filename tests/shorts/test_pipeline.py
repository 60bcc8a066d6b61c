"""The whole pipeline: a local model server, the real Piper voice, procedural pictures, a small test renderer.

(The real renderer, media.render.render_short, is tested in tests/render.)
"""

from __future__ import annotations

import json
import os

import pytest

from moneyprinter import errors
from moneyprinter.shorts import stages as short_stages
from moneyprinter.platforms.youtube import YouTube, scheduled_short
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account, get_account
from tests.shorts import simple_render
from tests.shorts.conftest import SCRIPT
from tests.support.httpserver import Reply

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_demo_makes_a_short_and_says_where_it_is(shorts_app, cli, model_server):
    result = cli("demo")
    assert result.exit_code == 0, result.output
    account = get_account(shorts_app.db, "youtube", "demo")
    assert account.topic
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    mp4 = item.media_path
    assert f"Your Short is ready: {mp4}" in result.output.replace("\n", "")
    assert os.path.getsize(mp4) > 10_000
    assert item.status == "outbox" and item.title == "The Octopus Colour Trick"
    # A hook (the answer's first sentence), the body and a call to action (the format's, as the answer had none).
    assert item.body == " ".join(SCRIPT[:3]) + " Follow for more about surprising science facts."
    meta = item.metadata
    assert meta["topic"] == "How octopuses change their colour" and "shorts" in meta["tags"]
    assert abs(meta["duration"] - json.loads((short_stages.Path(item.work_dir) / "voice.json").read_text())["duration"]) < 0.2
    assert set(meta["stage_seconds"]) == set(short_stages.STAGES)
    work = short_stages.Path(item.work_dir)
    assert not (work / "tmp").exists()  # temporary files cleaned up on success
    for artifact in ("topic.txt", "script.txt", "metadata.json", "prompts.json", "images/00.png", "images/01.png",
                     "voice.wav", "voice.json", "cues.json", "music.wav", "short.mp4"):
        assert (work / artifact).exists(), artifact
    outbox = json.loads((shorts_app.settings and (short_stages.Path(os.environ["MONEYPRINTER_HOME"]) / "outbox" / "youtube" / "demo" / str(item.id) / "metadata.json")).read_text())
    assert outbox["title"] == "The Octopus Colour Trick" and outbox["media"] == "short.mp4"
    # per-stage progress lines and the summary
    for stage in short_stages.STAGES:
        assert stage in result.output
    assert "Duration:" in result.output and "Time per stage" in result.output

    listed = cli("videos", "--account", "demo")
    assert str(item.id) in listed.output and "outbox" in listed.output

    # a rerun of a finished Short reuses everything and asks nothing again
    calls = model_server.count("POST", "/v1/chat/completions")
    again = cli("short", "--account", "demo", "--resume", str(item.id))
    assert again.exit_code == 0 and "reused" in again.output
    assert model_server.count("POST", "/v1/chat/completions") == calls
    assert content.get_item(shorts_app.db, item.id).status == "outbox"  # still handed over, not submitted twice


def test_missing_key_fails_before_any_work(shorts_app, cli, monkeypatch):
    add_account(shorts_app.db, "youtube", "keyless")
    monkeypatch.setenv("MONEYPRINTER_SHORTS__TEXT_PROVIDER", "mistral")
    from moneyprinter.app import App

    app = App()
    try:
        with pytest.raises(errors.NeedsKey):
            YouTube(app, "keyless").make_short()
        assert content.list_items(app.db) == []
    finally:
        app.close()


def test_failed_stage_keeps_artifacts_and_resume_continues(shorts_app, model_server, monkeypatch):
    account = add_account(shorts_app.db, "youtube", "sea", topic="sea animals")

    def broken(draft, out, settings):
        raise errors.ProviderError("render: ffmpeg exited with status 1")

    monkeypatch.setattr(short_stages, "load_renderer", lambda: broken)
    with pytest.raises(errors.ProviderError) as info:
        YouTube(shorts_app, account).make_short(topic="How octopuses hide from sharks", aspect="1:1", publish=False)
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    assert f"--resume {item.id}" in info.value.hint and item.work_dir in info.value.hint
    assert item.status == "failed" and item.error.startswith("render: ")
    work = short_stages.Path(item.work_dir)
    assert (work / "topic.txt").read_text() == "How octopuses hide from sharks"
    voice_mtime = (work / "voice.wav").stat().st_mtime_ns
    calls = model_server.count("POST", "/v1/chat/completions")

    monkeypatch.setattr(short_stages, "load_renderer", lambda: simple_render.render_short)
    result = YouTube(shorts_app, account).resume(item.id, publish=False)
    assert result.mp4.exists() and result.stage_seconds["voice"] == 0.0 and result.stage_seconds["render"] > 0
    assert (work / "voice.wav").stat().st_mtime_ns == voice_mtime
    assert model_server.count("POST", "/v1/chat/completions") == calls
    item = content.get_item(shorts_app.db, item.id)
    assert item.status == "ready" and item.metadata["aspect"] == "1:1"  # not published: --no-publish

    # deleting one artifact makes that stage and every later one again; earlier ones are reused
    (work / "cues.json").unlink()
    (work / "music.json").write_text('{"path": null}')  # stale: must be remade from the new cues onwards
    result = YouTube(shorts_app, account).resume(item.id, publish=False)
    assert result.stage_seconds["voice"] == 0.0 and result.stage_seconds["subtitles"] > 0
    remade = json.loads((work / "music.json").read_text())
    assert remade["path"] == "music.wav" and remade["source"] == "library"


def test_word_timed_subtitles_from_assemblyai(shorts_app, home, server, monkeypatch):
    from moneyprinter.app import App
    from tests.shorts.conftest import write_config

    config = (home / "config.toml").read_text()
    write_config(home, config.replace('images = 2', 'images = 1\nsubtitle_provider = "assemblyai"')
                 + f'\n[shorts.stt_assemblyai]\nbase_url = "{server.base_url}"\npoll_interval_s = 0.05\n')
    monkeypatch.setenv("ASSEMBLYAI_API_KEY", "aai-1")
    words = [{"text": w, "start": 100 + i * 300, "end": 350 + i * 300, "confidence": 0.9} for i, w in enumerate(" ".join(SCRIPT[:3]).split())]
    server.route("POST", "/v2/upload", Reply(200, {"upload_url": "https://cdn.example/u/1"}))
    server.route("POST", "/v2/transcript", Reply(200, {"id": "t9", "status": "queued", "audio_url": "https://cdn.example/u/1"}))
    server.route("GET", "/v2/transcript/t9", Reply(200, {"id": "t9", "status": "completed", "audio_url": "https://cdn.example/u/1",
                                                          "text": "x", "words": words}))
    app = App()
    try:
        account = add_account(app.db, "youtube", "words", topic="sea animals")
        result = YouTube(app, account).make_short(publish=False)
        cues = json.loads((result.mp4.parent / "cues.json").read_text())
        assert cues[0]["words"][0] == {"start": 0.1, "end": 0.35, "text": "Octopuses"}
        assert server.count("POST", "/v2/upload") == 1
        row = app.db.query_one("SELECT status FROM paid_requests WHERE provider = 'assemblyai'")
        assert row["status"] == "done"
    finally:
        app.close()


def test_cli_errors_are_one_line(shorts_app, cli):
    result = cli("short", "--account", "nobody")
    assert result.exit_code == 2 and "no youtube account named 'nobody'" in result.output
    add_account(shorts_app.db, "youtube", "x1")
    result = cli("short", "--account", "x1", "--resume", "999")
    assert result.exit_code == 2 and "no content item with id 999" in result.output
    result = cli("short", "--account", "x1", "--aspect", "4:3")
    assert result.exit_code == 2


def test_scheduled_short_and_health(shorts_app):
    add_account(shorts_app.db, "youtube", "sched", topic="sea animals")
    summary = scheduled_short(shorts_app, "sched")
    assert summary.startswith("Short ") and "short.mp4" in summary and "outbox" in summary

    from moneyprinter.cli.health_cmd import run_health

    report = run_health(shorts_app)
    results = {o.check.name: o.result for o in report.outcomes}
    for name in ("shorts: text provider", "shorts: voice provider", "shorts: image provider", "shorts: stock clips",
                 "shorts: subtitles", "shorts: music"):
        assert results[name].status.value == "PASS", (name, results[name])


def test_the_pipeline_renders_with_media_render():
    """The real pipeline calls moneyprinter.media.render.render_short (tests/render tests it)."""
    from moneyprinter.media.render import render_short

    assert short_stages.load_renderer() is render_short


def test_bad_input_is_one_line_without_a_progress_display(shorts_app, cli):
    add_account(shorts_app.db, "youtube", "x2")
    for args in (["--resume", "999"], ["--topic", " "]):
        result = cli("short", "--account", "x2", *args)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("error:"), result.output


def test_resume_refuses_an_aspect_other_than_the_shorts_own(shorts_app, cli):
    from moneyprinter.store import content

    account = add_account(shorts_app.db, "youtube", "x3")
    item = content.create_item(shorts_app.db, account.id, "short", status="failed", metadata={"aspect": "1:1"})
    result = cli("short", "--account", "x3", "--resume", str(item.id), "--aspect", "16:9")
    assert result.exit_code == 2 and "1:1" in result.output and "--aspect" in result.output, result.output


def test_ctrl_c_is_recorded_as_interrupted(shorts_app, monkeypatch):
    account = add_account(shorts_app.db, "youtube", "stop", topic="sea animals")

    def interrupted(draft, out, settings):
        raise KeyboardInterrupt

    monkeypatch.setattr(short_stages, "load_renderer", lambda: interrupted)
    with pytest.raises(KeyboardInterrupt):
        YouTube(shorts_app, account).make_short(topic="How octopuses hide", publish=False)
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    assert item.status == "failed" and item.error == "render: interrupted (Ctrl-C); resume with --resume"


def test_sigterm_is_recorded_as_interrupted(shorts_app, monkeypatch):
    import os
    import signal

    from moneyprinter.cli import _terminate
    from moneyprinter.errors import Terminated

    account = add_account(shorts_app.db, "youtube", "term", topic="sea animals")

    def killed(draft, out, settings):
        os.kill(os.getpid(), signal.SIGTERM)  # as kill, systemd or a scheduler timeout would

    monkeypatch.setattr(short_stages, "load_renderer", lambda: killed)
    previous = signal.signal(signal.SIGTERM, _terminate)  # what the CLI installs at start
    try:
        with pytest.raises(Terminated):
            YouTube(shorts_app, account).make_short(topic="How octopuses hide", publish=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    assert item.status == "failed" and item.error.startswith("render: stopped by a signal")


def test_preview_first_then_the_short_with_another_caption_preset(shorts_app, cli, monkeypatch):
    from moneyprinter.media.render import render_short
    from tests.render import probe

    monkeypatch.setattr(short_stages, "load_renderer", lambda: render_short)  # the real renderer
    add_account(shorts_app.db, "youtube", "sea", topic="sea animals")
    result = cli("short", "--account", "sea", "--topic", "How octopuses hide", "--preview", "--captions", "classic",
                 "--no-publish")
    assert result.exit_code == 0, result.output
    item = content.list_items(shorts_app.db, account_id=get_account(shorts_app.db, "youtube", "sea").id)[0]
    work = short_stages.Path(item.work_dir)
    preview = work / "preview.mp4"
    assert probe.info(preview).size == (360, 640) and not (work / "short.mp4").exists()
    assert str(preview) in result.output.replace("\n", "") and f"--resume {item.id}" in result.output
    assert item.status == "draft" and item.metadata["captions"] == "classic"

    again = cli("short", "--account", "sea", "--resume", str(item.id), "--captions", "boxed", "--no-publish")
    assert again.exit_code == 0, again.output
    item = content.get_item(shorts_app.db, item.id)
    assert item.status == "ready" and item.metadata["captions"] == "boxed"
    assert probe.info(work / "short.mp4").size == (1080, 1920)
    assert "\\p1}m " in (work / "short.ass").read_text()  # the boxed preset's rounded boxes
    assert item.metadata["stage_seconds"]["voice"] == 0.0  # only the render was made again


def test_an_account_keeps_its_caption_preset(shorts_app, cli):
    add_account(shorts_app.db, "youtube", "sea", topic="sea animals")
    assert cli("accounts", "edit", "youtube", "sea", "--captions", "boxed").exit_code == 0
    assert get_account(shorts_app.db, "youtube", "sea").options["captions"] == "boxed"
    bad = cli("short", "--account", "sea", "--captions", "neon")
    assert bad.exit_code == 2 and "'neon' is not one of" in bad.output


@pytest.mark.parametrize("variable, value, key", [
    ("MONEYPRINTER_SHORTS__IMAGE_PROVIDER", "venice", "VENICE_API_KEY"),
    ("MONEYPRINTER_SHORTS__SUBTITLE_PROVIDER", "assemblyai", "ASSEMBLYAI_API_KEY"),
    ("MONEYPRINTER_SHORTS__VIDEO_PROVIDER", "pexels", "PEXELS_API_KEY"),
])
def test_every_selected_provider_is_checked_before_the_script_is_written(
        shorts_app, model_server, cli, monkeypatch, variable, value, key):
    add_account(shorts_app.db, "youtube", "keyless")
    monkeypatch.setenv(variable, value)
    result = cli("short", "--account", "keyless")
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(key in line for line in lines) and "Traceback" not in result.output
    assert sum(line.startswith("error") for line in lines) == 1, result.output
    assert model_server.count("POST", "/v1/chat/completions") == 0  # no script was asked for
    assert content.list_items(shorts_app.db) == []


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), SystemExit(143)])
def test_the_progress_line_of_an_interrupted_stage_shows_the_whole_resume_hint(exc):
    import io

    from rich.console import Console

    from moneyprinter.terminal.shorts import RichStageProgress
    from moneyprinter.platforms.youtube import _failure

    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=False, color_system=None)
    with RichStageProgress(console) as progress:
        progress.start("render")
        progress.fail("render", 1.0, _failure(exc))
    line = next(line for line in out.getvalue().splitlines() if "failed:" in line)
    assert line.rstrip().endswith("--resume") and len(line.rstrip()) <= 80, line
