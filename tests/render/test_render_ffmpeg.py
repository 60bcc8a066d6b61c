"""The ffmpeg backend, checked on real short renders with ffmpeg's own analysis filters."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from moneyprinter.errors import ProviderError
from moneyprinter.media import audio_mix, render_ffmpeg
from moneyprinter.media.ffmpeg_run import ffmpeg_exe, run_ffmpeg
from moneyprinter.media.render import render_short
from tests.render import media_inputs, probe

pytestmark = pytest.mark.slow


def test_full_size_short_meets_the_delivery_spec(make_draft, settings, tmp_path):
    draft = make_draft(seconds=3.1, images=3)  # Ken Burns, crossfades, music and subtitles all on
    out = render_short(draft, tmp_path / "short.mp4", settings)

    i = probe.info(out)
    assert abs(i.duration - draft.voice_duration) <= 0.2
    assert i.video.startswith("h264 (High)")
    assert "yuv420p" in i.video
    assert i.size == (1080, 1920)
    assert i.fps == 30
    assert i.audio.startswith("aac")
    assert probe.frame_count(out) == round(draft.voice_duration * 30)
    boxes = probe.top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    level = probe.loudness(out)
    assert -15 <= level.integrated <= -13
    assert level.true_peak <= -1.0
    assert probe.black_intervals(out) == []
    assert "title           : Test short" in probe.header(out)
    assert out.with_suffix(".srt").read_text().startswith("1\n00:00:00,300 --> ")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("render-")] == []  # work folder removed


@pytest.mark.parametrize("aspect,size", [("16:9", (1920, 1080)), ("1:1", (1080, 1080))])
def test_other_aspects_have_their_sizes(make_draft, settings, tmp_path, aspect, size):
    draft = make_draft(seconds=1.0, images=1, cues=False, music=False, aspect=aspect)
    out = render_short(draft, tmp_path / "short.mp4", settings)
    i = probe.info(out)
    assert i.size == size and abs(i.duration - 1.0) <= 0.2


def test_subtitles_are_burned_in_at_cue_midpoints(make_draft, settings, tmp_path, small_frames):
    draft = make_draft(seconds=3.0, images=2)
    with_subs = render_short(draft, tmp_path / "subs.mp4", settings)
    settings.subtitles.enabled = False
    without = render_short(draft, tmp_path / "plain.mp4", settings)

    for cue in draft.cues:
        mid = (cue.start + cue.end) / 2
        diff = np.abs(probe.frame_at(with_subs, mid).astype(int) - probe.frame_at(without, mid).astype(int))
        assert (diff > 60).mean() > 0.002, f"no subtitle visible at {mid:.2f} s"
    # Before the first cue both renders show the same picture (up to encoder noise).
    early = np.abs(probe.frame_at(with_subs, 0.1).astype(int) - probe.frame_at(without, 0.1).astype(int))
    assert (early > 60).mean() < 0.0005


def test_word_timings_move_the_highlight(make_draft, settings, tmp_path, small_frames):
    settings.render.ken_burns = False
    settings.subtitles.hook = False
    draft = make_draft(seconds=3.0, images=1, words=True, music=False)
    out = render_short(draft, tmp_path / "words.mp4", settings)
    ass = out.with_suffix(".ass").read_text()
    assert ass.count(",Caption,") == sum(len(c.words) for c in draft.cues)  # karaoke: one event per word
    assert "{\\c&H003FD2FF&}BRIGHT{\\c&H00FFFFFF&}" in ass
    first, second = draft.cues[0].words[:2]
    a = probe.frame_at(out, (first.start + first.end) / 2).astype(int)
    b = probe.frame_at(out, (second.start + second.end) / 2).astype(int)
    assert (np.abs(a - b) > 60).mean() > 0.0005  # same still, same text: only the highlight moved


def test_no_crossfade_and_no_music_still_match_the_voice(make_draft, settings, tmp_path, small_frames):
    settings.render.crossfade_s = 0
    settings.render.ken_burns = False
    draft = make_draft(seconds=2.4, images=3, music=False, cues=False, voice_level=0.02)  # quiet voice: gain up
    out = render_short(draft, tmp_path / "cut.mp4", settings)
    assert probe.frame_count(out) == 72
    assert -15 <= probe.loudness(out).integrated <= -13


def test_timeline_frames_add_up_with_crossfades():
    plan = render_ffmpeg.Timeline.plan(8, 60.0, 0.4)
    assert plan.fade == 12
    assert plan.total_frames == 1800
    assert max(plan.frames) - min(plan.frames) <= 1
    assert render_ffmpeg.Timeline.plan(1, 5.0, 0.4).fade == 0


def test_a_broken_image_is_one_clear_error_and_leaves_no_output(make_draft, settings, tmp_path, small_frames):
    draft = make_draft(seconds=1.0, images=2, cues=False)
    draft.images[1].write_bytes(b"not a png at all")
    with pytest.raises(ProviderError) as err:
        render_short(draft, tmp_path / "bad.mp4", settings)
    assert "ffmpeg failed" in str(err.value)
    assert not (tmp_path / "bad.mp4").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("render-")] == []


def test_missing_input_is_named(make_draft, settings, tmp_path):
    draft = make_draft(seconds=1.0, images=1, cues=False)
    draft.voice.unlink()
    with pytest.raises(ProviderError, match="voice.wav"):
        render_short(draft, tmp_path / "x.mp4", settings)


def test_a_hung_ffmpeg_is_killed_at_the_timeout(tmp_path):
    started = time.monotonic()
    with pytest.raises(ProviderError, match="did not finish within 1 s"):
        run_ffmpeg(["-re", "-f", "lavfi", "-i", "anullsrc", "-t", "60", "-f", "null", "-"],
                   what="test", timeout=1, cwd=tmp_path)
    assert time.monotonic() - started < 10
    assert not [cmd for cmd in _command_lines() if ffmpeg_exe() in cmd and "anullsrc" in cmd]


def _command_lines() -> list[str]:
    lines = []
    for proc in Path("/proc").iterdir():
        try:
            lines.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return lines


def test_peaky_voice_is_limited_to_the_true_peak_ceiling(make_draft, settings, tmp_path, small_frames):
    draft = make_draft(seconds=4.0, images=1, cues=False, music=False, voice_level=0.03)
    samples = media_inputs.speechlike(4.0, 0.03)
    samples[::9600] = 0.99  # clicks: a plain gain to -14 LUFS would push them far over -1 dBTP
    media_inputs.write_wav(draft.voice, samples)
    assert "loudnorm" in audio_mix.normalise_filter(draft, settings.render, tmp_path)
    out = render_short(draft, tmp_path / "peaky.mp4", settings)
    level = probe.loudness(out)
    assert -15 <= level.integrated <= -13
    assert level.true_peak <= -1.0


def test_crossfades_and_pans_have_no_jumps(make_draft, settings, tmp_path, small_frames):
    settings.render.ken_burns_travel = 0.2  # exaggerated motion: a misplaced piece would show as a jump
    settings.subtitles.transitions = "fade"
    settings.subtitles.hook = False
    draft = make_draft(seconds=4.0, images=2, cues=False, music=False)
    out = render_short(draft, tmp_path / "smooth.mp4", settings)
    frames = probe.gray_frames(out)
    steps = np.abs(np.diff(frames.astype(int), axis=0)).mean(axis=(1, 2))
    settings.render.crossfade_s = 0
    cut = probe.gray_frames(render_short(draft, tmp_path / "cut.mp4", settings)).astype(int)
    cut_step = np.abs(np.diff(cut, axis=0)).mean(axis=(1, 2)).max()
    assert steps.max() < cut_step / 4, f"largest frame-to-frame change {steps.max():.1f} vs a hard cut {cut_step:.1f}"


def test_timeline_keeps_given_shot_lengths_and_shares_the_rest():
    plan = render_ffmpeg.Timeline.plan(3, 6.0, 0.4, [2.5, 2.0, 1.5])
    assert plan.total_frames == 180
    assert plan.frames == (85, 68, 51)  # in proportion, the transitions' overlaps shared alike
    mixed = render_ffmpeg.Timeline.plan(3, 6.0, 0.0, [3.0, None, None])
    assert mixed.frames == (90, 45, 45)
    too_long = render_ffmpeg.Timeline.plan(2, 4.0, 0.0, [6.0, 2.0])  # scaled to fit the voice
    assert too_long.frames == (90, 30)


def test_each_caption_preset_brings_its_transitions(settings):
    styles = {name: settings.subtitles.style(name).transitions for name in ("karaoke", "classic", "boxed")}
    assert styles == {"karaoke": "mixed", "classic": "fade", "boxed": "slide"}
    assert [render_ffmpeg.transition_name("mixed", k) for k in range(1, 6)] == [
        "zoomin", "slideleft", "fade", "slideup", "zoomin"]
    settings.subtitles.transitions = "zoom"
    assert settings.subtitles.style("classic").transitions == "zoom"  # the setting overrides the preset
