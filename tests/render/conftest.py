"""Fixtures for render tests: small generated drafts, default settings, shrunken frame sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from moneyprinter.config import Settings
from moneyprinter.media.draft import ASPECTS, ShortDraft
from tests.render.media_inputs import make_image, music_loop, sample_cues, speechlike, write_wav


@pytest.fixture
def make_draft(tmp_path: Path):
    """make_draft(seconds, images=3, cues=True, music=True, aspect="9:16", words=False) -> ShortDraft."""

    def make(seconds: float = 3.0, images: int = 3, cues: bool = True, music: bool = True,
             aspect: str = "9:16", words: bool = False, voice_level: float = 0.1) -> ShortDraft:
        folder = tmp_path / "inputs"
        folder.mkdir(exist_ok=True)
        paths = [make_image(folder / f"img{i}.png", i) for i in range(images)]
        voice = write_wav(folder / "voice.wav", speechlike(seconds, voice_level))
        song = write_wav(folder / "music.wav", music_loop(1.3)) if music else None  # shorter: must loop
        return ShortDraft(images=paths, voice=voice, voice_duration=seconds,
                          cues=sample_cues(seconds, words) if cues else [], music=song, aspect=aspect,
                          title="Test short")

    return make


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def small_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shrink the aspect sizes 5x so content checks stay fast (the renderer is size-agnostic)."""
    for name, (w, h) in list(ASPECTS.items()):
        monkeypatch.setitem(ASPECTS, name, (w // 5 // 2 * 2, h // 5 // 2 * 2))
