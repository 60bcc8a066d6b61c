"""The soundtrack: voice plus music ducked under it, normalised to a loudness target.

Loudness takes two passes: ``ebur128`` measures the mix, then one linear gain (no pumping)
brings it to the target, or, when that gain would push peaks over the ceiling, loudnorm's own
two-pass mode limits them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from moneyprinter.errors import ProviderError
from moneyprinter.media.draft import ShortDraft
from moneyprinter.media.ffmpeg_run import run_ffmpeg
from moneyprinter.settings.render import RenderSettings

SAMPLE_RATE = 48000
LRA = 11  # loudness range target; speech rarely exceeds it, so linear mode applies
SILENT_LUFS = -69.0  # ebur128 reports -70 LUFS for digital silence


@dataclass(frozen=True)
class AudioGraph:
    inputs: list[str]  # ffmpeg arguments adding the audio inputs
    filters: str  # filter_complex fragment ending in the label [mix]


def audio_graph(draft: ShortDraft, settings: RenderSettings, first_input: int) -> AudioGraph:
    """Voice (padded/trimmed to the draft's duration) plus looped music, ducked with a sidechain."""
    t = f"{draft.voice_duration:.3f}"
    v = first_input
    fmt = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo"
    voice = f"[{v}:a]{fmt},apad,atrim=0:{t},asetpts=N/SR/TB"
    if draft.music is None or settings.music_volume == 0:
        return AudioGraph(["-i", str(draft.voice)], f"{voice}[mix]")
    m = v + 1
    inputs = ["-i", str(draft.voice), "-stream_loop", "-1", "-i", str(draft.music)]
    music = f"[{m}:a]{fmt},atrim=0:{t},asetpts=N/SR/TB,volume={settings.music_volume:.3f}"
    if not settings.music_ducking:
        return AudioGraph(inputs, f"{voice}[voice];{music}[music];"
                                  "[voice][music]amix=inputs=2:duration=first:normalize=0[mix]")
    return AudioGraph(inputs, (
        f"{voice},asplit=2[voice][key];{music}[music];"
        # Music drops about 10 dB while the voice speaks and comes back in pauses.
        "[music][key]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400:makeup=1[ducked];"
        "[voice][ducked]amix=inputs=2:duration=first:normalize=0[mix]"
    ))


def _loudnorm_target(settings: RenderSettings) -> str:
    return f"I={settings.loudness_lufs:g}:TP={settings.true_peak_db:g}:LRA={LRA}"


def measure_loudness(draft: ShortDraft, settings: RenderSettings, cwd: Path) -> dict[str, float]:
    """First pass: integrated loudness and true peak of the mix.

    Measured with ``ebur128`` rather than ``loudnorm``'s own first pass: same EBU R128 figures,
    about five times less CPU.
    """
    graph = audio_graph(draft, settings, first_input=0)
    stderr = run_ffmpeg(
        ["-nostats", *graph.inputs, "-filter_complex", f"{graph.filters};[mix]ebur128=peak=true:framelog=quiet[out]",
         "-map", "[out]", "-f", "null", "-"],
        what="measuring loudness", timeout=settings.timeout_s, cwd=cwd,
    )
    summary = stderr[stderr.rfind("Summary:"):]
    figures = {
        "input_i": r"I:\s+(-?[\d.]+|-inf) LUFS",
        "input_tp": r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS",
    }
    values = {}
    for key, pattern in figures.items():
        match = re.search(pattern, summary)
        if not match:
            raise ProviderError("measuring loudness: ffmpeg printed no loudness summary",
                                hint="check that the voice file is a readable WAV")
        values[key] = float(match.group(1))
    if values["input_i"] <= SILENT_LUFS:
        raise ProviderError("the voice track is silent", hint="regenerate the voice; a Short needs audible speech")
    return values


def normalise_filter(draft: ShortDraft, settings: RenderSettings, cwd: Path) -> str:
    """The filter that brings the mix to the target: a linear gain, or loudnorm's limiter.

    One linear gain is what ``loudnorm linear=true`` applies too when the true peak allows it;
    a plain ``volume`` skips loudnorm's 192 kHz resampling. When the gain would push peaks over
    the ceiling, loudnorm's own two passes handle it (its first pass supplies its offsets).
    """
    measured = measure_loudness(draft, settings, cwd)
    gain = settings.loudness_lufs - measured["input_i"]
    if measured["input_tp"] + gain <= settings.true_peak_db:
        return f"volume={gain:.2f}dB"
    first = _loudnorm_first_pass(draft, settings, cwd)
    return (
        f"loudnorm={_loudnorm_target(settings)}:measured_I={first['input_i']}:"
        f"measured_TP={first['input_tp']}:measured_LRA={first['input_lra']}:"
        f"measured_thresh={first['input_thresh']}:offset={first['target_offset']}:linear=true,"
        f"aresample={SAMPLE_RATE}"
    )


def _loudnorm_first_pass(draft: ShortDraft, settings: RenderSettings, cwd: Path) -> dict[str, str]:
    graph = audio_graph(draft, settings, first_input=0)
    stderr = run_ffmpeg(
        ["-nostats", *graph.inputs, "-filter_complex",
         f"{graph.filters};[mix]loudnorm={_loudnorm_target(settings)}:print_format=json[out]",
         "-map", "[out]", "-f", "null", "-"],
        what="measuring loudness", timeout=settings.timeout_s, cwd=cwd,
    )
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)
    if not match:
        raise ProviderError("measuring loudness: ffmpeg printed no loudnorm figures",
                            hint="check that the voice file is a readable WAV")
    return json.loads(match.group(0))


def write_soundtrack(draft: ShortDraft, settings: RenderSettings, out_wav: Path, cwd: Path) -> Path:
    """The finished soundtrack as a WAV (for backends that do not run the ffmpeg graph)."""
    normalise = normalise_filter(draft, settings, cwd)
    graph = audio_graph(draft, settings, first_input=0)
    run_ffmpeg(
        [*graph.inputs, "-filter_complex", f"{graph.filters};[mix]{normalise}[out]",
         "-map", "[out]", "-c:a", "pcm_s16le", str(out_wav)],
        what="mixing the soundtrack", timeout=settings.timeout_s, cwd=cwd,
    )
    return out_wav
