"""Captions, headlines, the title card and video shots, checked in real frames rendered by ffmpeg."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from moneyprinter.errors import ConfigError
from moneyprinter.media import captions
from moneyprinter.media.draft import Cue, Shot, ShortDraft, Word
from moneyprinter.media.render import render_short
from moneyprinter.media.subtitles import resolve_font
from tests.render import media_inputs, probe

pytestmark = pytest.mark.slow

# The longest word a script realistically has, and a long spoken line.
LONG = ("Internationalization is counterintuitive: octopuses have three hearts and blue blood "
        "running through their veins")


def _timed(text: str, start: float, end: float) -> Cue:
    words = text.split()
    step = (end - start) / len(words)
    return Cue(start, end, text, tuple(Word(start + i * step, start + (i + 1) * step, w) for i, w in enumerate(words)))


def _grey_draft(tmp_path: Path, seconds: float, aspect: str, cues: list[Cue], **shot) -> ShortDraft:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    image = folder / "grey.png"
    Image.new("RGB", (64, 64), (120, 120, 120)).save(image)
    voice = media_inputs.write_wav(folder / "voice.wav", media_inputs.speechlike(seconds))
    return ShortDraft(images=[], voice=voice, voice_duration=seconds, cues=cues, aspect=aspect, title="",
                      shots=[Shot(image, **shot)])


def _text_box(with_text: Path, plain: Path, times: list[float]) -> tuple[int, int, int, int]:
    """Union of the pixel bounding boxes of everything drawn over the plain picture at ``times``."""
    mask = None
    for t in times:
        diff = np.abs(probe.frame_at(with_text, t).astype(int) - probe.frame_at(plain, t).astype(int)).max(axis=2) > 40
        mask = diff if mask is None else mask | diff
    ys, xs = np.nonzero(mask)
    assert xs.size, "nothing drawn"
    return xs.min(), ys.min(), xs.max(), ys.max()


@pytest.mark.parametrize("preset,aspect", [("karaoke", "9:16"), ("boxed", "9:16"), ("classic", "9:16"),
                                           ("karaoke", "16:9"), ("karaoke", "1:1")])
def test_captions_and_headlines_stay_inside_the_safe_area(settings, tmp_path, preset, aspect):
    settings.render.ken_burns = False
    settings.subtitles.hook = False
    seconds = 6.0
    draft = _grey_draft(tmp_path, seconds, aspect, [_timed(LONG, 0.1, seconds - 0.1)],
                        headline="Counterintuitive internationalization")
    draft.captions = preset
    with_text = render_short(draft, tmp_path / "text.mp4", settings)
    settings.subtitles.enabled = False
    draft.shots = [Shot(draft.shots[0].path)]
    plain = render_short(draft, tmp_path / "plain.mp4", settings)

    w, h = draft.size
    left, top, right, bottom = _text_box(with_text, plain, [0.3 + i * 0.45 for i in range(12)])
    if aspect == "9:16":  # clear of the action buttons (right) and the title and description (bottom)
        assert left >= 0.08 * w - 2 and right <= 0.84 * w + 2, (left / w, right / w)
        assert top >= 0.15 * h - 2 and bottom <= 0.78 * h + 2, (top / h, bottom / h)
    else:
        assert left >= 0.08 * w - 2 and right <= 0.92 * w + 2 and top >= 0.08 * h - 2 and bottom <= 0.92 * h + 2


def test_one_font_size_for_the_whole_short(settings, tmp_path):
    style = settings.subtitles.style("karaoke")
    cues = [_timed("Tiny words", 0, 1), _timed(LONG, 1, 6), _timed("Supercalifragilisticexpialidociously long", 6, 8)]
    captions.write_ass(tmp_path / "a.ass", cues, (1080, 1920), style, hook=False)
    text = (tmp_path / "a.ass").read_text()
    caption_events = [line for line in text.splitlines() if ",Caption," in line]
    assert caption_events and not any(re.search(r"\\fs\d", line) for line in caption_events)  # no size per cue
    size = int(next(line for line in text.splitlines() if line.startswith("Style: Caption")).split(",")[2])
    captions.write_ass(tmp_path / "b.ass", cues[:2], (1080, 1920), style, hook=False)
    normal = int(next(line for line in (tmp_path / "b.ass").read_text().splitlines()
                      if line.startswith("Style: Caption")).split(",")[2])
    assert size < normal  # a word too long for the safe area lowers the size of every page alike
    lay = captions.Layout(style, (1080, 1920), cues)
    pages = lay.pages(cues)
    assert all(1 <= sum(len(line) for line in p.lines) <= 3 for p in pages)  # karaoke: 1-3 words a page
    assert all(max(lay.face.width(" ".join(line)) for line in p.lines) <= lay.text_width for p in pages)


def test_emoji_are_dropped_not_drawn_as_boxes(settings, tmp_path):
    face = captions.Face(resolve_font("Anton"), 96)
    assert face.clean("HONEY 🍯 NEVER SPOILS 🔥🔥 ✨") == "HONEY NEVER SPOILS"
    assert face.clean("CAFÉ DÉJÀ VU") == "CAFÉ DÉJÀ VU"
    style = settings.subtitles.style("karaoke")
    captions.write_ass(tmp_path / "a.ass", [_timed("Honey 🍯 never spoils 🔥.", 0, 2)], (1080, 1920), style,
                       hook=False)
    text = (tmp_path / "a.ass").read_text()
    assert "🍯" not in text and "🔥" not in text and "SPOILS" in text
    assert "Dialogue: 2,0:00:01.60,0:00:02.00,Caption,,0,0,0,,{\\an2\\pos(497,1344)}NEVER" not in text  # no lone "."


def test_caption_preset_per_short_and_unknown_presets(settings, tmp_path):
    draft = _grey_draft(tmp_path, 1.0, "9:16", [_timed("Honey never spoils", 0.1, 0.9)])
    draft.captions = "boxed"
    out = render_short(draft, tmp_path / "boxed.mp4", settings)
    assert "\\p1}m " in out.with_suffix(".ass").read_text()  # the rounded box
    draft.captions = "neon"
    with pytest.raises(ConfigError, match="unknown caption preset 'neon'"):
        render_short(draft, tmp_path / "x.mp4", settings)


def test_title_card_shows_for_the_first_seconds_only(settings, tmp_path):
    settings.render.ken_burns = False
    draft = _grey_draft(tmp_path, 3.0, "9:16", [])
    draft.title = "Three facts about octopuses"
    hook = render_short(draft, tmp_path / "hook.mp4", settings)
    settings.subtitles.hook = False
    plain = render_short(draft, tmp_path / "plain.mp4", settings)
    changed = lambda t: (np.abs(probe.frame_at(hook, t).astype(int) - probe.frame_at(plain, t).astype(int)) > 40).mean()
    assert changed(0.5) > 0.05  # a bold card over the first shot
    assert changed(2.2) < 0.001  # gone after 1.5 s


def test_video_clips_are_cropped_looped_and_joined_with_stills(settings, tmp_path, small_frames):
    settings.subtitles.hook = False
    folder = tmp_path / "in"
    folder.mkdir()
    wide = media_inputs.make_clip(folder / "wide.mp4", 1.0, (480, 270), bands=True)  # shorter than its shot
    moving = media_inputs.make_clip(folder / "moving.mp4", 4.0)
    still = media_inputs.make_image(folder / "still.png", 1)
    voice = media_inputs.write_wav(folder / "voice.wav", media_inputs.speechlike(6.0))
    draft = ShortDraft(images=[], voice=voice, voice_duration=6.0, shots=[
        Shot(wide, kind="video", duration=2.5), Shot(moving, kind="video", duration=2.0, offset=1.5),
        Shot(still, duration=1.5)])
    out = render_short(draft, tmp_path / "clips.mp4", settings)

    assert probe.frame_count(out) == 180
    assert probe.info(out).size == draft.size
    frame = probe.frame_at(out, 1.7).astype(int)  # the wide clip, looped past its 1 s, centre-cropped
    r, g, b = frame[..., 0].mean(), frame[..., 1].mean(), frame[..., 2].mean()
    assert g > 90 and r < 60 and b < 60, (r, g, b)  # only the green middle third: the centre of the frame
    assert probe.frozen_intervals(out, 1.0) == []


def test_a_file_that_is_not_a_video_is_named(settings, tmp_path):
    draft = _grey_draft(tmp_path, 1.0, "9:16", [])
    bogus = tmp_path / "in" / "clip.mp4"
    bogus.write_bytes(b"not a video")
    draft.shots = [Shot(bogus, kind="video")]
    with pytest.raises(Exception, match="not a readable video: .*clip.mp4"):
        render_short(draft, tmp_path / "x.mp4", settings)


def test_preview_is_the_same_timeline_smaller(make_draft, settings, tmp_path):
    draft = make_draft(seconds=2.0, images=2)
    out = render_short(draft, tmp_path / "preview.mp4", settings, preview=True)
    i = probe.info(out)
    assert i.size == (360, 640) and abs(i.duration - 2.0) <= 0.2 and i.fps == 30


def test_headlines_never_overlap_across_a_transition(settings, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    images = [media_inputs.make_image(folder / f"{i}.png", i) for i in range(3)]
    voice = media_inputs.write_wav(folder / "voice.wav", media_inputs.speechlike(6.0))
    draft = ShortDraft(images=[], voice=voice, voice_duration=6.0, title="A title",
                       shots=[Shot(p, duration=2.0, headline=f"headline {i}") for i, p in enumerate(images)])
    from moneyprinter.media.render import shot_headlines

    spans = shot_headlines(draft, settings)
    assert len(spans) == 3 and spans[0].start == 0
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))  # one headline at a time
    assert spans[-1].end == 6.0
