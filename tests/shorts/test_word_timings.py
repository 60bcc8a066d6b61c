"""Word timings from Piper's own alignment, on real synthesized speech."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from moneyprinter.media.cues import cues_from_words, proportional_words
from moneyprinter.providers.tts import Speech, voice_providers

pytestmark = pytest.mark.slow


def _samples(path):
    with wave.open(str(path)) as f:
        return f.getframerate(), np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16).astype(np.float32)


def _rms(samples, rate, start, end):
    part = samples[int(start * rate): int(end * rate)]
    return float(np.sqrt((part ** 2).mean())) if part.size else 0.0


def test_piper_reports_every_word_where_it_is_spoken(tmp_path):
    voice = voice_providers.create("piper", {"sentence_pause_s": 0.3})
    sentences = ["In 1969, Dr. Armstrong walked on the Moon.", "Octopuses have three hearts, and blue blood!"]
    speech = voice.synthesize(sentences, tmp_path / "voice.wav")
    rate, samples = _samples(speech.wav)

    assert [w.text for w in speech.words] == " ".join(sentences).split()  # numbers and titles map to their words
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts)
    for sentence in speech.sentences:  # inside the exact sentence bounds
        inside = [w for w in speech.words if sentence.start - 1e-3 <= w.start and w.end <= sentence.end + 1e-3]
        assert len(inside) == len(sentence.text.split())
    hearts, and_ = speech.words[-4], speech.words[-3]
    assert hearts.text == "hearts," and and_.start - hearts.end > 0.1  # the comma pause is where the model put it
    gap = _rms(samples, rate, hearts.end + 0.02, and_.start - 0.02)
    spoken = _rms(samples, rate, and_.start, and_.end)
    assert gap < spoken / 5  # quiet between the words, loud inside "and"
    speech.save(tmp_path / "voice.json")
    assert Speech.load(tmp_path / "voice.json").words == speech.words


def test_word_cues_from_the_voice_drive_the_karaoke_captions(tmp_path):
    voice = voice_providers.create("piper", {})
    speech = voice.synthesize(["Honey never spoils."], tmp_path / "voice.wav")
    cues = cues_from_words(speech.words)
    assert [w.text for c in cues for w in c.words] == ["Honey", "never", "spoils."]
    assert cues[0].words[1].start > cues[0].words[0].start + 0.1  # real timings, not one shared span


def test_proportional_estimate_keeps_the_sentence_bounds():
    words = proportional_words("a bb ccc", 1.0, 2.0)
    assert words[0].start == 1.0 and words[-1].end == 2.0
    assert [round(w.end - w.start, 2) for w in words] == [0.22, 0.33, 0.44]  # (length + 1) / 9 each
