"""Captions, headline, title card and an offline scene's badge never cover one another or the platform's buttons.

Checked twice: on the laid-out boxes for every aspect and caption preset with the longest realistic
caption and headline, and on frames of a real render (pixels of each layer told apart by rendering
the layers one at a time, the badge found by its ring colour).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from moneyprinter.config import Settings
from moneyprinter.media import captions
from moneyprinter.media.draft import ASPECTS, Cue, Shot, ShortDraft, Word
from moneyprinter.media.frame_zones import Box, safe_box, zones
from moneyprinter.media.niche_styles import style_for
from moneyprinter.media.render import render_short
from moneyprinter.providers.procedural import SATELLITE_REACH, render_scene, save_png, subject_place
from tests.render import probe
from tests.render.media_inputs import speechlike, write_wav

# The longest caption words and lines a Short realistically says, and a long headline.
LONG_WORDS = "Internationally recognised chromatophores counterbalance extraordinarily photosynthesising microorganisms"
HEADLINE = "GREAT WALL OF CHINA"
TITLE = "Why the Great Wall of China Is Not One Wall"


def long_cues(seconds: float = 6.0) -> list[Cue]:
    words = LONG_WORDS.split() + "so the whole sky looks blue at noon every single day".split()
    step = seconds / len(words)
    timed = tuple(Word(round(i * step, 3), round((i + 1) * step, 3), w) for i, w in enumerate(words))
    return [Cue(0.0, seconds, " ".join(words), timed)]


def badge_box(size, travel) -> Box:
    """Every frame position the badge and its satellites can reach under the pan."""
    room, (cx, cy), radius = subject_place(size, travel)
    reach = radius * SATELLITE_REACH
    still = Box(max(room.left, cx - reach), cy - radius, min(room.right, cx + reach), cy + radius)
    return still.after_pan(size, travel)


@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("preset", ["karaoke", "classic", "boxed"])
@pytest.mark.parametrize("travel", [0.06, 0.25])
def test_laid_out_boxes_never_overlap_and_stay_in_the_safe_area(aspect, preset, travel):
    size = ASPECTS[aspect]
    style = Settings().subtitles.style(preset)
    cues = long_cues()
    lay = captions.Layout(style, size, cues)
    z, safe = zones(size), safe_box(size)
    display = captions.Face(captions.resolve_font(captions.DISPLAY_FONT), round(110 * lay.scale))
    _, _, headline = captions.headline_layout(HEADLINE, display, lay)
    _, _, title = captions.title_layout(TITLE, display, lay)
    badge = badge_box(size, travel)
    pages = [lay.page_box(p) for p in lay.pages(cues)]
    assert len(pages) >= 2 and any(len(p.lines) == lay.max_lines for p in lay.pages(cues))
    for page in pages:
        assert page.within(z.captions) and page.within(safe), (page, z.captions)
        assert not page.overlaps(badge) and not page.overlaps(headline) and not page.overlaps(title)
    assert headline.within(z.headline) and not headline.overlaps(badge)
    assert badge.within(z.subject) and badge.within(safe)
    assert title.within(safe)
    if size[1] > size[0]:  # Shorts: the buttons on the right and the description at the bottom stay clear
        w, h = size
        assert max(p.right for p in pages) <= 0.84 * w and max(p.bottom for p in pages) <= 0.78 * h


def test_a_caption_position_inside_the_picture_is_kept_below_it():
    settings = Settings.model_validate({"subtitles": {"position_pct": 55}})  # half-way up: over the badge
    size = ASPECTS["9:16"]
    lay = captions.Layout(settings.subtitles.style(), size, long_cues())
    assert all(lay.page_box(p).top >= zones(size).captions.top for p in lay.pages(long_cues()))


ACCENT = np.array(style_for("science facts").accent, np.float32)


def ring_mask(frame: np.ndarray) -> np.ndarray:
    return np.abs(frame.astype(np.float32) - ACCENT).max(axis=2) < 45


def rows(mask: np.ndarray) -> tuple[int, int]:
    ys = np.nonzero(mask.any(axis=1))[0]
    return int(ys.min()), int(ys.max())


@pytest.mark.slow
def test_real_frames_keep_captions_headline_and_badge_apart(tmp_path: Path, small_frames):
    size = ASPECTS["9:16"]
    scene = save_png(render_scene("Bees carry nectar in a special stomach.", size, "science facts",
                                  with_headline=False), tmp_path / "scene.png")
    voice = write_wav(tmp_path / "voice.wav", speechlike(6.0))
    cues = long_cues()

    def render(name: str, with_captions: bool, headline: str) -> Path:
        settings = Settings()
        settings.subtitles.hook = False
        settings.subtitles.pop = False
        settings.subtitles.enabled = with_captions
        draft = ShortDraft(images=[scene], voice=voice, voice_duration=6.0, cues=cues,
                           shots=[Shot(scene, "image", None, 0.0, headline)])
        return render_short(draft, tmp_path / f"{name}.mp4", settings)

    plain, captioned, headlined = render("plain", False, ""), render("captions", True, ""), render("headline", False, HEADLINE)
    for t in (0.5, 2.9, 5.6):  # the pan's start, middle and end
        base = probe.frame_at(plain, t)
        ring = ring_mask(base)
        assert ring.sum() > 50  # the badge is there
        caption = np.abs(probe.frame_at(captioned, t).astype(int) - base).max(axis=2) > 60
        headline = np.abs(probe.frame_at(headlined, t).astype(int) - base).max(axis=2) > 60
        assert caption.sum() > 200 and headline.sum() > 200
        ring_top, ring_bottom = rows(ring)
        caption_top, caption_bottom = rows(caption)
        headline_top, headline_bottom = rows(headline)
        assert headline_bottom < ring_top and ring_bottom < caption_top, (t, headline_bottom, ring_top, ring_bottom, caption_top)
        assert caption_bottom <= 0.78 * size[1] + 1 and np.nonzero(caption.any(axis=0))[0].max() <= 0.84 * size[0] + 1
