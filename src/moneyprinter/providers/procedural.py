"""Offline scenes with Pillow and numpy: a niche's palette and motif, the sentence's icon, its keywords.

A scene is what a motion-graphics channel shows while the voice speaks: a background in the
channel's colours with a motif of its niche (a molecule network for science, rising bars for
money), a large pictogram of what the sentence is about in a glowing badge, smaller related
icons around it, and (when baked) the sentence's keywords as large type in the upper third,
above where captions sit. Motion comes from the renderer (Ken Burns, the animated headline).

The same sentence always gives the same picture (the seed is a hash of the text).
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from moneyprinter.providers import icons
from moneyprinter.media.frame_zones import Box, zones
from moneyprinter.media.niche_styles import NicheStyle, style_for
from moneyprinter.text.keywords import headline as headline_of

FONT_DIR = Path(__file__).resolve().parent.parent / "media" / "fonts"
LINE_SPACING = 1.12
PAN = 0.06  # the renderer's default Ken Burns travel: what a scene leaves room for
SATELLITE_REACH = 1.55 + 0.36  # a satellite's far edge, in badge radii from the badge's centre


def seed_for(prompt: str) -> int:
    return int.from_bytes(hashlib.sha256(prompt.strip().lower().encode()).digest()[:8], "big")


@functools.lru_cache(maxsize=8)
def display_font(size: int) -> ImageFont.FreeTypeFont:
    """Anton (OFL, from fontpkg-anton), a condensed display face; DejaVu Sans Bold if it is missing."""
    try:
        import fontpkg

        return ImageFont.truetype(str(fontpkg.path("anton")), size)
    except Exception:  # noqa: BLE001 - any failure to find the packaged font falls back to the bundled one
        return ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), int(size * 0.8))


@functools.lru_cache(maxsize=16)
def icon_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(icons.font_path()), size)


def _shift(colour, hue: float, light: float = 0.0):
    h, l, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))
    r, g, b = colorsys.hls_to_rgb((h + hue) % 1.0, min(1.0, max(0.0, l + light)), s)
    return (int(r * 255), int(g * 255), int(b * 255))


def _background(size, style: NicheStyle, rng) -> Image.Image:
    """A diagonal two-colour gradient with a soft light spot, so no two scenes share the same flat wash."""
    w, h = size
    sw, sh = max(2, w // 4), max(2, h // 4)
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    angle = 1.2 + rng.random() * 0.7
    t = xs / sw * math.cos(angle) + ys / sh * math.sin(angle)
    t = (t - t.min()) / (np.ptp(t) or 1.0)
    top, bottom = np.array(style.top, np.float32), np.array(style.bottom, np.float32)
    arr = top * (1 - t[..., None]) + bottom * t[..., None]
    cx, cy = 0.25 + 0.5 * rng.random(), 0.3 + 0.3 * rng.random()
    spot = np.exp(-(((xs / sw - cx) * 1.4) ** 2 + ((ys / sh - cy) * 0.9) ** 2) * 5)
    arr += spot[..., None] * np.array(style.accent2, np.float32) * 0.35
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8)).resize(size, Image.Resampling.BICUBIC).convert("RGBA")


# --- motifs: one per niche, drawn faintly over the background ---------------------------------


def _motif(size, style: NicheStyle, rng) -> Image.Image:
    layer = Image.new("RGBA", size, style.accent2 + (0,))
    draw = ImageDraw.Draw(layer)
    w, h = size
    u = min(w, h) / 1080
    colour = style.accent2
    kind = style.motif
    if kind == "network":
        pts = [(rng.random() * w, rng.random() * h) for _ in range(26)]
        for i, a in enumerate(pts):
            for b in pts[i + 1:]:
                if math.dist(a, b) < 330 * u:
                    draw.line([a, b], fill=colour + (70,), width=max(1, int(3 * u)))
        for x, y in pts:
            r = (6 + 12 * rng.random()) * u
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour + (130,))
    elif kind == "stars":
        for _ in range(260):
            x, y, r = rng.random() * w, rng.random() * h, (1 + 3.5 * rng.random() ** 3) * u
            draw.ellipse([x - r, y - r, x + r, y + r], fill=style.ink + (int(90 + 150 * rng.random()),))
    elif kind == "hills":
        for layer_i in range(4):
            base = h * (0.68 + 0.08 * layer_i)
            pts = [(x, base - math.sin(x / w * math.pi * (1.5 + rng.random()) + rng.random() * 6) * h * 0.05)
                   for x in np.linspace(0, w, 40)]
            draw.polygon(pts + [(w, h), (0, h)], fill=_shift(colour, 0, -0.12 * layer_i) + (70 + 30 * layer_i,))
    elif kind == "bars":
        for i in range(9):
            x = w * (0.04 + i * 0.108)
            top = h * (0.92 - (0.1 + 0.05 * i + 0.08 * rng.random()))
            draw.rounded_rectangle([x, top, x + w * 0.07, h * 0.95], radius=int(10 * u), fill=colour + (60,))
        for gy in np.linspace(h * 0.1, h * 0.95, 12):
            draw.line([(0, gy), (w, gy)], fill=colour + (28,), width=max(1, int(2 * u)))
    elif kind == "pulse":
        for row in (0.16, 0.84):
            y0, pts = h * row, []
            for x in np.linspace(0, w, 60):
                beat = (x / w * 5) % 1
                dy = -110 * u if 0.45 < beat < 0.5 else (70 * u if 0.5 < beat < 0.55 else 0)
                pts.append((x, y0 + dy))
            draw.line(pts, fill=colour + (110,), width=int(7 * u), joint="curve")
    elif kind == "circuit":
        for _ in range(24):
            x, y = rng.random() * w, rng.random() * h
            path = [(x, y)]
            for _ in range(4):
                if rng.random() < 0.5:
                    x += (rng.random() - 0.5) * 400 * u
                else:
                    y += (rng.random() - 0.5) * 400 * u
                path.append((x, y))
            draw.line(path, fill=colour + (75,), width=max(2, int(4 * u)))
            draw.ellipse([x - 9 * u, y - 9 * u, x + 9 * u, y + 9 * u], outline=colour + (140,), width=max(2, int(4 * u)))
    elif kind == "rings":
        cx, cy = w * rng.random(), h * (0.2 + 0.6 * rng.random())
        for r in np.arange(60, 1900, 70) * u:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour + (38,), width=max(2, int(5 * u)))
    elif kind == "rays":
        cx, cy = w * 0.5, h * 0.44
        for k in range(24):
            a0 = k * math.tau / 24 + rng.random() * 0.02
            a1 = a0 + math.tau / 48
            far = 2.2 * max(w, h)
            draw.polygon([(cx, cy), (cx + far * math.cos(a0), cy + far * math.sin(a0)),
                          (cx + far * math.cos(a1), cy + far * math.sin(a1))], fill=colour + (30,))
    elif kind == "dots":
        step = 120 * u
        for row, y in enumerate(np.arange(0, h + step, step)):
            for x in np.arange((row % 2) * step / 2, w + step, step):
                r = 14 * u
                draw.ellipse([x - r, y - r, x + r, y + r], fill=colour + (45,))
    elif kind == "route":
        pts = [(w * (0.1 + 0.8 * (i % 2)), h * (0.08 + 0.18 * i)) for i in range(6)]
        curve = []
        for a, b in zip(pts, pts[1:]):
            for t in np.linspace(0, 1, 24):
                curve.append((a[0] + (b[0] - a[0]) * (3 * t * t - 2 * t ** 3), a[1] + (b[1] - a[1]) * t))
        for i in range(0, len(curve) - 1, 2):
            draw.line([curve[i], curve[i + 1]], fill=colour + (120,), width=int(8 * u))
        for x, y in pts:
            draw.ellipse([x - 16 * u, y - 16 * u, x + 16 * u, y + 16 * u], fill=style.accent + (150,))
    return layer


# --- the subject: a badge with the sentence's icon, satellites, the headline ------------------


def _glow(size, centre, radius, colour, strength=0.9) -> Image.Image:
    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    d = np.sqrt((xs * 8 - centre[0]) ** 2 + (ys * 8 - centre[1]) ** 2) / radius
    alpha = (np.exp(-d ** 2 * 1.6) * 255 * strength).clip(0, 255).astype(np.uint8)
    rgba = np.dstack([np.full((sh, sw), c, np.uint8) for c in colour] + [alpha])
    return Image.fromarray(rgba).resize(size, Image.Resampling.BICUBIC)


def _draw_icon(layer: Image.Image, name: str, centre, size: int, colour, alpha=255, shadow=True) -> None:
    font = icon_font(size)
    text = icons.glyph(name)
    if shadow:  # a soft drop shadow, blurred on a tile around the icon only (the frame is 2 megapixels)
        pad = int(size * 0.8)
        tile = Image.new("RGBA", (2 * pad, 2 * pad), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((pad + size * 0.04, pad + size * 0.06), text, font=font,
                                  fill=(0, 0, 0, int(alpha * 0.45)), anchor="mm")
        tile = tile.filter(ImageFilter.GaussianBlur(size * 0.04))
        _paste(layer, tile, (int(centre[0]) - pad, int(centre[1]) - pad))
    ImageDraw.Draw(layer).text(centre, text, font=font, fill=tuple(colour) + (alpha,), anchor="mm")


def _paste(img: Image.Image, tile: Image.Image, corner: tuple[int, int]) -> None:
    """Alpha-composite ``tile`` at ``corner``, clipped to the frame."""
    x, y = corner
    box = (max(0, -x), max(0, -y), min(tile.width, img.width - x), min(tile.height, img.height - y))
    if box[2] > box[0] and box[3] > box[1]:
        img.alpha_composite(tile, dest=(x + box[0], y + box[1]), source=box)


def _badge(img: Image.Image, style: NicheStyle, icon: str, centre, radius: float) -> None:
    img.alpha_composite(_glow(img.size, centre, radius * 2.1, style.accent2, 0.75))
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=_shift(style.bottom, 0, -0.08) + (200,))
    ring = max(4, int(radius * 0.06))
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=style.accent + (255,), width=ring)
    inner = radius * 0.84
    draw.arc([cx - inner, cy - inner, cx + inner, cy + inner], 200, 320, fill=style.ink + (90,), width=max(2, ring // 2))
    img.alpha_composite(layer)
    _draw_icon(img, icon, (cx, cy + radius * 0.04), int(radius * 1.15), style.ink)


def _satellites(img: Image.Image, style: NicheStyle, names: list[str], centre, radius: float, rng, room: Box) -> None:
    """Smaller related icons in small discs around the badge, like stickers on a motion-graphics frame."""
    if not names:
        return
    # Beside the badge, inside the subject's room: the headline is above it and the captions below it.
    for k, name in enumerate(names[:2]):
        tilt = 0.05 + 0.25 * rng.random()  # a little below the badge's middle
        angle = tilt if k == 0 else math.pi - tilt
        r = radius * (1.45 + 0.1 * rng.random())
        disc = radius * 0.36
        x = min(max(centre[0] + r * math.cos(angle), room.left + disc), room.right - disc)
        y = min(max(centre[1] + r * math.sin(angle) * 1.1, room.top + disc), room.bottom - disc)
        tile = Image.new("RGBA", (int(2 * disc) + 2, int(2 * disc) + 2), (0, 0, 0, 0))
        ImageDraw.Draw(tile).ellipse([1, 1, 2 * disc, 2 * disc], fill=style.accent + (235,))
        _paste(img, tile, (int(x - disc), int(y - disc)))
        _draw_icon(img, name, (x, y + disc * 0.04), int(disc * 1.15), _shift(style.top, 0, -0.05), shadow=False)


def fit_headline(text: str, width: float, height: float, max_size: int) -> ImageFont.FreeTypeFont:
    """The largest size at which ``text`` fits one line on its bar inside ``width`` x ``height``."""
    size = max_size
    while True:
        font = display_font(size)
        bar_w, bar_h = font.getlength(text) + 2 * font.size * 0.22, font.size * 1.24
        if (bar_w * 1.04 + 8 <= width and bar_h * 1.1 + 8 <= height) or size <= 8:
            return font
        size = int(size * 0.94)


def draw_headline(img: Image.Image, text: str, style: NicheStyle, box: Box) -> None:
    """Large upper-case type on a slightly tilted accent bar, the way explainer channels set a keyword."""
    if not text:
        return
    w, h = img.size
    font = fit_headline(text, box.width, box.height, int((150 if h > w else 105) * min(w, h) / 1080))
    cx, cy = box.centre
    tw = font.getlength(text)
    pad = font.size * 0.22
    bw, bh = int(tw + 2 * pad), int(font.size * 1.24)
    margin = int(bw * 0.02) + 4  # room for the tilt
    bar = Image.new("RGBA", (bw + 2 * margin, bh + 2 * margin), (0, 0, 0, 0))
    ImageDraw.Draw(bar).rounded_rectangle([margin, margin, margin + bw, margin + bh],
                                          radius=int(font.size * 0.18), fill=style.accent + (255,))
    bar = bar.rotate(-2, resample=Image.Resampling.BICUBIC)
    _paste(img, bar, (int(cx - bar.width / 2), int(cy - bar.height / 2)))
    ImageDraw.Draw(img).text((cx, cy), text, font=font, fill=_shift(style.top, 0, -0.05) + (255,), anchor="mm")


def _finish(img: Image.Image, rng) -> Image.Image:
    """A light vignette and grain: keeps captions readable and avoids flat banding after encoding."""
    w, h = img.size
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    sw, sh = max(2, w // 8), max(2, h // 8)
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    dist = np.sqrt(((xs / sw - 0.5) * 1.3) ** 2 + ((ys / sh - 0.5) * 1.0) ** 2)
    vignette = Image.fromarray(((1.0 - 0.5 * np.clip(dist, 0, 1) ** 2) * 255).astype(np.uint8)).resize((w, h))
    arr *= (np.asarray(vignette, np.float32) / 255)[..., None]
    grain = rng.normal(0, 3.0, (sh, sw)).astype(np.float32)
    arr += np.asarray(Image.fromarray(grain).resize((w, h)), np.float32)[..., None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _scene_style(sentence: str, niche: str):
    style = style_for(niche)
    rng = np.random.default_rng(seed_for(f"{niche}|{sentence}"))
    hue = (rng.random() - 0.5) * 0.06  # neighbouring scenes differ a little, the channel look stays
    return NicheStyle(style.name, _shift(style.top, hue), _shift(style.bottom, hue), style.accent, style.accent2,
                      style.ink, style.motif), rng


def render_scene(sentence: str, size: tuple[int, int], niche: str = "", *, index: int = 0,
                 with_headline: bool = True, headline: str | None = None, travel: float = PAN) -> Image.Image:
    """The scene of one sentence of a Short in ``niche``'s style."""
    style, rng = _scene_style(sentence, niche)
    w, h = size
    img = _background(size, style, rng)
    img.alpha_composite(_motif(size, style, rng))
    names = icons.icons_for(sentence, style.name, index)
    room, centre, radius = subject_place(size, travel)
    _satellites(img, style, names[1:3], centre, radius, rng, room)
    _badge(img, style, names[0], centre, radius)
    scene = _finish(img, rng)
    return with_type(scene, sentence, niche, headline, travel=travel) if with_headline else scene


