"""The default renderer: an ffmpeg filter graph over images scaled once.

1. Each image is scaled and cropped once into a lossless one-frame file (``prepare_stills``).
2. Each crossfade (12 frames by default) is rendered by its own short ffmpeg run; the loudness
   of the soundtrack is measured at the same time.
3. One graph loops every still with the ``loop`` filter (no per-frame decode or rescale; Ken
   Burns is a moving ``crop``: a pointer move per frame, not a resample), joins the pieces and
   the crossfades with ``concat``, burns the subtitles with libass, mixes the ducked,
   loudness-normalised soundtrack (``audio_mix``) and encodes H.264 + AAC with ``+faststart``.
"""

from __future__ import annotations

import functools
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from moneyprinter.config import Settings
from moneyprinter.media import audio_mix
from moneyprinter.media.draft import ShortDraft
from moneyprinter.media.ffmpeg_run import run_ffmpeg
from moneyprinter.settings.render import RenderSettings

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


@dataclass(frozen=True)
class Piece:
    """Frames ``first``..``last``-1 of one image's showing, as its own stream named ``label``."""

    label: str
    first: int
    last: int


def pieces(timeline: Timeline, index: int) -> list[Piece]:
    """Head (fading in), body, tail (fading out) of image ``index``; just the body without fades."""
    n, fade, frames = len(timeline.frames), timeline.fade, timeline.frames[index]
    head = fade if index > 0 else 0
    tail = fade if index < n - 1 else 0
    out = [Piece(f"h{index}", 0, head)] if head else []
    out.append(Piece(f"b{index}", head, frames - tail))
    if tail:
        out.append(Piece(f"t{index}", frames - tail, frames))
    return out


def still_size(size: tuple[int, int], render: RenderSettings) -> tuple[int, int]:
    """The scaled image: the frame, or a little larger when Ken Burns pans across it."""
    w, h = size
    if not render.ken_burns:
        return w, h
    return _even(w * (1 + render.ken_burns_travel)), _even(h * (1 + render.ken_burns_travel))


def prepare_stills(draft: ShortDraft, render: RenderSettings, work: Path) -> list[Path]:
    """Scale and crop every image once, to small lossless one-frame files the later runs share."""
    sw, sh = still_size(draft.size, render)
    # -framerate 30: a still image defaults to 25 fps; its frame duration must match the loops' 1/30 s.
    inputs = [arg for image in draft.images for arg in ("-framerate", str(FPS), "-i", str(image))]
    graph = ";".join(f"[{i}:v]scale={sw}:{sh}:force_original_aspect_ratio=increase:flags=lanczos,crop={sw}:{sh},"
                     f"setsar=1,format=yuv420p[s{i}]" for i in range(len(draft.images)))
    stills = [work / f"still{i}.nut" for i in range(len(draft.images))]
    outputs = [arg for i, still in enumerate(stills)
               for arg in ("-map", f"[s{i}]", "-frames:v", "1", "-c:v", "utvideo", str(still))]
    run_ffmpeg(["-loglevel", "error", *inputs, "-filter_complex", graph, *outputs],
               what="scaling the images", timeout=render.timeout_s, cwd=work)
    return stills


def image_chains(index: int, parts: list[Piece], frames: int, size: tuple[int, int], render: RenderSettings,
                 source: int | None = None) -> list[str]:
    """Loop the prepared still of image ``index`` for each piece, panning across it if Ken Burns is on.

    Every piece loops its own reference to the still frame, so nothing is buffered while
    another piece plays (a split after the loop would queue frames). ``source`` is the input
    number when it is not ``index``.
    """
    w, h = size
    chains = [f"[{index if source is None else source}:v]setsar=1,split={len(parts)}"
              + "".join(f"[s{p.label}]" for p in parts)]
    x0, x1, y0, y1 = PANS[index % len(PANS)]
    for p in parts:
        chain = f"[s{p.label}]loop=loop={p.last - p.first - 1}:size=1:start=0,settb=1/{FPS},setpts=N/{FPS}/TB"
        if render.ken_burns:
            progress = f"((n+{p.first})/{max(frames - 1, 1)})"
            x = f"(iw-ow)*({x0}+({x1}-{x0})*{progress})"
            y = f"(ih-oh)*({y0}+({y1}-{y0})*{progress})"
            # exact=1: 1 px steps (the default rounds yuv420p offsets to 2 px, and a slow pan judders);
            # the chroma is then off by half a chroma sample on odd steps, which nobody can see.
            chain += f",crop={w}:{h}:x='{x}':y='{y}':exact=1"
        chains.append(f"{chain}[{p.label}]")
    return chains


def _even(value: float) -> int:
    return int(math.ceil(value / 2) * 2)


def transition_graph(timeline: Timeline, k: int, size: tuple[int, int], render: RenderSettings) -> str:
    """Image k-1's tail blended into image k's head; their stills are inputs 0 and 1. Ends in [x]."""
    tail = [p for p in pieces(timeline, k - 1) if p.label[0] == "t"]
    head = [p for p in pieces(timeline, k) if p.label[0] == "h"]
    chains = image_chains(k - 1, tail, timeline.frames[k - 1], size, render, source=0)
    chains += image_chains(k, head, timeline.frames[k], size, render, source=1)
    # format: without it ffmpeg negotiates yuv444p for the lossless encoder, twice the data to write and read.
    chains.append(f"[t{k - 1}][h{k}]xfade=transition=fade:duration={timeline.fade / FPS:.4f}:offset=0,"
                  f"format=yuv420p[x]")
    return ";".join(chains)


