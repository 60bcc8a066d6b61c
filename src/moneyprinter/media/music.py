"""Background music: the bundled library (immich-memories-music, 28 MIT tracks in five moods),
the user's songs/ folder, or royalty-free loops synthesized here as the fallback.

A library track is chosen by mood (from the script and the niche) and never one of the account's
last N Shorts' tracks; it is prepared to the voice's length with its loop seams crossfaded (no
click) and a fade-out. A generated track is a chord loop (soft pad, plucked arpeggio, optional
light pulse). Ducking under the voice and the music level ([render] music_volume) are the renderer's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moneyprinter.errors import ProviderError
from moneyprinter.media.ffmpeg_run import child_options, ffmpeg_exe
from moneyprinter.media.wav import write_wav
from moneyprinter.text.keywords import words

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


# --- the bundled library ---------------------------------------------------------------------

MOODS = ("calm", "energetic", "happy", "nostalgic", "tender")
LIBRARY_RATE = 48000
# Words in a script or niche that suggest a mood; the niche's style gives the default.
MOOD_WORDS = {
    "energetic": {"fast", "power", "powerful", "speed", "win", "workout", "gym", "hustle", "crazy", "insane", "extreme",
                  "motivation", "success", "grind", "race", "explode", "explosion", "rocket", "attack", "hunt"},
    "happy": {"fun", "funny", "amazing", "surprising", "cool", "awesome", "happy", "smile", "easy", "save", "money",
              "tips", "hack", "hacks", "trick", "tricks", "colour", "color", "bright"},
    "calm": {"sleep", "calm", "relax", "ocean", "sea", "nature", "space", "stars", "meditation", "breathe", "quiet",
             "slow", "deep", "universe", "forest"},
    "nostalgic": {"history", "ancient", "old", "war", "century", "memory", "memories", "past", "lost", "forgotten",
                  "empire", "king", "queen", "died", "death"},
    "tender": {"love", "family", "baby", "babies", "mother", "friend", "friendship", "kind", "kindness", "heart",
               "care", "together", "pet", "pets", "dog", "cat"},
}
NICHE_MOOD = {"science": "happy", "space": "calm", "nature": "calm", "money": "happy", "health": "energetic",
              "tech": "energetic", "history": "nostalgic", "motivation": "energetic", "food": "happy",
              "travel": "happy", "default": "happy"}


def library_dir() -> Path | None:
    """The folder of the bundled tracks (one folder per mood), or None when the package is missing."""
    try:
        from immich_memories_music import tracks_dir
    except ImportError:
        return None
    folder = Path(tracks_dir())
    return folder if folder.is_dir() else None


def library_tracks(folder: Path | None = None) -> dict[str, list[Path]]:
    folder = folder or library_dir()
    if folder is None:
        return {}
    return {mood.name: sorted(p for p in mood.iterdir() if p.suffix.lower() in SONG_SUFFIXES + (".opus",))
            for mood in sorted(folder.iterdir()) if mood.is_dir()}


def mood_for(script: str, niche: str) -> str:
    """The mood whose words the script and niche use most; the niche's default on a tie at zero."""
    from moneyprinter.media.niche_styles import niche_key

    said = [w.lower() for w in words(f"{script} {niche}")]
    scores = {mood: sum(w in vocab for w in said) for mood, vocab in MOOD_WORDS.items()}
    best = max(scores, key=lambda m: scores[m])
    return best if scores[best] > 0 else NICHE_MOOD[niche_key(niche)]


def track_id(path: Path) -> str:
    """How a library track is recorded in a Short's metadata: ``mood/file``."""
    return f"{path.parent.name}/{path.name}"


def pick_library_track(mood: str, recent: list[str], seed: str = "", folder: Path | None = None) -> Path:
    """A track of ``mood`` that is not in ``recent`` (track ids, newest first).

    When every track of the mood was used recently, the other moods are tried; when the
    whole library was, the track used longest ago is taken.
    """
    tracks = library_tracks(folder)
    if not tracks:
        raise ProviderError("the music library is not installed",
                            hint="pip install immich-memories-music, or set [shorts] music = \"generated\"")
    rng = random.Random(seed)
    order = [mood] + [m for m in MOODS if m != mood and m in tracks]
    for candidate in order:
        fresh = [t for t in tracks.get(candidate, []) if track_id(t) not in recent]
        if fresh:
            return rng.choice(fresh)
    everything = [t for ts in tracks.values() for t in ts]
    return max(everything, key=lambda t: recent.index(track_id(t)) if track_id(t) in recent else len(recent))


def decode(path: Path, rate: int = LIBRARY_RATE) -> np.ndarray:
    """Any audio file as float32 stereo samples (frames x 2), decoded by ffmpeg."""
    import subprocess

    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "2",
         "-ar", str(rate), "-"], capture_output=True, timeout=120, **child_options(),
    )
    if proc.returncode != 0 or not proc.stdout:
        raise ProviderError(f"music: cannot decode {path.name}: {proc.stderr.decode(errors='replace').strip()[-200:]}",
                            hint="choose another file or set [shorts] music = \"generated\"")
    return np.frombuffer(proc.stdout, dtype=np.float32).reshape(-1, 2).copy()


def loop_to(samples: np.ndarray, frames: int, rate: int, crossfade_s: float = 1.5, fade_out_s: float = 2.0) -> np.ndarray:
    """``samples`` repeated to ``frames``, each seam an equal-power crossfade, faded out at the end.

    A plain repeat jumps from the track's last sample to its first: an audible click. Here the
    next pass fades in over the last ``crossfade_s`` of the one before.
    """
    xf = max(1, min(int(crossfade_s * rate), len(samples) // 4))
    out = samples.copy()
    t = np.linspace(0, np.pi / 2, xf, dtype=np.float32)[:, None]
    while len(out) < frames:
        tail = out[-xf:] * np.cos(t) + samples[:xf] * np.sin(t)
        out = np.concatenate([out[:-xf], tail, samples[xf:]])
    out = out[:frames].copy()
    fade = min(len(out), int(fade_out_s * rate))
    out[len(out) - fade:] *= np.linspace(1, 0, fade, dtype=np.float32)[:, None]
    return out


def prepare_track(source: Path, out: Path, duration: float, rms_dbfs: float = -20.0) -> Path:
    """``source`` as a 16-bit stereo WAV of ``duration`` seconds, seamless, at a steady level.

    Tracks are levelled to the same RMS so that ``[render] music_volume`` means the same for each.
    """
    samples = decode(source)
    frames = max(1, int(duration * LIBRARY_RATE))
    track = loop_to(samples, frames, LIBRARY_RATE)
    rms = float(np.sqrt(np.mean(track ** 2))) or 1e-9
    track *= min(10 ** (rms_dbfs / 20) / rms, 0.98 / (float(np.max(np.abs(track))) or 1.0))
    write_wav(out, (track * 32767).astype(np.int16).reshape(-1), LIBRARY_RATE, channels=2)
    return out
