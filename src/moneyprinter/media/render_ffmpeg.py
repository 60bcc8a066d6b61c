"""The default renderer: one ffmpeg filter graph over stills scaled once and clips decoded once.

1. Each still is scaled and cropped once into a lossless one-frame file (``prepare_stills``).
2. Each transition (crossfade, slide or zoom; 12 frames by default) is rendered by its own short
   ffmpeg run; the loudness of the soundtrack is measured at the same time.
3. One graph plays every shot's body: a still is repeated with the ``loop`` filter (no per-frame
   decode or rescale; Ken Burns is a moving ``crop``: a pointer move per frame, not a resample);
   a video clip is seeked with ``-ss`` before ``-i`` (looped with ``-stream_loop`` when shorter
   than its shot), decoded once at its own size, set to 30 fps, cropped around the centre to the
   aspect and scaled once. The bodies and the transitions are joined with ``concat``, libass
   burns captions, headlines and the title card (one ASS file), the ducked, loudness-normalised
   soundtrack is mixed in (``audio_mix``) and H.264 + AAC is encoded with ``+faststart``.
"""

from __future__ import annotations

import functools
import math
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from moneyprinter.config import Settings
from moneyprinter.errors import ProviderError
from moneyprinter.media import audio_mix
from moneyprinter.media.draft import Shot, ShortDraft
from moneyprinter.media.ffmpeg_run import child_options, ffmpeg_exe, run_ffmpeg
from moneyprinter.settings.render import RenderSettings

FPS = 30
# Pan directions cycled over the stills: (x from, x to, y from, y to) as fractions of the slack.
PANS = ((0, 1, 0.5, 0.5), (1, 0, 0.5, 0.5), (0.5, 0.5, 0, 1), (0.5, 0.5, 1, 0), (0, 1, 0, 1), (1, 0, 1, 0))
# ffmpeg xfade transitions per style; a style's list is cycled over the cuts of a Short.
TRANSITIONS = {"fade": ("fade",), "slide": ("slideleft", "slideup"), "zoom": ("zoomin",),
               "mixed": ("zoomin", "slideleft", "fade", "slideup")}


