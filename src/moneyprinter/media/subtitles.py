"""Subtitle files from cues: line breaking, the SRT file, ASS helpers and font lookup.

The burned-in captions (ASS) are laid out by ``media.captions``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from moneyprinter.errors import ConfigError
from moneyprinter.media.draft import Cue

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


# --- ASS helpers (the script itself is written by media.captions) ---------------------------


def ass_colour(hex_colour: str) -> str:
    """#RRGGBB -> ASS &H00BBGGRR (alpha 00 = opaque)."""
    r, g, b = hex_colour[1:3], hex_colour[3:5], hex_colour[5:7]
    return f"&H00{b}{g}{r}".upper()


def ass_escape(text: str) -> str:
    # Braces open override blocks and a backslash starts a tag: neither may come from the script.
    return text.replace("\\", "/").replace("{", "(").replace("}", ")")


def ass_time(seconds: float) -> str:
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
    found = _packaged(font, bold) or _fc_match(font, bold) or _scan_font_dirs(font, bold)
    if found is None and font.lower() == "dejavu sans":
        found = BUNDLED_FONT
    if found is None:
        raise ConfigError(
            f"subtitles.font: no font named '{font}' found on this machine",
            hint="install one (e.g. apt-get install fonts-dejavu-core) or set subtitles.font to a .ttf path",
        )
    return found


def _packaged(family: str, bold: bool) -> Path | None:
    """A font installed as a Python package (fontpkg: OFL fonts with their licence beside them)."""
    try:
        import fontpkg

        return fontpkg.path(family, 700 if bold else 400, nearest=True)
    except (ImportError, fontpkg.FontpkgError):
        return None


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
