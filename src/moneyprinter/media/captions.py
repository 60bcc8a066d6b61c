"""Captions, shot headlines and the title card as one ASS script (burned in by libass in one pass).

Captions are laid out in pages: 1-3 words (karaoke), a few words on a box (boxed) or two-line
phrases (classic). Text is measured with Pillow on the same font file libass draws with, so a
page is wrapped or split to fit the platform safe area. The font size is one per Short: only a
word too long for the safe area at the preset size lowers it, for every page alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from PIL import ImageFont

from moneyprinter.media import frame_zones
from moneyprinter.media.cues import proportional_words
from moneyprinter.media.frame_zones import Box
from moneyprinter.media.draft import Cue, Word
from moneyprinter.media.subtitles import ass_colour, ass_escape, ass_time, resolve_font
from moneyprinter.settings.render import CaptionStyle

HOOK_S = 1.5  # the title card's length
DISPLAY_FONT = "Anton"  # headlines and the title card
PUNCTUATION_BREAK = (".", ",", "!", "?", ";", ":")


def safe_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Left, top, right, bottom of the area text may cover (``frame_zones.safe_box``)."""
    box = frame_zones.safe_box(size)
    return int(box.left), int(box.top), int(box.right), int(box.bottom)


class Face:
    """One font file at one pixel size: Pillow measurements, the ASS family and size, glyph coverage."""

    def __init__(self, font_file: Path, px: int, weight: int = 400) -> None:
        self.file, self.px = font_file, px
        self.font = ImageFont.truetype(str(font_file), px)
        if _is_variable(self.font):
            _set_weight(self.font, weight)
        self.family, self.face_style = self.font.getname()

    @property
    def is_bold(self) -> bool:
        return "bold" in (self.face_style or "").lower()

    @cached_property
    def ass_size(self) -> int:
        """libass sizes a font by ascent plus descent, not by the em square."""
        ascent, descent = ImageFont.truetype(str(self.file), 1000).getmetrics()
        return round(self.px * (ascent + descent) / 1000)

    @property
    def line_height(self) -> int:
        ascent, descent = self.font.getmetrics()
        return ascent + descent

    def width(self, text: str) -> float:
        return self.font.getlength(text)

    @cached_property
    def _notdef(self) -> bytes:
        return bytes(self.font.getmask("\U0010FFFD"))

    def clean(self, text: str) -> str:
        """Drop what the font cannot draw (emoji and other symbols), never leaving boxes behind."""
        kept = "".join(ch for ch in text if ch.isspace() or self._has(ch))
        return " ".join(kept.split())

    def _has(self, ch: str) -> bool:
        if ch in "\u200d\ufe0f\ufe0e":  # joiners and emoji selectors
            return False
        return bytes(self.font.getmask(ch)) != self._notdef or not ch.isprintable()


def _is_variable(font: ImageFont.FreeTypeFont) -> bool:
    try:
        return bool(font.get_variation_axes())
    except OSError:
        return False


def _set_weight(font: ImageFont.FreeTypeFont, weight: int) -> None:
    font.set_variation_by_axes([float(weight) if str(a.get("name", "")).lower().strip("b'") in ("weight", "wght")
                                else float(a["default"]) for a in font.get_variation_axes()])


@dataclass(frozen=True)
class Page:
    """Words shown together from ``start`` to ``end``, in lines."""

    start: float
    end: float
    lines: tuple[tuple[str, ...], ...]
    words: tuple[Word, ...]