@dataclass(frozen=True)
class Timeline:
    """How many frames each shot shows; neighbours overlap by ``fade`` frames (the transition)."""

    frames: tuple[int, ...]  # per shot, including the overlaps
    fade: int  # transition length in frames (0 = hard cuts)

    @classmethod
    def plan(cls, count: int, duration: float, crossfade: float,
             durations: list[float | None] | None = None) -> Timeline:
        """Share ``duration`` among ``count`` shots: given ``durations`` in proportion, the rest evenly."""
        total = round(duration * FPS)
        fade = 0 if count == 1 else round(crossfade * FPS)
        fade = min(fade, total // count // 3)  # longer fades would blur the shots into each other
        frames = _slots(total + (count - 1) * fade, durations or [None] * count)
        return cls(tuple(max(f, 2 * fade + 1) for f in frames), fade)

    @property
    def total_frames(self) -> int:
        return sum(self.frames) - (len(self.frames) - 1) * self.fade


def _slots(total: int, durations: list[float | None]) -> list[int]:
    """Frames per shot summing to ``total``: fixed lengths kept (scaled down if too long), the rest shared."""
    fixed = sum(d for d in durations if d) * FPS
    free = [i for i, d in enumerate(durations) if not d]
    scale = min(1.0, (total - len(free) * FPS * 0.5) / fixed) if fixed else 1.0  # free shots keep >= 0.5 s
    if not free:
        scale = total / fixed
    wanted = [d * scale * FPS if d else 0.0 for d in durations]
    rest = total - sum(wanted)
    for i in free:
        wanted[i] = rest / len(free)
    slots, carried = [], 0.0
    for w in wanted:  # round while keeping the running sum exact
        carried += w
        slots.append(max(1, round(carried) - sum(slots)))
    slots[-1] += total - sum(slots)
    return slots


@dataclass(frozen=True)
class Piece:
    """Frames ``first``..``last``-1 of one shot's showing, as its own stream named ``label``."""

    label: str
    first: int
    last: int


def pieces(timeline: Timeline, index: int) -> list[Piece]:
    """Head (transition in), body, tail (transition out) of shot ``index``; just the body without fades."""
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


def prepare_stills(shots: list[Shot], size: tuple[int, int], render: RenderSettings, work: Path) -> dict[int, Path]:
    """Scale and crop every still once, to small lossless one-frame files the later runs share."""
    images = [i for i, s in enumerate(shots) if s.kind == "image"]
    if not images:
        return {}
    sw, sh = still_size(size, render)
    # -framerate 30: a still image defaults to 25 fps; its frame duration must match the loops' 1/30 s.
    inputs = [arg for i in images for arg in ("-framerate", str(FPS), "-i", str(shots[i].path))]
    graph = ";".join(f"[{n}:v]scale={sw}:{sh}:force_original_aspect_ratio=increase:flags=lanczos,crop={sw}:{sh},"
                     f"setsar=1,format=yuv420p[s{n}]" for n in range(len(images)))
    stills = {i: work / f"still{i}.nut" for i in images}
    outputs = [arg for n, i in enumerate(images)
               for arg in ("-map", f"[s{n}]", "-frames:v", "1", "-c:v", "utvideo", str(stills[i]))]
    run_ffmpeg(["-loglevel", "error", *inputs, "-filter_complex", graph, *outputs],
               what="scaling the images", timeout=render.timeout_s, cwd=work)
    return stills


def clip_length(path: Path, timeout: float = 30) -> float:
    """A video's duration from ffmpeg's header report (no decoding)."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True,
                          timeout=timeout, errors="replace", **child_options())
    match = re.search(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)", proc.stderr)
    if not match or "Video:" not in proc.stderr:
        raise ProviderError(f"not a readable video: {path}", hint="remove the file or convert it to MP4")
    h, m, s = match.groups()
    return int(h) * 3600 + int(m) * 60 + float(s)


@dataclass(frozen=True)
class Source:
    """Where a piece's frames come from: ffmpeg input arguments and the chain that shapes them."""

    inputs: list[str]
    chain: str  # from the input's video stream to frames of the output size, 30 fps, yuv420p


class Shots:
    """The shots of one render with what the sources need: prepared stills and clip lengths."""

    def __init__(self, shots: list[Shot], timeline: Timeline, size: tuple[int, int], render: RenderSettings,
                 stills: dict[int, Path]) -> None:
        self.shots, self.timeline, self.size, self.render, self.stills = shots, timeline, size, render, stills
        self.lengths = {i: clip_length(s.path) for i, s in enumerate(shots) if s.kind == "video"}

    def source(self, index: int, piece: Piece) -> Source:
        if self.shots[index].kind == "video":
            return self._clip(index, piece)
        return Source(["-i", str(self.stills[index])], self._pan(index, piece))

    def _pan(self, index: int, p: Piece) -> str:
        """Loop the prepared still for the piece, panning across it if Ken Burns is on."""
        w, h = self.size
        chain = f"setsar=1,loop=loop={p.last - p.first - 1}:size=1:start=0,settb=1/{FPS},setpts=N/{FPS}/TB"
        if self.render.ken_burns:
            x0, x1, y0, y1 = PANS[index % len(PANS)]
            progress = f"((n+{p.first})/{max(self.timeline.frames[index] - 1, 1)})"
            x = f"(iw-ow)*({x0}+({x1}-{x0})*{progress})"
            y = f"(ih-oh)*({y0}+({y1}-{y0})*{progress})"
            # exact=1: 1 px steps (the default rounds yuv420p offsets to 2 px, and a slow pan judders);
            # the chroma is then off by half a chroma sample on odd steps, which nobody can see.
            chain += f",crop={w}:{h}:x='{x}':y='{y}':exact=1"
        return chain

    def _clip(self, index: int, p: Piece) -> Source:
        """Seek to the piece's first frame (wrapping when the clip loops); crop to the aspect, scale once."""
        shot, length = self.shots[index], self.lengths[index]
        w, h = self.size
        start = shot.offset + p.first / FPS
        count = p.last - p.first
        loops = length <= 0 or start + count / FPS > length - 0.05
        if length > 0:
            start %= length
        # -threads 1: one decoding thread per clip. Frame threads each hold reference frames, and the
        # graph keeps every clip's decoder open: with 10 clips that was most of the memory.
        inputs = (["-stream_loop", "-1"] if loops else []) + ["-threads", "1", "-ss", f"{start:.3f}",
                                                              "-t", f"{count / FPS + 0.5:.3f}", "-i", str(shot.path)]
        # Crop at the clip's own size first (fewer pixels to scale), around the centre.
        chain = (f"setpts=PTS-STARTPTS,fps={FPS},crop='min(iw,ih*{w}/{h})':'min(ih,iw*{h}/{w})',"
                 f"scale={w}:{h}:flags=bicubic,setsar=1,format=yuv420p,trim=end_frame={count},"
                 f"settb=1/{FPS},setpts=N/{FPS}/TB")
        return Source(inputs, chain)


def _even(value: float) -> int:
    return int(math.ceil(value / 2) * 2)


def transition_name(style: str, k: int) -> str:
    """The xfade transition of cut ``k`` (1-based) for a transition style."""
    names = TRANSITIONS[style]
    return names[(k - 1) % len(names)]


def transition_job(shots: Shots, k: int, style: str, work: Path):
    """Shot k-1's tail blended into shot k's head, in its own ffmpeg run, to a small lossless file."""
    t = shots.timeline
    tail = next(p for p in pieces(t, k - 1) if p.label[0] == "t")
    head = next(p for p in pieces(t, k) if p.label[0] == "h")
    a, b = shots.source(k - 1, tail), shots.source(k, head)
    # format: without it ffmpeg negotiates yuv444p for the lossless encoder, twice the data to write and read.
    graph = (f"[0:v]{a.chain}[a];[1:v]{b.chain}[b];[a][b]xfade=transition={transition_name(style, k)}:"
             f"duration={t.fade / FPS:.4f}:offset=0,format=yuv420p[x]")
    args = ["-loglevel", "error", *a.inputs, *b.inputs, "-filter_complex", graph, "-map", "[x]",
            "-frames:v", str(t.fade), "-c:v", "utvideo", str(work / f"fade{k}.nut")]
    return functools.partial(run_ffmpeg, args, what=f"rendering transition {k}", timeout=shots.render.timeout_s,
                             cwd=work)


def fades_list(count: int, work: Path) -> Path:
    """A concat-demuxer list of the transition files, so they arrive as one input."""
    listing = work / "fades.txt"
    listing.write_text("".join(f"file 'fade{k}.nut'\n" for k in range(1, count)), encoding="utf-8")
    return listing


def video_graph(shots: Shots, subtitles: str | None, fades: bool) -> tuple[list[str], str]:
    """Inputs and graph: every shot's body, joined with the transitions (the last input) into [vout].

    Transitions are rendered apart: inside this graph, xfade would pull both inputs as soon as
    the graph starts, so every transition would be computed up front and held in memory.
    """
    timeline = shots.timeline
    n = len(timeline.frames)
    inputs, chains, order = [], [], []
    for i in range(n):
        body = next(p for p in pieces(timeline, i) if p.label[0] == "b")
        source = shots.source(i, body)
        chains.append(f"[{i}:v]{source.chain}[b{i}]")
        inputs += source.inputs
        if i > 0 and fades:
            order.append(f"[x{i}]")
        order.append(f"[b{i}]")
    if fades:  # input n: all transitions, back to back: cut them apart again
        chains.append(f"[{n}:v]setsar=1,split={n - 1}" + "".join(f"[f{i}]" for i in range(1, n)))
        for i in range(1, n):
            first = (i - 1) * timeline.fade
            chains.append(f"[f{i}]trim=start_frame={first}:end_frame={first + timeline.fade},"
                          f"setpts=N/{FPS}/TB[x{i}]")
    joined = f"{order[0]}null" if len(order) == 1 else "".join(order) + f"concat=n={len(order)}:v=1:a=0"
    tail = [f"trim=end_frame={timeline.total_frames}"]
    if subtitles:
        tail.append(f"ass={subtitles}:fontsdir=fonts")
    tail.append("format=yuv420p")
    chains.append(joined + "," + ",".join(tail) + "[vout]")
    return inputs, ";".join(chains)


def x264_params(render: RenderSettings) -> list[str]:
    return ["-x264-params", render.x264_params] if render.x264_params else []


def plan(draft: ShortDraft, render: RenderSettings) -> Timeline:
    return Timeline.plan(len(draft.shots), draft.voice_duration, render.crossfade_s,
                         [s.duration for s in draft.shots])


def render(draft: ShortDraft, out_tmp: Path, settings: Settings, work: Path, subtitles: str | None,
           size: tuple[int, int] | None = None, transitions: str = "fade") -> None:
    """Write the MP4 to ``out_tmp``; ``work`` holds the ASS file and the fonts folder.

    ``size`` overrides the frame size (the quick preview); ``transitions`` is a TRANSITIONS style.
    """
    r = settings.render
    size = size or draft.size
    timeline = plan(draft, r)
    # The loudness measurement does not depend on the pictures; transitions run two at a time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        loudness = pool.submit(audio_mix.normalise_filter, draft, r, work)
        stills = prepare_stills(draft.shots, size, r, work)
        shots = Shots(draft.shots, timeline, size, r, stills)
        jobs = [transition_job(shots, k, transitions, work) for k in range(1, len(draft.shots))] if timeline.fade else []
        for done in [pool.submit(job) for job in jobs]:
            done.result()
        normalise = loudness.result()
    inputs, graph = video_graph(shots, subtitles, bool(jobs))
    if jobs:  # input n: every transition, back to back
        inputs += ["-f", "concat", "-safe", "0", "-i", str(fades_list(len(timeline.frames), work))]
    audio = audio_mix.audio_graph(draft, r, first_input=len(draft.shots) + (1 if jobs else 0))
    graph = ";".join([graph, audio.filters, f"[mix]{normalise}[aout]"])
    run_ffmpeg(["-loglevel", "error", *inputs, *audio.inputs, "-filter_complex", graph,
                "-map", "[vout]", "-map", "[aout]", *output_args(draft, r), str(out_tmp)],
               what="rendering the video", timeout=r.timeout_s, cwd=work)


def output_args(draft: ShortDraft, r: RenderSettings) -> list[str]:
    """H.264 High yuv420p 30 fps, AAC 48 kHz, index first (+faststart) so playback starts at once."""
    return ["-c:v", "libx264", "-preset", r.x264_preset, *x264_params(r), "-crf", str(r.crf), "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-r", str(FPS),
            "-c:a", "aac", "-b:a", f"{r.audio_bitrate_k}k", "-ar", str(audio_mix.SAMPLE_RATE),
            "-metadata", f"title={draft.title}", "-movflags", "+faststart", "-f", "mp4"]
