"""The MoviePy backend renders the same draft to the same delivery spec (small frames: it is slow)."""

from __future__ import annotations

import numpy as np
import pytest

from moneyprinter.media.render import render_short
from tests.render import probe

pytestmark = pytest.mark.slow


def test_moviepy_backend_renders_the_same_draft(make_draft, settings, tmp_path, small_frames):
    settings.render.backend = "moviepy"
    draft = make_draft(seconds=2.0, images=2)
    out = render_short(draft, tmp_path / "mp.mp4", settings)

    i = probe.info(out)
    assert abs(i.duration - 2.0) <= 0.2
    assert i.video.startswith("h264 (High)") and "yuv420p" in i.video and i.fps == 30
    assert i.size == draft.size
    assert i.audio.startswith("aac") and "48000 Hz" in i.audio  # as the ffmpeg backend
    boxes = probe.top_level_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")
    assert -15 <= probe.loudness(out).integrated <= -13
    assert probe.black_intervals(out) == []
    settings.subtitles.enabled = False
    plain = render_short(draft, tmp_path / "plain.mp4", settings)
    mid = (draft.cues[0].start + draft.cues[0].end) / 2
    diff = np.abs(probe.frame_at(out, mid).astype(int) - probe.frame_at(plain, mid).astype(int))
    assert (diff > 60).mean() > 0.002
    assert not list(tmp_path.glob("*TEMP_MPY*")) and not list(tmp_path.glob("render-*"))
