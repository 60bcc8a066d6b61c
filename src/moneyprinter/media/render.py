"""Render a ShortDraft to an MP4 with the configured backend.

Common work lives here: checking the draft, writing the subtitle files next to the MP4, a
private work folder, and writing to a temporary file renamed into place only on success.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from PIL import ImageFont

from moneyprinter.config import Settings
from moneyprinter.errors import ProviderError
from moneyprinter.media import subtitles as subs
from moneyprinter.media.draft import ASPECTS, ShortDraft

def render_short(draft: ShortDraft, out_path: Path, settings: Settings) -> Path:
    """Render ``draft`` to ``out_path`` (MP4). Also writes ``<out>.srt`` and ``<out>.ass`` beside it."""
    check_draft(draft)
    draft = _absolute(draft)  # ffmpeg runs in the work folder
    out_path = Path(out_path).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="render-", dir=out_path.parent) as tmp:
        work = Path(tmp)
        ass_name = _prepare_subtitles(draft, settings, work, out_path)
        out_tmp = work / "out.mp4"
        if settings.render.backend == "moviepy":
            from moneyprinter.media import render_moviepy

            render_moviepy.render(draft, out_tmp, settings, work)
        else:
            from moneyprinter.media import render_ffmpeg

            render_ffmpeg.render(draft, out_tmp, settings, work, ass_name)
        os.replace(out_tmp, out_path)
    return out_path


def check_draft(draft: ShortDraft) -> None:
    if draft.aspect not in ASPECTS:
        raise ProviderError(f"unknown aspect '{draft.aspect}'", hint=f"use one of {', '.join(ASPECTS)}")
    if not draft.shots:
        raise ProviderError("the draft has no pictures or clips", hint="the images stage must produce at least one")
    if not draft.voice_duration or draft.voice_duration <= 0:
        raise ProviderError("the draft's voice duration is not positive", hint="regenerate the voice")
    if len(draft.shots) > draft.voice_duration * 2:
        raise ProviderError(f"{len(draft.shots)} shots for {draft.voice_duration:.1f} s of voice is too many",
                            hint="use at most two pictures or clips per second")
    for shot in draft.shots:
        if shot.kind not in ("image", "video"):
            raise ProviderError(f"shot {shot.path}: unknown kind '{shot.kind}'", hint="use 'image' or 'video'")
    for path in [*(s.path for s in draft.shots), draft.voice, *([draft.music] if draft.music else [])]:
        if not Path(path).is_file():
            raise ProviderError(f"render input missing: {path}", hint="rerun the stage that makes it (--resume)")


def _absolute(draft: ShortDraft) -> ShortDraft:
    return replace(draft, images=[Path(p).resolve() for p in draft.images], voice=Path(draft.voice).resolve(),
                   music=Path(draft.music).resolve() if draft.music else None,
                   shots=[replace(s, path=Path(s.path).resolve()) for s in draft.shots])


def _prepare_subtitles(draft: ShortDraft, settings: Settings, work: Path, out_path: Path) -> str | None:
    """Write SRT and ASS beside the output; put the ASS and its font in ``work`` for libass."""
    style = settings.subtitles
    subs.write_srt(draft.cues, out_path.with_suffix(".srt"), style.max_chars_per_line)
    if not (style.enabled and draft.cues):
        return None
    font_file = subs.resolve_font(style.font, bold=style.bold)
    family = ImageFont.truetype(str(font_file), 10).getname()[0]
    fonts = work / "fonts"
    fonts.mkdir()
    shutil.copy2(font_file, fonts / font_file.name)
    subs.write_ass(draft.cues, work / "subs.ass", draft.size, style, family, font_file)
    shutil.copy2(work / "subs.ass", out_path.with_suffix(".ass"))
    return "subs.ass"
