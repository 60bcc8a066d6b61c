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

from moneyprinter.config import Settings
from moneyprinter.errors import ConfigError, ProviderError
from moneyprinter.media import captions, subtitles as subs
from moneyprinter.media.draft import ASPECTS, ShortDraft

PREVIEW_SCALE = 3  # the preview is a third of the size in each direction


def render_short(draft: ShortDraft, out_path: Path, settings: Settings, *, preview: bool = False) -> Path:
    """Render ``draft`` to ``out_path`` (MP4). Also writes ``<out>.srt`` and ``<out>.ass`` beside it.

    ``preview``: the same timeline at a third of the size, encoded as fast as x264 can, for a look
    before the full render (ffmpeg backend).
    """
    check_draft(draft)
    draft = _absolute(draft)  # ffmpeg runs in the work folder
    out_path = Path(out_path).resolve()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    style = caption_style(draft, settings)
    with tempfile.TemporaryDirectory(prefix="render-", dir=out_path.parent) as tmp:
        work = Path(tmp)
        ass_name = _prepare_subtitles(draft, settings, work, out_path)
        out_tmp = work / "out.mp4"
        if settings.render.backend == "moviepy" and not preview:
            from moneyprinter.media import render_moviepy

            render_moviepy.render(draft, out_tmp, settings, work)
        else:
            from moneyprinter.media import render_ffmpeg

            size = None
            if preview:
                settings = _preview_settings(settings)
                size = tuple(v // PREVIEW_SCALE // 2 * 2 for v in draft.size)
            render_ffmpeg.render(draft, out_tmp, settings, work, ass_name, size=size, transitions=style.transitions)
        os.replace(out_tmp, out_path)
    return out_path


def caption_style(draft: ShortDraft, settings: Settings):
    try:
        return settings.subtitles.style(draft.captions or None)
    except ValueError as exc:
        raise ConfigError(str(exc), hint="choose karaoke, classic or boxed") from None


def _preview_settings(settings: Settings) -> Settings:
    render = settings.render.model_copy(update={"x264_preset": "ultrafast", "crf": 30, "x264_params": ""})
    return settings.model_copy(update={"render": render})


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
    """Write SRT and ASS beside the output; put the ASS and its fonts in ``work`` for libass."""
    subs.write_srt(draft.cues, out_path.with_suffix(".srt"), settings.subtitles.max_chars_per_line)
    hook = settings.subtitles.hook and bool(draft.title.strip())
    headlines = shot_headlines(draft, settings)
    if not ((settings.subtitles.enabled and draft.cues) or hook or headlines):
        return None
    cues = draft.cues if settings.subtitles.enabled else []
    fonts = work / "fonts"
    fonts.mkdir()
    used = captions.write_ass(work / "subs.ass", cues, draft.size, caption_style(draft, settings),
                              title=draft.title, headlines=headlines, hook=hook)
    for font_file in used:
        shutil.copy2(font_file, fonts / font_file.name)
    shutil.copy2(work / "subs.ass", out_path.with_suffix(".ass"))
    return "subs.ass"


def shot_headlines(draft: ShortDraft, settings: Settings) -> list[captions.Overlay]:
    """Where each shot with a headline is on screen alone: a headline is drawn over the whole frame,
    so it waits for the transition into its shot to end and leaves before the one out of it."""
    from moneyprinter.media.render_ffmpeg import FPS, plan

    timeline = plan(draft, settings.render)
    out, start, last = [], 0, len(draft.shots) - 1
    for i, (shot, frames) in enumerate(zip(draft.shots, timeline.frames)):
        if shot.headline.strip():
            first = start + (timeline.fade if i > 0 else 0)
            end = start + frames - (timeline.fade if i < last else 0)
            out.append(captions.Overlay(first / FPS, end / FPS, shot.headline))
        start += frames - timeline.fade
    return out
