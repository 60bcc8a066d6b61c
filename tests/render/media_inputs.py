"""Generated inputs for render tests: Pillow images, a speech-like voice and a music loop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from moneyprinter.media.draft import Cue, Word
from moneyprinter.providers.tts import write_wav as write_pcm_wav

RATE = 48000


def make_image(path: Path, seed: int, size: tuple[int, int] = (320, 400)) -> Path:
    """A bright gradient with a few discs: never black, different per seed."""
    rng = np.random.default_rng(seed)
    w, h = size
    ramp = np.linspace(0, 1, w)[None, :, None] * 0.5 + np.linspace(0, 1, h)[:, None, None] * 0.5
    c1, c2 = rng.integers(90, 230, 3), rng.integers(90, 230, 3)
    img = Image.fromarray((c1 * (1 - ramp) + c2 * ramp).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(6):
        x, y, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(10, 80))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(60, 255, 3)))
    img.save(path)
    return path


def write_wav(path: Path, samples: np.ndarray) -> Path:
    """Float samples in -1..1 as a 16-bit mono WAV, through the project's own writer."""
    write_pcm_wav(path, (np.clip(samples, -1, 1) * 32767).astype(np.int16), RATE)
    return path


def speechlike(seconds: float, level: float = 0.1, seed: int = 0) -> np.ndarray:
    """Syllable-rate modulated tones plus noise: loudness behaves like a voice, not like a flat sine."""
    t = np.arange(int(RATE * seconds)) / RATE
    rng = np.random.default_rng(seed)
    envelope = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 0.5
    tone = np.sin(2 * np.pi * 160 * t) + 0.5 * np.sin(2 * np.pi * 320 * t) + 0.2 * rng.standard_normal(t.size)
    return level * envelope * tone


def music_loop(seconds: float, level: float = 0.2) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return level * (np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 277 * t)) / 2


def sample_cues(seconds: float, words: bool) -> list[Cue]:
    """Two cues covering the middle of the voice, leaving the first 0.3 s free of text."""
    half = seconds / 2
    texts = ["Bright ideas grow here", "Keep watching for more"]
    spans = [(0.3, half - 0.05), (half + 0.05, seconds - 0.2)]
    cues = []
    for text, (start, end) in zip(texts, spans):
        timed = ()
        if words:
            parts = text.split()
            step = (end - start) / len(parts)
            timed = tuple(Word(start + i * step, start + (i + 1) * step, w) for i, w in enumerate(parts))
        cues.append(Cue(start, end, text, timed))
    return cues


def make_clip(path: Path, seconds: float, size: tuple[int, int] = (480, 270), bands: bool = False) -> Path:
    """A moving test video (ffmpeg's testsrc2). ``bands``: red | green | blue thirds with a moving bar,
    so a centre crop shows green only."""
    from moneyprinter.media.ffmpeg_run import ffmpeg_exe
    import subprocess

    w, h = size
    if bands:
        source = (f"color=c=red:s={w}x{h}:r=25:d={seconds}[r];color=c=green:s={w // 3}x{h}:r=25:d={seconds}[g];"
                  f"color=c=blue:s={w // 3}x{h}:r=25:d={seconds}[b];[r][g]overlay=x={w // 3}[rg];"
                  f"[rg][b]overlay=x={2 * w // 3}[c];color=c=white:s={w // 3}x8:r=25:d={seconds}[bar];"
                  f"[c][bar]overlay=x={w // 3}:y='mod(t*{h},{h})'")
        args = ["-filter_complex", source]
    else:
        args = ["-f", "lavfi", "-i", f"testsrc2=s={w}x{h}:r=25:d={seconds}"]
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args, "-c:v", "libx264",
                    "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)], check=True, timeout=60)
    return path
