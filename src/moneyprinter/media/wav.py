"""Writing PCM WAV files: the voice, music and test tones all go through here."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, samples: np.ndarray, rate: int, channels: int = 1) -> None:
    """16-bit PCM WAV, written beside the target and renamed so a crash never leaves half a file."""
    tmp = path.with_suffix(".part.wav")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.asarray(samples, dtype=np.int16).tobytes())
    tmp.replace(path)
