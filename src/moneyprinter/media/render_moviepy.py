"""The MoviePy 2 backend: the same ShortDraft composed in Python, for custom effects.

It is several times slower than the ffmpeg graph (every frame is composited in numpy) and is
the reference in ``bench/render.py``. It shares the soundtrack (ducking and loudness) with the
ffmpeg backend, and draws subtitles with Pillow because MoviePy's ``TextClip(method="caption")``
wraps badly (Zulko/moviepy#2547): lines are broken by ``subtitles.break_lines`` instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from moneyprinter.config import Settings
from moneyprinter.errors import ProviderError
from moneyprinter.media import audio_mix, subtitles as subs
from moneyprinter.media.draft import ShortDraft
from moneyprinter.media.ffmpeg_run import stderr_tail
from moneyprinter.media.render_ffmpeg import FPS, PANS, Timeline, x264_params
from moneyprinter.settings.render import SubtitleSettings


def render(draft: ShortDraft, out_tmp: Path, settings: Settings, work: Path) -> None:
    from moviepy import AudioFileClip, CompositeVideoClip, vfx

    r = settings.render
    soundtrack = audio_mix.write_soundtrack(draft, r, work / "soundtrack.wav", work)
    timeline = Timeline.plan(len(draft.images), draft.voice_duration, r.crossfade_s)
    clips, start = [], 0.0
    for i, (image, frames) in enumerate(zip(draft.images, timeline.frames)):
        clip = image_clip(image, i, frames / FPS, draft.size, r.ken_burns, r.ken_burns_travel).with_start(start)
        if i > 0 and timeline.fade:
            clip = clip.with_effects([vfx.CrossFadeIn(timeline.fade / FPS)])
        clips.append(clip)
        start += (frames - timeline.fade) / FPS
    if settings.subtitles.enabled and draft.cues:
        clips += subtitle_clips(draft, settings.subtitles)
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


def subtitle_clips(draft: ShortDraft, style: SubtitleSettings) -> list:
    from moviepy import ImageClip

    font_file = subs.resolve_font(style.font, bold=style.bold)
    width, height = draft.size
    lay = subs.Layout.for_size(style, width, height)
    fitter = subs.FontFitter(font_file, lay)
    fonts: dict[int, ImageFont.FreeTypeFont] = {}
    clips = []
    for event in subs.subtitle_events(draft.cues, style):
        size = fitter.size_for(event.lines)
        font = fonts.setdefault(size, ImageFont.truetype(str(font_file), size))
        picture = draw_event(event, font, lay, width, style)
        y = height - lay.margin_bottom - picture.height
        clips.append(ImageClip(np.asarray(picture)).with_start(event.start)
                     .with_duration(event.end - event.start).with_position(("center", y)))
    return clips


def draw_event(event: subs.SubtitleEvent, font: ImageFont.FreeTypeFont, lay: subs.Layout, width: int,
               style: SubtitleSettings) -> Image.Image:
    """Centred lines with an outline, the spoken word in the highlight colour; transparent elsewhere."""
    stroke = round(lay.outline)
    line_height = round(font.size * 1.2)
    space = font.getlength(" ")
    picture = Image.new("RGBA", (width, line_height * len(event.lines) + 2 * stroke), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    index = 0
    for row, line in enumerate(event.lines):
        line_width = sum(font.getlength(word) for word in line) + space * (len(line) - 1)
        x = (width - line_width) / 2
        for word in line:
            colour = style.highlight_colour if index == event.highlight else style.colour
            draw.text((x, stroke + row * line_height), word, font=font, fill=colour,
                      stroke_width=stroke, stroke_fill=style.outline_colour)
            x += font.getlength(word) + space
            index += 1
    return picture