class Layout:
    """The caption geometry of one Short: the one font size, the safe area, the lines of each page."""

    def __init__(self, style: CaptionStyle, size: tuple[int, int], cues: list[Cue]) -> None:
        self.style, self.size = style, size
        self.zones = frame_zones.zones(size)
        self.left, self.top, self.right, self.bottom = safe_box(size)
        self.scale = min(size) / 1080
        self.outline = round(style.outline_px * self.scale, 1)
        self.shadow = round(style.shadow_px * self.scale, 1)
        self.pad = round(22 * self.scale) if style.box_opacity > 0 else 0  # box padding around the text
        font_file = resolve_font(style.font, bold=style.bold)
        px = round(style.font_size * self.scale)
        face = Face(font_file, px, style.weight)
        longest = max((face.width(w) for w in self._all_words(cues, face)), default=0)
        if longest > self.text_width:  # a word wider than the safe area: the whole Short gets smaller
            px = int(px * self.text_width / longest)
            face = Face(font_file, px, style.weight)
        room = self.zones.captions.height - self._frame_y
        if face.line_height > room:  # not even one line fits the caption band: smaller, for every page alike
            face = Face(font_file, int(px * room / face.line_height), style.weight)
        self.face = face
        # As many lines as the caption band holds, so a page never reaches up into the picture's subject.
        self.max_lines = max(1, min(style.max_lines, int(room // face.line_height)))

    @property
    def _frame_y(self) -> float:
        """What a caption block adds to its lines vertically: outline above and below, shadow, box padding."""
        return 2 * self.outline + self.shadow + 2 * self.pad

    @property
    def text_width(self) -> float:
        """The widest a line of text may be, outline, shadow and box padding included."""
        return self.right - self.left - 2 * self.outline - self.shadow - 2 * self.pad

    @property
    def centre_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def baseline_y(self) -> int:
        """Where the bottom of the caption block sits: the configured position, kept inside the caption band
        (the same for every page, so captions never jump; low enough that the tallest page stays in the band)."""
        w, h = self.size
        wanted = round(h * (1 - self.style.position_pct / 100))
        band = self.zones.captions
        highest = band.top + self.max_lines * self.face.line_height + self.outline + self.pad
        lowest = band.bottom - self.outline - self.shadow - self.pad
        return round(min(max(wanted, highest), lowest))

    def page_box(self, page: Page) -> Box:
        """The frame area a page covers: its lines, outline, shadow and box."""
        width = max(self.face.width(" ".join(line)) for line in page.lines)
        half = width / 2 + self.outline + self.pad
        bottom = self.baseline_y
        top = bottom - len(page.lines) * self.face.line_height - self.outline - self.pad
        return Box(self.centre_x - half, top, self.centre_x + half + self.shadow, bottom + self.outline + self.shadow
                   + self.pad)

    def text(self, raw: str) -> str:
        text = raw.upper() if self.style.uppercase else raw
        return self.face.clean(text) if hasattr(self, "face") else text

    def _all_words(self, cues: list[Cue], face: Face) -> list[str]:
        words = []
        for cue in cues:
            for word in (w.text for w in cue.words) if cue.words else cue.text.split():
                cleaned = face.clean(word.upper() if self.style.uppercase else word)
                words += cleaned.split()
        return words

    def lines_for(self, words: list[str]) -> tuple[tuple[str, ...], ...] | None:
        """The words in at most ``max_lines`` balanced lines that fit, or None when they cannot."""
        best = None
        for n in range(1, min(self.max_lines, len(words)) + 1):
            for split in _splits(len(words), n):
                lines = tuple(tuple(words[a:b]) for a, b in split)
                widest = max(self.face.width(" ".join(line)) for line in lines)
                if widest <= self.text_width and (best is None or widest < best[0]):
                    best = (widest, lines)
            if best:
                return best[1]
        return None

    def pages(self, cues: list[Cue]) -> list[Page]:
        pages: list[Page] = []
        for cue in cues:
            if cue.end <= cue.start:
                continue
            words = [Word(w.start, w.end, self.text(w.text)) for w in (cue.words or estimate_words(cue))]
            words = [w for w in words if any(c.isalnum() for c in w.text)]  # "🐙." leaves only "."
            groups = self._group(words)
            for i, group in enumerate(groups):
                start = cue.start if i == 0 else group[0].start
                end = groups[i + 1][0].start if i + 1 < len(groups) else cue.end  # hold through pauses
                if end > start:
                    lines = self.lines_for([w.text for w in group]) or tuple((w.text,) for w in group)
                    pages.append(Page(start, end, lines, tuple(group)))
        return pages

    def _group(self, words: list[Word]) -> list[list[Word]]:
        limit = self.style.max_words or len(words)
        groups: list[list[Word]] = [[]]
        for word in words:
            current = groups[-1]
            full = len(current) >= limit or (current and current[-1].text.endswith(PUNCTUATION_BREAK)
                                             and self.style.max_words)
            if current and (full or self.lines_for([w.text for w in [*current, word]]) is None):
                groups.append([word])
            else:
                current.append(word)
        groups = [g for g in groups if g]
        if len(groups) > 1 and len(groups[-1]) == 1 and len(groups[-2]) > 2 and self.style.max_words:
            # "IS PART OF" + "IT." reads worse than "IS PART" + "OF IT."
            moved = groups[-2].pop()
            if self.lines_for([w.text for w in [moved, *groups[-1]]]):
                groups[-1].insert(0, moved)
            else:
                groups[-2].append(moved)
        return groups


def _splits(count: int, n: int) -> list[list[tuple[int, int]]]:
    """Every way to cut ``count`` words into ``n`` non-empty consecutive lines."""
    if n == 1:
        return [[(0, count)]]
    out = []
    for first in range(1, count - n + 2):
        out += [[(0, first)] + [(a + first, b + first) for a, b in rest] for rest in _splits(count - first, n - 1)]
    return out


def estimate_words(cue: Cue) -> list[Word]:
    """A cue without word timings: its words shared out inside its exact bounds."""
    return proportional_words(cue.text, cue.start, cue.end)


# --- ASS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overlay:
    """A headline over one shot: a few keywords set as large animated type."""

    start: float
    end: float
    text: str


def write_ass(path: Path, cues: list[Cue], size: tuple[int, int], style: CaptionStyle, *, title: str = "",
              headlines: list[Overlay] = (), hook: bool = True) -> list[Path]:
    """Write the script; return the font files it uses (libass must find them in its fonts folder)."""
    w, h = size
    lay = Layout(style, size, cues)
    face = lay.face
    display = Face(resolve_font(DISPLAY_FONT), round(110 * lay.scale))
    styles = [_style_line("Caption", face, style, lay), _style_line("Display", display, style, lay, display=True)]
    events: list[str] = []
    for page in lay.pages(cues):
        events += _page_events(page, lay)
    hook_end = HOOK_S if hook and title.strip() else 0.0
    for overlay in headlines:
        events += _headline_events(overlay, display, lay, not_before=hook_end)
    if hook_end:
        events += _title_events(title, display, lay, hook_end)
    header = "\n".join([
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {w}", f"PlayResY: {h}",
        "WrapStyle: 2",  # no automatic wrapping: lines are broken here, measured with the same font
        "ScaledBorderAndShadow: yes", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
        *styles, "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ])
    path.write_text(header + "\n" + "\n".join(events) + "\n", encoding="utf-8")
    return sorted({face.file, display.file})


def _style_line(name: str, face: Face, style: CaptionStyle, lay: Layout, display: bool = False) -> str:
    # Bold only when the file is a bold face: libass would embolden any other, wider than measured.
    bold = -1 if face.is_bold else 0
    outline = round(8 * lay.scale, 1) if display else lay.outline
    shadow = round(4 * lay.scale, 1) if display else lay.shadow
    return (f"Style: {name},{face.family},{face.ass_size},{ass_colour(style.colour)},"
            f"{ass_colour(style.highlight_colour)},{ass_colour(style.outline_colour)},&H80000000,{bold},0,0,0,"
            f"100,100,0,0,1,{outline},{shadow},2,0,0,0,1")


def _dialogue(layer: int, start: float, end: float, style: str, text: str) -> str:
    return f"Dialogue: {layer},{ass_time(start)},{ass_time(end)},{style},,0,0,0,,{text}"


def _page_events(page: Page, lay: Layout) -> list[str]:
    style = lay.style
    pos = f"\\an2\\pos({lay.centre_x},{lay.baseline_y})"
    pop = "\\fscx82\\fscy82\\t(0,110,\\fscx100\\fscy100)" if style.pop else ""
    events = []
    if style.box_opacity > 0:
        events.append(_dialogue(1, page.start, page.end, "Caption", _box(page, lay, pos, pop)))
    if not (style.word_highlight and page.words):
        return events + [_dialogue(2, page.start, page.end, "Caption", f"{{{pos}{pop}}}" + _lines(page, None, lay))]
    for i, word in enumerate(page.words):
        start = page.start if i == 0 else max(page.start, word.start)
        end = page.words[i + 1].start if i + 1 < len(page.words) else page.end
        end = min(end, page.end)
        if end > start:
            events.append(_dialogue(2, start, end, "Caption", f"{{{pos}{pop if i == 0 else ''}}}" + _lines(page, i, lay)))
    return events


def _lines(page: Page, highlight: int | None, lay: Layout) -> str:
    on = "{\\c" + ass_colour(lay.style.highlight_colour) + "&}"
    off = "{\\c" + ass_colour(lay.style.colour) + "&}"
    out, index = [], 0
    for line in page.lines:
        parts = []
        for word in line:
            parts.append(f"{on}{ass_escape(word)}{off}" if index == highlight else ass_escape(word))
            index += 1
        out.append(" ".join(parts))
    return "\\N".join(out)


def _box(page: Page, lay: Layout, pos: str, pop: str) -> str:
    """A rounded translucent box behind the page, sized from the measured text."""
    width = max(lay.face.width(" ".join(line)) for line in page.lines) + 2 * lay.pad
    height = lay.face.line_height * len(page.lines) + 2 * lay.pad
    alpha = f"&H{round(255 * (1 - lay.style.box_opacity)):02X}&"
    shape = rounded_rect(width, height, min(height / 4, 28 * lay.scale))
    # Drawn bottom-centred at the text's anchor, shifted down by the padding so the text sits inside.
    anchor = pos.replace(f",{lay.baseline_y})", f",{lay.baseline_y + lay.pad})")
    return (f"{{{anchor}{pop}\\bord0\\shad0\\1c{ass_colour(lay.style.box_colour)}&\\1a{alpha}\\p1}}{shape}{{\\p0}}")


def rounded_rect(w: float, h: float, r: float) -> str:
    """An ASS vector drawing of a w x h rectangle with corners of radius r (cubic Bezier arcs)."""
    k = r * 0.448  # control-point offset that makes a Bezier close to a quarter circle
    w, h, r, k = (round(v, 1) for v in (w, h, r, k))
    return (f"m {r} 0 l {w - r} 0 b {w - k} 0 {w} {k} {w} {r} l {w} {h - r} b {w} {h - k} {w - k} {h} {w - r} {h} "
            f"l {r} {h} b {k} {h} 0 {h - k} 0 {h - r} l 0 {r} b 0 {k} {k} 0 {r} 0")


def _display_lines(text: str, face: Face, width: float, max_lines: int = 3) -> tuple[Face, list[str]]:
    """Balanced lines of display type that fit ``width``, the size lowered step by step until they do."""
    words = face.clean(text.upper()).split()
    while words:
        for n in range(1, min(max_lines, len(words)) + 1):
            fits = [s for s in _splits(len(words), n)
                    if max(face.width(" ".join(words[a:b])) for a, b in s) <= width]
            if fits:
                best = min(fits, key=lambda s: max(face.width(" ".join(words[a:b])) for a, b in s))
                return face, [" ".join(words[a:b]) for a, b in best]
        face = Face(face.file, int(face.px * 0.9))
    return face, []


GROW = 1.06  # a headline grows slowly to this scale while it is shown


def headline_layout(text: str, display: Face, lay: Layout) -> tuple[Face, str, Box] | None:
    """One line of display type in the headline band, as large as fits once grown; its face, text and box."""
    band = lay.zones.headline
    outline = round(8 * lay.scale, 1)
    width = (band.width - 2 * outline) / GROW
    face, lines = _display_lines(text, display, width, max_lines=1)
    while lines and face.line_height * GROW + 2 * outline > band.height:
        face, lines = _display_lines(text, Face(face.file, int(face.px * 0.92)), width, max_lines=1)
    if not lines:
        return None
    grown_w = face.width(lines[0]) * GROW + 2 * outline
    grown_h = face.line_height * GROW + 2 * outline
    top = band.top + outline
    return face, lines[0], Box(lay.centre_x - grown_w / 2, top - outline, lay.centre_x + grown_w / 2, top - outline + grown_h)


def _headline_events(overlay: Overlay, display: Face, lay: Layout, not_before: float) -> list[str]:
    start, end = max(overlay.start + 0.1, not_before), overlay.end - 0.1
    if end - start < 0.4:
        return []
    laid = headline_layout(overlay.text, display, lay)
    if laid is None:
        return []
    face, line, box = laid
    size = f"\\fs{face.ass_size}" if face.px != display.px else ""
    ms = round((end - start) * 1000)
    top = round(box.top + 8 * lay.scale)
    tags = (f"\\an8\\pos({lay.centre_x},{top}){size}\\fad(120,160)"
            f"\\fscx70\\fscy70\\t(0,180,\\fscx100\\fscy100)\\t(180,{ms},\\fscx106\\fscy106)")
    return [_dialogue(3, start, end, "Display", f"{{{tags}}}" + ass_escape(line))]


def title_layout(title: str, display: Face, lay: Layout) -> tuple[Face, list[str], Box] | None:
    """The title card: up to three lines on a box between the top of the safe area and the caption band."""
    region = Box(lay.left, lay.top, lay.right, lay.zones.captions.top)
    pad, shadow = round(30 * lay.scale), round(6 * lay.scale)
    width = region.width - 2 * lay.pad - 2 * round(24 * lay.scale)
    face, lines = _display_lines(title, Face(display.file, round(display.px * 1.15)), width, max_lines=3)
    while lines and face.line_height * len(lines) + 2 * pad + shadow > region.height:
        face, lines = _display_lines(title, Face(face.file, int(face.px * 0.92)), width, max_lines=3)
    if not lines:
        return None
    box_w = max(face.width(x) for x in lines) + 2 * pad
    box_h = face.line_height * len(lines) + 2 * pad
    cy = min(lay.top + (lay.bottom - lay.top) * 0.33, region.bottom - shadow - box_h / 2)  # above the captions
    cy = max(cy, region.top + box_h / 2)
    return face, lines, Box(lay.centre_x - box_w / 2, cy - box_h / 2, lay.centre_x + box_w / 2 + shadow,
                            cy + box_h / 2 + shadow)


def _title_events(title: str, display: Face, lay: Layout, end: float) -> list[str]:
    """The hook: a dark veil over the first shot and the title in a bright rounded box, popping in."""
    w, h = lay.size
    laid = title_layout(title, display, lay)
    if laid is None:
        return []
    face, lines, box = laid
    shadow = round(6 * lay.scale)
    box_w, box_h = box.width - shadow, box.height - shadow
    cx, cy = lay.centre_x, round(box.top + box_h / 2)
    pop = "\\fscx60\\fscy60\\t(0,160,\\fscx100\\fscy100)\\fad(0,220)"
    veil = f"{{\\an7\\pos(0,0)\\bord0\\shad0\\1c&H000000&\\1a&H70&\\fad(0,220)\\p1}}m 0 0 l {w} 0 {w} {h} 0 {h}{{\\p0}}"
    card = (f"{{\\an5\\pos({cx},{cy}){pop}\\bord0\\shad{shadow}\\1c"
            f"{ass_colour(lay.style.highlight_colour)}&\\p1}}{rounded_rect(box_w, box_h, 24 * lay.scale)}{{\\p0}}")
    text = (f"{{\\an5\\pos({cx},{cy}){pop}\\fs{face.ass_size}\\bord0\\shad0\\1c&H101010&}}"
            + "\\N".join(ass_escape(x) for x in lines))
    return [_dialogue(0, 0, end, "Display", veil), _dialogue(4, 0, end, "Display", card),
            _dialogue(5, 0, end, "Display", text)]