def subject_place(size: tuple[int, int], travel: float = PAN) -> tuple[Box, tuple[float, float], float]:
    """The still's room for the subject (the frame's subject band before the pan), the badge's centre and
    radius: the badge, its ring and the satellites stay inside the room, so in the frame they stay between
    the headline and the captions wherever the pan is."""
    room = zones(size).subject.before_pan(size, travel)
    radius = min(room.height / 2, room.width / 2 / SATELLITE_REACH, min(size) * 0.22)
    return room, room.centre, radius


def with_type(scene: Image.Image, sentence: str, niche: str = "", headline: str | None = None, *,
              travel: float = PAN) -> Image.Image:
    """``scene`` with the sentence's headline drawn in (for renderers that do not animate the headline)."""
    style, _ = _scene_style(sentence, niche)
    img = scene.convert("RGBA")
    draw_headline(img, headline if headline is not None else headline_of(sentence), style,
                  zones(img.size).headline.before_pan(img.size, travel))
    return img.convert("RGB")


def save_png(img: Image.Image, out: Path) -> Path:
    tmp = out.with_suffix(".part.png")
    img.save(tmp, "PNG", compress_level=1)
    tmp.replace(out)
    return out


def save_jpeg(img: Image.Image, out: Path) -> Path:
    """10x faster to write than PNG (the grain makes PNG slow) and no visible loss before H.264."""
    tmp = out.with_suffix(".part.jpg")
    img.save(tmp, "JPEG", quality=95, subsampling=0)
    tmp.replace(out)
    return out


def save_scene(sentence: str, out: Path, size: tuple[int, int], niche: str = "", **kw) -> Path:
    return save_png(render_scene(sentence, size, niche, **kw), out)


def save_background(prompt: str, out: Path, size: tuple[int, int], niche: str = "") -> Path:
    """The scene of ``prompt`` (a style name such as "science" works as a niche too): the picture that
    stands in for a provider's picture that failed."""
    return save_scene(prompt, out, size, niche)
