"""Background music: royalty-free loops synthesized here (no downloads), or the user's songs/ folder.

A generated track is a chord loop (soft pad, plucked arpeggio, optional light pulse) repeated to
the voice's length with a fade-out. Ducking under the voice is the renderer's job.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moneyprinter.errors import ProviderError
from moneyprinter.providers.tts import write_wav

RATE = 22050
SONG_SUFFIXES = (".mp3", ".wav", ".ogg", ".m4a", ".flac", ".aac")


@dataclass(frozen=True)
class Loop:
    name: str
    bpm: int
    root: int  # MIDI note of the key
    progression: tuple[tuple[int, ...], ...]  # chords as semitones above the root
    pulse: bool


LOOPS = (
    Loop("calm", 76, 57, ((0, 4, 7), (7, 11, 14), (9, 12, 16), (5, 9, 12)), False),
    Loop("bright", 104, 60, ((0, 4, 7), (5, 9, 12), (9, 12, 16), (7, 11, 14)), True),
    Loop("dreamy", 88, 62, ((0, 3, 7), (8, 12, 15), (3, 7, 10), (10, 14, 17)), False),
    Loop("drive", 116, 55, ((0, 3, 7), (10, 14, 17), (8, 12, 15), (7, 10, 14)), True),
)


def _freq(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _tone(freq: float, seconds: float, attack: float, release: float, partials=(1.0, 0.35, 0.12)) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    wave = sum(a * np.sin(2 * np.pi * freq * (k + 1) * t) for k, a in enumerate(partials))
    env = np.minimum(1.0, t / max(attack, 1e-3)) * np.minimum(1.0, (seconds - t) / max(release, 1e-3))
    return wave * np.clip(env, 0, 1)


def render_loop(loop: Loop) -> np.ndarray:
    """One pass of the progression, two bars per chord, as float samples in [-1, 1]."""
    beat = 60.0 / loop.bpm
    chord_s = 8 * beat
    out = np.zeros(int(chord_s * len(loop.progression) * RATE) + RATE)
    for i, chord in enumerate(loop.progression):
        start = int(i * chord_s * RATE)
        for semis in chord:  # pad
            note = _tone(_freq(loop.root + semis - 12), chord_s + 0.5, 0.6, 0.8)
            out[start : start + len(note)] += 0.10 * note
        for step in range(16):  # arpeggio in eighths, plucked
            semis = chord[step % len(chord)] + (12 if step % 8 >= 4 else 0)
            note = _tone(_freq(loop.root + semis), beat * 0.9, 0.005, beat * 0.8, (1.0, 0.2))
            note *= np.exp(-np.arange(len(note)) / RATE * 5.0)
            pos = start + int(step * beat / 2 * RATE)
            out[pos : pos + len(note)] += 0.07 * note
        if loop.pulse:
            for b in range(8):
                kick = _tone(55.0, 0.25, 0.002, 0.2, (1.0,)) * np.exp(-np.arange(int(0.25 * RATE)) / RATE * 18)
                pos = start + int(b * beat * RATE)
                out[pos : pos + len(kick)] += 0.18 * kick
    return out[: int(chord_s * len(loop.progression) * RATE)]


def generate_track(out: Path, duration: float, seed: str = "") -> Path:
    """A loop chosen by ``seed``, repeated to ``duration`` seconds, faded out, as 16-bit WAV."""
    loop = LOOPS[random.Random(seed).randrange(len(LOOPS))]
    one = render_loop(loop)
    reps = int(np.ceil(duration * RATE / len(one)))
    track = np.tile(one, reps)[: int(duration * RATE)]
    fade = min(len(track), int(1.5 * RATE))
    track[len(track) - fade :] *= np.linspace(1, 0, fade)
    peak = np.max(np.abs(track)) or 1.0
    write_wav(out, (track / peak * 0.5 * 32767).astype(np.int16), RATE)
    return out


def pick_song(folder: Path, seed: str = "") -> Path:
    """One of the user's songs, chosen by ``seed`` (the renderer loops or trims it to the voice)."""
    songs = sorted(p for p in folder.iterdir() if p.suffix.lower() in SONG_SUFFIXES) if folder.is_dir() else []
    if not songs:
        raise ProviderError(f"no songs in {folder}", hint="add .mp3/.wav/.ogg files, or set [shorts] music = \"generated\"")
    return random.Random(seed).choice(songs)
