"""Procedural backgrounds with Pillow and numpy: gradients, soft shapes, grain, vignette.

The same prompt always gives the same picture (the seed is a hash of the prompt), and
different prompts give visibly different ones. Drawn at half size, then scaled up: soft
shapes do not need the detail, and it keeps a 1080x1920 frame well under a second.
"""

from __future__ import annotations

import colorsys
import hashlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

STYLES = ("waves", "bokeh", "mesh")


def seed_for(prompt: str) -> int:
    return int.from_bytes(hashlib.sha256(prompt.strip().lower().encode()).digest()[:8], "big")


def _palette(rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """Four harmonious colours: a base hue with analogous and complementary neighbours."""
    hue = rng.random()
    scheme = rng.choice([(0, 0.08, 0.5, 0.58), (0, 0.1, 0.2, 0.9), (0, 0.33, 0.66, 0.05)])
    colours = []
    for k, offset in enumerate(scheme):
        sat = 0.45 + 0.4 * rng.random()
        val = (0.25 + 0.25 * rng.random()) if k == 0 else (0.55 + 0.4 * rng.random())
        r, g, b = colorsys.hsv_to_rgb((hue + offset) % 1.0, sat, val)
        colours.append((int(r * 255), int(g * 255), int(b * 255)))
    return colours


def _gradient(w: int, h: int, rng: np.random.Generator, colours) -> np.ndarray:
    angle = rng.random() * np.pi
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs * np.cos(angle) + ys * np.sin(angle))
    t = (t - t.min()) / (np.ptp(t) or 1.0)
    a, b = np.array(colours[0], np.float32), np.array(colours[1], np.float32)
    return a * (1 - t[..., None]) + b * t[..., None]


def _clear_layer(size, colours) -> Image.Image:
    """Transparent, but tinted: blurring RGBA edges then blends towards the palette, not black."""
    mean = tuple(int(sum(c[i] for c in colours) / len(colours)) for i in range(3))
    return Image.new("RGBA", size, mean + (0,))


def _waves(img: Image.Image, rng: np.random.Generator, colours) -> None:
    w, h = img.size
    layer = _clear_layer(img.size, colours)
    draw = ImageDraw.Draw(layer)
    xs = np.linspace(0, w, 80)
    for i in range(int(rng.integers(4, 8))):
        base = h * (0.2 + 0.7 * rng.random())
        amp, freq, phase = h * (0.03 + 0.08 * rng.random()), 1 + 3 * rng.random(), rng.random() * 6.28
        top = [(float(x), float(base + amp * np.sin(freq * x / w * 6.28 + phase))) for x in xs]
        colour = colours[2 + i % 2] + (int(70 + 90 * rng.random()),)
        draw.polygon(top + [(w, h), (0, h)], fill=colour)
    img.alpha_composite(layer.filter(ImageFilter.GaussianBlur(2)))


def _bokeh(img: Image.Image, rng: np.random.Generator, colours) -> None:
    w, h = img.size
    layer = _clear_layer(img.size, colours)
    draw = ImageDraw.Draw(layer)
    for _ in range(int(rng.integers(18, 40))):
        r = w * (0.03 + 0.18 * rng.random())
        x, y = rng.random() * w, rng.random() * h
        colour = colours[int(rng.integers(1, 4))] + (int(40 + 110 * rng.random()),)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    img.alpha_composite(layer.filter(ImageFilter.GaussianBlur(w * 0.012)))


def _mesh(img: Image.Image, rng: np.random.Generator, colours) -> None:
    w, h = img.size
    cols, rows = int(rng.integers(4, 7)), int(rng.integers(7, 11))
    pts = [[(x * w / (cols - 1) + (rng.random() - 0.5) * w / cols * (0 < x < cols - 1),
             y * h / (rows - 1) + (rng.random() - 0.5) * h / rows * (0 < y < rows - 1))
            for x in range(cols)] for y in range(rows)]
    layer = _clear_layer(img.size, colours)
    draw = ImageDraw.Draw(layer)
    for y in range(rows - 1):
        for x in range(cols - 1):
            a, b, c, d = pts[y][x], pts[y][x + 1], pts[y + 1][x], pts[y + 1][x + 1]
            for tri in ((a, b, c), (b, d, c)):
                colour = colours[int(rng.integers(0, 4))] + (int(60 + 90 * rng.random()),)
                draw.polygon(tri, fill=colour)
    img.alpha_composite(layer.filter(ImageFilter.GaussianBlur(1)))


def render_background(prompt: str, size: tuple[int, int], style: str = "mixed") -> Image.Image:
    rng = np.random.default_rng(seed_for(prompt))
    w, h = max(2, size[0] // 2), max(2, size[1] // 2)
    colours = _palette(rng)
    base = _gradient(w, h, rng, colours)
    img = Image.fromarray(base.clip(0, 255).astype(np.uint8)).convert("RGBA")
    chosen = style if style in STYLES else STYLES[int(rng.integers(0, len(STYLES)))]
    {"waves": _waves, "bokeh": _bokeh, "mesh": _mesh}[chosen](img, rng, colours)
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    dist = np.sqrt(((xs / w - 0.5) * 1.2) ** 2 + ((ys / h - 0.5) * 1.0) ** 2)
    arr *= (1.0 - 0.55 * np.clip(dist, 0, 1) ** 2)[..., None]  # vignette keeps subtitles readable
    arr += rng.normal(0, 4.0, arr.shape[:2])[..., None]  # film grain: no flat banding
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    return out.resize(size, Image.Resampling.BICUBIC)


def save_background(prompt: str, out: Path, size: tuple[int, int], style: str = "mixed") -> Path:
    tmp = out.with_suffix(".part.png")
    render_background(prompt, size, style).save(tmp, "PNG", compress_level=1)
    tmp.replace(out)
    return out