def transition_jobs(draft: ShortDraft, stills: list[Path], timeline: Timeline, settings: RenderSettings,
                    work: Path) -> list:
    """One short ffmpeg run per crossfade, each writing a small lossless file.

    Inside the main graph, xfade pulls both inputs as soon as the graph starts, so every
    crossfade would be computed up front and held in memory (about 260 MB at 1080x1920), and
    so would separate file inputs (ffmpeg decodes each input ahead). Rendered apart, they
    keep memory flat, and the main graph reads them all as ONE input, in order (see fades_list).
    """
    jobs = []
    for k in range(1, len(timeline.frames)):
        pair = ["-i", str(stills[k - 1]), "-i", str(stills[k])]
        args = ["-loglevel", "error", *pair, "-filter_complex", transition_graph(timeline, k, draft.size, settings),
                "-map", "[x]", "-c:v", "utvideo", str(work / f"fade{k}.nut")]
        jobs.append(functools.partial(run_ffmpeg, args, what=f"rendering crossfade {k}",
                                      timeout=settings.timeout_s, cwd=work))
    return jobs


def fades_list(count: int, work: Path) -> Path:
    """A concat-demuxer list of the crossfade files, so they arrive as one input."""
    listing = work / "fades.txt"
    listing.write_text("".join(f"file 'fade{k}.nut'\n" for k in range(1, count)), encoding="utf-8")
    return listing


def video_graph(draft: ShortDraft, settings: Settings, subtitles: str | None, fades: bool = False) -> str:
    """Bodies of the images joined with the crossfade files (inputs after the images) into [vout].

    ``subtitles`` is an ASS file name in the work dir; ``fades`` says whether input n (after the
    images) holds the crossfades.
    """
    r = settings.render
    timeline = Timeline.plan(len(draft.images), draft.voice_duration, r.crossfade_s if fades else 0)
    n = len(timeline.frames)
    chains, order = [], []
    if fades:  # all crossfades, back to back, in input n: cut them apart again
        chains.append(f"[{n}:v]setsar=1,split={n - 1}" + "".join(f"[f{i}]" for i in range(1, n)))
    for i, frames in enumerate(timeline.frames):
        body = [p for p in pieces(timeline, i) if p.label[0] == "b"]
        chains += image_chains(i, body, frames, draft.size, r)
        if i > 0 and fades:
            first = (i - 1) * timeline.fade
            chains.append(f"[f{i}]trim=start_frame={first}:end_frame={first + timeline.fade},"
                          f"setpts=N/{FPS}/TB[x{i}]")
            order.append(f"[x{i}]")
        order.append(f"[b{i}]")
    joined = f"{order[0]}null" if len(order) == 1 else "".join(order) + f"concat=n={len(order)}:v=1:a=0"
    tail = [f"trim=end_frame={timeline.total_frames}"]
    if subtitles:
        tail.append(f"ass={subtitles}:fontsdir=fonts")
    tail.append("format=yuv420p")
    chains.append(joined + "," + ",".join(tail) + "[vout]")
    return ";".join(chains)


def x264_params(render: RenderSettings) -> list[str]:
    return ["-x264-params", render.x264_params] if render.x264_params else []


def render(draft: ShortDraft, out_tmp: Path, settings: Settings, work: Path, subtitles: str | None) -> None:
    """Write the MP4 to ``out_tmp``; ``work`` holds the ASS file and the fonts folder."""
    r = settings.render
    timeline = Timeline.plan(len(draft.images), draft.voice_duration, r.crossfade_s)
    # The loudness measurement does not depend on the pictures; crossfades run two at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        loudness = pool.submit(audio_mix.normalise_filter, draft, r, work)
        stills = prepare_stills(draft, r, work)
        jobs = transition_jobs(draft, stills, timeline, r, work) if timeline.fade else []
        for done in [pool.submit(job) for job in jobs]:
            done.result()
        normalise = loudness.result()
    inputs = [arg for still in stills for arg in ("-i", str(still))]
    if jobs:  # input n: every crossfade, back to back
        inputs += ["-f", "concat", "-safe", "0", "-i", str(fades_list(len(timeline.frames), work))]
    audio = audio_mix.audio_graph(draft, r, first_input=len(draft.images) + (1 if jobs else 0))
    graph = ";".join([video_graph(draft, settings, subtitles, bool(jobs)), audio.filters, f"[mix]{normalise}[aout]"])
    run_ffmpeg(["-loglevel", "error", *inputs, *audio.inputs, "-filter_complex", graph,
                "-map", "[vout]", "-map", "[aout]", *output_args(draft, r), str(out_tmp)],
               what="rendering the video", timeout=r.timeout_s, cwd=work)


def output_args(draft: ShortDraft, r: RenderSettings) -> list[str]:
    """H.264 High yuv420p 30 fps, AAC 48 kHz, index first (+faststart) so playback starts at once."""
    return ["-c:v", "libx264", "-preset", r.x264_preset, *x264_params(r), "-crf", str(r.crf), "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-r", str(FPS),
            "-c:a", "aac", "-b:a", f"{r.audio_bitrate_k}k", "-ar", str(audio_mix.SAMPLE_RATE),
            "-metadata", f"title={draft.title}", "-movflags", "+faststart", "-f", "mp4"]
