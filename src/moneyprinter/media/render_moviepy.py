"""The MoviePy 2 backend: the same ShortDraft composed in Python, for custom effects.

It is several times slower than the ffmpeg graph (every frame is composited in numpy) and is
the reference in ``bench/render.py``. It shares the soundtrack (ducking and loudness) with the
ffmpeg backend, and draws the caption pages of ``media.captions`` with Pillow because MoviePy's
``TextClip(method="caption")`` wraps badly (Zulko/moviepy#2547). Pictures only: no video clips,
headlines or title card (use the ffmpeg backend for those).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from moneyprinter.config import Settings
from moneyprinter.errors import ProviderError
from moneyprinter.media import audio_mix, captions
from moneyprinter.media.draft import ShortDraft
from moneyprinter.media.ffmpeg_run import stderr_tail
from moneyprinter.media.render_ffmpeg import FPS, PANS, plan, x264_params
from moneyprinter.settings.render import CaptionStyle


def render(draft: ShortDraft, out_tmp: Path, settings: Settings, work: Path) -> None:
    from moviepy import AudioFileClip, CompositeVideoClip, vfx

    r = settings.render
    soundtrack = audio_mix.write_soundtrack(draft, r, work / "soundtrack.wav", work)
    if any(shot.kind != "image" for shot in draft.shots):
        raise ProviderError("the MoviePy backend renders pictures only, and this Short has video clips",
                            hint='set render.backend = "ffmpeg"')
    timeline = plan(draft, r)
    clips, start = [], 0.0
    for i, (shot, frames) in enumerate(zip(draft.shots, timeline.frames)):
        clip = image_clip(shot.path, i, frames / FPS, draft.size, r.ken_burns, r.ken_burns_travel).with_start(start)
        if i > 0 and timeline.fade:
            clip = clip.with_effects([vfx.CrossFadeIn(timeline.fade / FPS)])
        clips.append(clip)
        start += (frames - timeline.fade) / FPS
    if settings.subtitles.enabled and draft.cues:
        clips += subtitle_clips(draft, settings.subtitles.style(draft.captions or None))
    audio = AudioFileClip(str(soundtrack))
    # An opaque background: without it the composite carries a mask and MoviePy pipes RGBA frames.
    video = CompositeVideoClip(clips, size=draft.size, bg_color=(0, 0, 0))
    video = video.with_duration(draft.voice_duration).with_audio(audio)
    try:
        video.write_videofile(
            str(out_tmp), fps=FPS, codec="libx264", preset=r.x264_preset, audio_codec="aac",
            audio_bitrate=f"{r.audio_bitrate_k}k", audio_fps=audio_mix.SAMPLE_RATE, pixel_format="yuv420p", logger=None,
            temp_audiofile=str(work / "audio.m4a"),
            ffmpeg_params=[*x264_params(r), "-crf", str(r.crf), "-profile:v", "high",
                           "-metadata", f"title={draft.title}", "-movflags", "+faststart"],
        )
    except OSError as exc:  # MoviePy reports ffmpeg failures as OSError with ffmpeg's whole output
        raise ProviderError(f"rendering the video with MoviePy failed: {stderr_tail(str(exc))}",
                            hint='try render.backend = "ffmpeg"') from exc
    finally:
        video.close()
        audio.close()


def fitted(image: Path, size: tuple[int, int]) -> np.ndarray:
    """The image scaled and centre-cropped to ``size`` once (never per frame)."""
    with Image.open(image) as img:
        return np.asarray(ImageOps.fit(img.convert("RGB"), size, Image.Resampling.LANCZOS))


def image_clip(image: Path, index: int, duration: float, size: tuple[int, int], ken_burns: bool, travel: float):
    """A still, or a slow pan across a slightly larger copy (a numpy slice per frame)."""
    from moviepy import ImageClip, VideoClip

    w, h = size
    if not ken_burns:
        return ImageClip(fitted(image, size)).with_duration(duration)
    big = fitted(image, (round(w * (1 + travel)), round(h * (1 + travel))))
    slack_x, slack_y = big.shape[1] - w, big.shape[0] - h
    x0, x1, y0, y1 = PANS[index % len(PANS)]

    def frame(t: float) -> np.ndarray:
        p = min(max(t / duration, 0.0), 1.0)
        x = round(slack_x * (x0 + (x1 - x0) * p))
        y = round(slack_y * (y0 + (y1 - y0) * p))
        return big[y:y + h, x:x + w]

    return VideoClip(frame, duration=duration)


def subtitle_clips(draft: ShortDraft, style: CaptionStyle) -> list:
    """Caption pages laid out as by the ffmpeg backend, drawn with Pillow (no pop-in, no box)."""
    from moviepy import ImageClip

    lay = captions.Layout(style, draft.size, draft.cues)
    clips = []
    for page in lay.pages(draft.cues):
        steps = [(page.start, page.end, None)]
        if style.word_highlight and page.words:
            starts = [page.start] + [max(page.start, w.start) for w in page.words[1:]]
            steps = [(a, b, i) for i, (a, b) in enumerate(zip(starts, starts[1:] + [page.end])) if b > a]
        for start, end, highlight in steps:
            picture = draw_page(page, highlight, lay)
            clips.append(ImageClip(np.asarray(picture)).with_start(start).with_duration(end - start)
                         .with_position((lay.centre_x - picture.width // 2, lay.baseline_y - picture.height)))
    return clips


def draw_page(page: captions.Page, highlight: int | None, lay: captions.Layout) -> Image.Image:
    """Centred lines with an outline, the spoken word in the highlight colour; transparent elsewhere."""
    font, style = lay.face.font, lay.style
    stroke = round(lay.outline)
    line_height = lay.face.line_height
    space = font.getlength(" ")
    width = round(max(font.getlength(" ".join(line)) for line in page.lines)) + 2 * stroke
    picture = Image.new("RGBA", (width, line_height * len(page.lines) + 2 * stroke), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    index = 0
    for row, line in enumerate(page.lines):
        line_width = sum(font.getlength(word) for word in line) + space * (len(line) - 1)
        x = (width - line_width) / 2
        for word in line:
            colour = style.highlight_colour if index == highlight else style.colour
            draw.text((x, stroke + row * line_height), word, font=font, fill=colour,
                      stroke_width=stroke, stroke_fill=style.outline_colour)
            x += font.getlength(word) + space
            index += 1
    return picture
