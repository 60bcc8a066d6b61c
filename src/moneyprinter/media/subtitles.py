"""Subtitle files from cues: line breaking, SRT, and styled ASS (burned in by libass).

The ASS script's PlayRes equals the video size, so font sizes and margins are real pixels.
When cues carry word timings, each word gets its own event showing the whole cue with the
spoken word in the highlight colour (the usual Shorts look).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

from moneyprinter.errors import ConfigError
from moneyprinter.media.draft import Cue
from moneyprinter.settings.render import SubtitleSettings

BUNDLED_FONT = Path(__file__).parent / "fonts" / "DejaVuSans-Bold.ttf"  # used when the system has no DejaVu
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts")


# --- Line breaking --------------------------------------------------------------------------


def break_lines(text: str, max_chars: int = 32, max_lines: int = 2) -> list[str]:
    """Split ``text`` into at most ``max_lines`` balanced lines near ``max_chars`` each.

    Explicit newlines are kept. Words are never split; a text too long for the lines simply
    makes longer lines (the pipeline splits cues to fit, this only lays them out).
    """
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    words = text.split()
    if not words:
        return []
    if len(text) <= max_chars or len(words) == 1:
        return [" ".join(words)]
    lines_needed = min(max_lines, -(-len(" ".join(words)) // max_chars))
    return _balanced(words, lines_needed)


def _balanced(words: list[str], n_lines: int) -> list[str]:
    """Greedy split aiming at equal line lengths (looks better than filling the first line)."""
    total = len(" ".join(words))
    target = total / n_lines
    lines: list[list[str]] = [[]]
    length = 0
    for i, word in enumerate(words):
        remaining_words = len(words) - i
        open_lines = n_lines - len(lines)
        if lines[-1] and open_lines > 0 and remaining_words > open_lines - 1:
            with_word = length + 1 + len(word)
            if abs(with_word - target) > abs(length - target):
                lines.append([])
                length = 0
        length += (1 if lines[-1] else 0) + len(word)
        lines[-1].append(word)
    return [" ".join(line) for line in lines]


def cue_lines(cue: Cue, max_chars: int) -> list[list[str]]:
    """The cue's words arranged in lines (from its word timings when it has them)."""
    text = " ".join(w.text.strip() for w in cue.words) if cue.words else cue.text
    return [line.split() for line in break_lines(text, max_chars)]


# --- SRT ------------------------------------------------------------------------------------


