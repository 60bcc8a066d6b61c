"""The bundled Piper voice for real (WAV + exact sentence timings) and the generated music loops."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from moneyprinter import errors
from moneyprinter.media.music import LOOPS, generate_track, pick_song
from moneyprinter.providers.tts import Speech, voice_providers


def read_wav(path):
    with wave.open(str(path)) as f:
        rate, n = f.getframerate(), f.getnframes()
        return rate, np.frombuffer(f.readframes(n), dtype=np.int16).astype(np.float32)


@pytest.mark.slow
def test_piper_synthesizes_per_sentence_with_exact_timings(tmp_path):
    voice = voice_providers.create("piper", {"sentence_pause_s": 0.3})
    sentences = ["Honey never spoils.", "Archaeologists found edible honey in tombs that were three thousand years old."]
    speech = voice.synthesize(sentences, tmp_path / "voice.wav")
    rate, samples = read_wav(speech.wav)
    assert rate == 22050 and abs(len(samples) / rate - speech.duration) < 1e-6
    first, second = speech.sentences
    assert first.start == 0.0 and first.text == sentences[0]
    assert abs(second.start - first.end - 0.3) < 1e-3  # the configured pause
    assert second.end - second.start > 2 * (first.end - first.start)  # longer sentence, longer audio
    assert speech.duration >= second.end
    pause = samples[int(first.end * rate) + 200 : int(second.start * rate) - 200]
    speaking = samples[int(second.start * rate) : int(second.end * rate)]
    assert np.abs(pause).max() < 50 and np.sqrt((speaking**2).mean()) > 500  # silence between, speech inside
    speech.save(tmp_path / "voice.json")
    assert Speech.load(tmp_path / "voice.json") == speech


def test_missing_voice_file_is_a_clear_error(tmp_path):
    voice = voice_providers.create("piper", {"voice_path": str(tmp_path / "nope.onnx")})
    with pytest.raises(errors.ProviderError, match="Piper voice not found"):
        voice.synthesize(["Hello there."], tmp_path / "v.wav")
    assert voice.health_check().status.value == "FAIL"


def test_generated_music_is_a_real_loop_of_the_asked_length(tmp_path):
    out = generate_track(tmp_path / "m.wav", 12.0, seed="honey")
    rate, samples = read_wav(out)
    assert abs(len(samples) / rate - 12.0) < 0.01
    assert np.abs(samples).max() > 10000 and np.abs(samples[-50:]).max() < 500  # audible, faded out
    again = generate_track(tmp_path / "m2.wav", 12.0, seed="honey")
    assert again.read_bytes() == out.read_bytes()
    assert len({generate_track(tmp_path / f"x{i}.wav", 3.0, seed=str(i)).read_bytes() for i in range(8)}) > 1
    assert len(LOOPS) >= 3


def test_songs_folder(tmp_path):
    with pytest.raises(errors.ProviderError, match="no songs"):
        pick_song(tmp_path / "songs")
    (tmp_path / "songs").mkdir()
    (tmp_path / "songs" / "a.mp3").write_bytes(b"x")
    (tmp_path / "songs" / "notes.txt").write_text("x")
    assert pick_song(tmp_path / "songs", "seed").name == "a.mp3"
