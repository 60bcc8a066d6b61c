"""The default renderer: one ffmpeg filter graph, run once.

Each image is scaled and cropped once, then repeated by the ``loop`` filter (no per-frame
decode or rescale: this is what makes it several times faster than realtime). Ken Burns is a
slow pan made with ``crop`` over a slightly larger image: per frame it costs a pointer move,
not a resample. Crossfades use ``xfade``; subtitles are burned in by libass from an ASS file;
the soundtrack is the ducked, loudness-normalised mix of ``audio_mix``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from moneyprinter.config import Settings
from moneyprinter.media import audio_mix
from moneyprinter.media.draft import ShortDraft
from moneyprinter.media.ffmpeg_run import run_ffmpeg

FPS = 30
# Pan directions cycled over the images: (x from, x to, y from, y to) as fractions of the slack.
PANS = ((0, 1, 0.5, 0.5), (1, 0, 0.5, 0.5), (0.5, 0.5, 0, 1), (0.5, 0.5, 1, 0), (0, 1, 0, 1), (1, 0, 1, 0))


@dataclass(frozen=True)
class Timeline:
    """How many frames each image shows; neighbours overlap by ``fade`` frames (the crossfade)."""

    frames: tuple[int, ...]  # per image, including the overlaps
    fade: int  # crossfade length in frames (0 = hard cuts)

    @classmethod
    def plan(cls, count: int, duration: float, crossfade: float) -> Timeline:
        total = round(duration * FPS)
        fade = 0 if count == 1 else round(crossfade * FPS)
        fade = min(fade, total // count // 3)  # longer fades would blur the images into each other
        span = total + (count - 1) * fade
        frames = tuple(span // count + (1 if i < span % count else 0) for i in range(count))
        return cls(frames, fade)

    @property
    def total_frames(self) -> int:
        return sum(self.frames) - (len(self.frames) - 1) * self.fade


def image_chain(index: int, size: tuple[int, int], frames: int, ken_burns: bool, travel: float) -> str:
    """Scale and crop image ``index`` once, loop it ``frames`` times, optionally pan across it. Ends in [v<index>]."""
    w, h = size
    if not ken_burns:
        return (f"[{index}:v]scale={w}:{h}:force_original_aspect_ratio=increase:flags=lanczos,crop={w}:{h},"
                f"setsar=1,format=yuv420p,loop=loop={frames - 1}:size=1:start=0,setpts=N/{FPS}/TB[v{index}]")
    big_w, big_h = _even(w * (1 + travel)), _even(h * (1 + travel))
    x0, x1, y0, y1 = PANS[index % len(PANS)]
    progress = f"(n/{max(frames - 1, 1)})"
    x = f"(iw-ow)*({x0}+({x1}-{x0})*{progress})"
    y = f"(ih-oh)*({y0}+({y1}-{y0})*{progress})"
    # yuv444p while panning so the crop moves in 1 px steps (yuv420p would step by 2 px and judder).
    return (f"[{index}:v]scale={big_w}:{big_h}:force_original_aspect_ratio=increase:flags=lanczos,"
            f"crop={big_w}:{big_h},setsar=1,format=yuv444p,loop=loop={frames - 1}:size=1:start=0,"
            f"setpts=N/{FPS}/TB,crop={w}:{h}:x='{x}':y='{y}',format=yuv420p[v{index}]")


def _even(value: float) -> int:
    return int(math.ceil(value / 2) * 2)


def crossfaded(timeline: Timeline) -> list[str]:
    """Join [v0]..[vN-1] into [joined].

    A chain of xfade filters would pass every frame through every xfade (each one copies it);
    instead each image is cut into head / body / tail, only the short tail+head pairs are blended,
    and concat joins the pieces, so a frame is touched by at most one blend.
    """
    n, fade = len(timeline.frames), timeline.fade
    if n == 1:
        return ["[v0]null[joined]"]
    if fade == 0:
        return ["".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[joined]"]
    chains, pieces = [], []
    for i, frames in enumerate(timeline.frames):
        parts = []
        if i > 0:
            parts.append(("h", 0, fade))
        parts.append(("b", fade if i > 0 else 0, frames - (fade if i < n - 1 else 0)))
        if i < n - 1:
            parts.append(("t", frames - fade, frames))
        chains.append(f"[v{i}]split={len(parts)}" + "".join(f"[{p}{i}in]" for p, _, _ in parts))
        for name, first, last in parts:
            chains.append(f"[{name}{i}in]trim=start_frame={first}:end_frame={last},setpts=PTS-STARTPTS[{name}{i}]")
    seconds = fade / FPS
    for i in range(n):
        if i > 0:
            chains.append(f"[t{i - 1}][h{i}]xfade=transition=fade:duration={seconds:.4f}:offset=0[x{i}]")
            pieces.append(f"[x{i}]")
        pieces.append(f"[b{i}]")
    chains.append("".join(pieces) + f"concat=n={len(pieces)}:v=1:a=0[joined]")
    return chains


def video_graph(draft: ShortDraft, settings: Settings, subtitles: str | None) -> str:
    """The video part of the graph, ending in [vout]; ``subtitles`` is an ASS file name in the work dir."""
    r = settings.render
    timeline = Timeline.plan(len(draft.images), draft.voice_duration, r.crossfade_s)
    chains = [image_chain(i, draft.size, frames, r.ken_burns, r.ken_burns_travel)
              for i, frames in enumerate(timeline.frames)]
    chains += crossfaded(timeline)
    tail = [f"trim=end_frame={timeline.total_frames}"]
    if subtitles:
        tail.append(f"ass={subtitles}:fontsdir=fonts")
    tail.append("format=yuv420p")
    chains.append("[joined]" + ",".join(tail) + "[vout]")
    return ";".join(chains)


def render(draft: ShortDraft, out_tmp: Path, settings: Settings, work: Path, subtitles: str | None) -> None:
    """Write the MP4 to ``out_tmp``; ``work`` holds the ASS file and the fonts folder."""
    r = settings.render
    measured = audio_mix.measure_loudness(draft, r, work)
    image_inputs = [arg for image in draft.images for arg in ("-framerate", str(FPS), "-i", str(image))]
    audio = audio_mix.audio_graph(draft, r, first_input=len(draft.images))
    graph = ";".join([video_graph(draft, settings, subtitles), audio.filters,
                      f"[mix]{audio_mix.loudnorm_filter(measured, r)}[aout]"])
    run_ffmpeg(
        ["-loglevel", "error", *image_inputs, *audio.inputs, "-filter_complex", graph,
         "-map", "[vout]", "-map", "[aout]",
         "-c:v", "libx264", "-preset", r.x264_preset, "-crf", str(r.crf), "-profile:v", "high",
         "-pix_fmt", "yuv420p", "-r", str(FPS),
         "-c:a", "aac", "-b:a", f"{r.audio_bitrate_k}k", "-ar", str(audio_mix.SAMPLE_RATE),
         "-movflags", "+faststart", "-f", "mp4", str(out_tmp)],
        what="rendering the video", timeout=r.timeout_s, cwd=work,
    )