def write_srt(cues: list[Cue], path: Path, max_chars: int = 32) -> Path:
    blocks = []
    for index, cue in enumerate(cues, start=1):
        text = "\n".join(" ".join(line) for line in cue_lines(cue, max_chars))
        blocks.append(f"{index}\n{_srt_time(cue.start)} --> {_srt_time(cue.end)}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _srt_time(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


# --- ASS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Pixel geometry of the subtitles for one frame size."""

    font_size: int
    outline: float
    shadow: float
    margin_bottom: int
    margin_side: int
    text_width: int  # the widest a line may be: the frame minus the side margins

    @classmethod
    def for_size(cls, style: SubtitleSettings, width: int, height: int) -> Layout:
        scale = min(width, height) / 1080  # sizes are given for a 1080 px short side
        bottom_pct = style.bottom_margin_pct if height > width else min(style.bottom_margin_pct, 8)
        return cls(
            font_size=round(style.font_size * scale),
            outline=round(style.outline_px * scale, 1),
            shadow=round(style.shadow_px * scale, 1),
            margin_bottom=round(height * bottom_pct / 100),
            margin_side=round(width * style.side_margin_pct / 100),
            text_width=width - 2 * round(width * style.side_margin_pct / 100),
        )


class FontFitter:
    """Shrinks the font of an event whose widest line would not fit between the side margins.

    The pipeline keeps lines near 32 characters, but at 64 px bold that is about 1200 px: wider
    than a 1080 px frame. Measured with Pillow on the same font file libass draws with.
    """

    def __init__(self, font_file: Path, layout: Layout) -> None:
        self.font = ImageFont.truetype(str(font_file), layout.font_size)
        self.layout = layout

    @property
    def ass_factor(self) -> float:
        """ASS font size per pixel of em: libass sizes a font by its ascent plus descent."""
        ascent, descent = self.font.font_variant(size=1000).getmetrics()  # large: little rounding
        return (ascent + descent) / 1000

    def size_for(self, lines: tuple[tuple[str, ...], ...]) -> int:
        widest = max(self.font.getlength(" ".join(line)) for line in lines) + 2 * self.layout.outline
        if widest <= self.layout.text_width:
            return self.layout.font_size
        return max(8, int(self.layout.font_size * self.layout.text_width / widest))


def ass_colour(hex_colour: str) -> str:
    """#RRGGBB -> ASS &H00BBGGRR (alpha 00 = opaque)."""
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"&H00{b}{g}{r}".upper()


def write_ass(cues: list[Cue], path: Path, size: tuple[int, int], style: SubtitleSettings, font_name: str,
              font_file: Path | None = None) -> Path:
    """The styled ASS script. With ``font_file``, lines too wide for the frame get a smaller font."""
    width, height = size
    lay = Layout.for_size(style, width, height)
    fitter = FontFitter(font_file, lay) if font_file else None
    # ASS sizes are ascent+descent, not the em square: convert so the text is font_size px like in Pillow.
    em = fitter.ass_factor if fitter else 1.0
    header = "\n".join([
        "[Script Info]",
        "ScriptType: v4.00+",
        f"PlayResX: {width}",
        f"PlayResY: {height}",
        "WrapStyle: 2",  # no automatic wrapping: lines are broken here, the same way for every backend
        "ScaledBorderAndShadow: yes",
        "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, "
        "Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, "
        "MarginL, MarginR, MarginV, Encoding",
        f"Style: Default,{font_name},{round(lay.font_size * em)},"
        f"{ass_colour(style.colour)},{ass_colour(style.highlight_colour)},"
        f"{ass_colour(style.outline_colour)},&H80000000,{-1 if style.bold else 0},0,0,0,100,100,0,0,1,"
        f"{lay.outline},{lay.shadow},2,{lay.margin_side},{lay.margin_side},{lay.margin_bottom},1",
        "",
        "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ])
    events = []
    for event in subtitle_events(cues, style):
        size_tag = ""
        if fitter and (fitted := fitter.size_for(event.lines)) != lay.font_size:
            size_tag = f"{{\\fs{int(fitted * em)}}}"
        events.append(_dialogue(event.start, event.end, size_tag + _ass_text(event, style)))
    path.write_text(header + "\n" + "\n".join(events) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class SubtitleEvent:
    """What is on screen from ``start`` to ``end``: lines of words, one of them maybe highlighted."""

    start: float
    end: float
    lines: tuple[tuple[str, ...], ...]
    highlight: int | None = None  # index of the spoken word, counting across lines


def subtitle_events(cues: list[Cue], style: SubtitleSettings) -> list[SubtitleEvent]:
    """One event per cue, or one per word when the cue has word timings and highlighting is on."""
    events = []
    for cue in cues:
        lines = tuple(tuple(line) for line in cue_lines(cue, style.max_chars_per_line))
        if not lines or cue.end <= cue.start:
            continue
        if not (cue.words and style.word_highlight):
            events.append(SubtitleEvent(cue.start, cue.end, lines))
            continue
        words = list(cue.words)
        for i, word in enumerate(words):
            start = cue.start if i == 0 else max(cue.start, word.start)
            end = min(cue.end, words[i + 1].start) if i + 1 < len(words) else cue.end  # hold through pauses
            if end > start:
                events.append(SubtitleEvent(start, end, lines, i))
    return events


def _ass_text(event: SubtitleEvent, style: SubtitleSettings) -> str:
    on = "{\\c" + ass_colour(style.highlight_colour) + "&}"
    off = "{\\c" + ass_colour(style.colour) + "&}"
    out, index = [], 0
    for line in event.lines:
        parts = []
        for word in line:
            word = _ass_escape(word)
            parts.append(f"{on}{word}{off}" if index == event.highlight else word)
            index += 1
        out.append(" ".join(parts))
    return "\\N".join(out)


def _ass_escape(text: str) -> str:
    # Braces open override blocks and a backslash starts a tag: neither may come from the script.
    return text.replace("\\", "/").replace("{", "(").replace("}", ")")


def _dialogue(start: float, end: float, text: str) -> str:
    return f"Dialogue: 0,{_ass_time(start)},{_ass_time(end)},Default,,0,0,0,,{text}"


def _ass_time(seconds: float) -> str:
    cs = max(0, round(seconds * 100))
    h, rest = divmod(cs, 360_000)
    m, rest = divmod(rest, 6000)
    s, cs = divmod(rest, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{cs:02d}"


# --- Fonts ----------------------------------------------------------------------------------


def resolve_font(font: str, *, bold: bool = False) -> Path:
    """The font file for a family name or path; libass and Pillow then load the same file."""
    candidate = Path(font).expanduser()
    if candidate.suffix.lower() in {".ttf", ".otf", ".ttc"}:
        if candidate.is_file():
            return candidate
        raise ConfigError(f"subtitles.font: font file {candidate} does not exist", hint="give an existing .ttf path")
    found = _fc_match(font, bold) or _scan_font_dirs(font, bold)
    if found is None and font.lower() == "dejavu sans":
        found = BUNDLED_FONT
    if found is None:
        raise ConfigError(
            f"subtitles.font: no font named '{font}' found on this machine",
            hint="install one (e.g. apt-get install fonts-dejavu-core) or set subtitles.font to a .ttf path",
        )
    return found


def _fc_match(family: str, bold: bool) -> Path | None:
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    pattern = f"{family}:style=Bold" if bold else family
    try:
        result = subprocess.run([fc_match, "-f", "%{family}|%{file}", pattern], capture_output=True, text=True,
                                timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    families, _, file = result.stdout.partition("|")
    # fc-match always answers with something; accept it only if it is the family asked for.
    if file and family.lower() in families.lower() and Path(file).is_file():
        return Path(file)
    return None


def _scan_font_dirs(family: str, bold: bool) -> Path | None:
    stem = family.replace(" ", "").lower()
    wanted = [f"{stem}-bold", f"{stem}bold"] if bold else []
    wanted += [stem, f"{stem}-regular", f"{stem}regular", f"{stem}-book"]
    files = [p for d in FONT_DIRS if d.is_dir() for p in d.rglob("*") if p.suffix.lower() in {".ttf", ".otf"}]
    by_stem = {p.stem.replace(" ", "").lower(): p for p in files}
    return next((by_stem[name] for name in wanted if name in by_stem), None)
