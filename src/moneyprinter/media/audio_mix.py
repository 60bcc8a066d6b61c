"""The soundtrack: voice plus music ducked under it, normalised to a loudness target.

Loudness uses ffmpeg's loudnorm in two passes: the first measures the mix, the second applies
one linear gain (no pumping), so the result meets the integrated target and the true-peak ceiling.
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


def measure_loudness(draft: ShortDraft, settings: RenderSettings, cwd: Path) -> dict[str, str]:
    """First loudnorm pass over the mix: the measured values for the second pass."""
    graph = audio_graph(draft, settings, first_input=0)
    stderr = run_ffmpeg(
        [*graph.inputs, "-filter_complex",
         f"{graph.filters};[mix]loudnorm={_loudnorm_target(settings)}:print_format=json[out]",
         "-map", "[out]", "-f", "null", "-"],
        what="measuring loudness", timeout=settings.timeout_s, cwd=cwd,
    )
    match = re.search(r"\{[^{}]*\"input_i\"[^{}]*\}", stderr)
    if not match:
        raise ProviderError("measuring loudness: ffmpeg printed no loudnorm figures",
                            hint="check that the voice file is a readable WAV")
    values = json.loads(match.group(0))
    if values["input_i"] in ("-inf", "inf"):
        raise ProviderError("the voice track is silent", hint="regenerate the voice; a Short needs audible speech")
    return values


def loudnorm_filter(measured: dict[str, str], settings: RenderSettings) -> str:
    """Second pass: one linear gain when the true peak allows it, else loudnorm's own limiter.

    This is what ``loudnorm linear=true`` decides too, but a plain ``volume`` skips its
    192 kHz resampling (about 1.5 s of CPU per minute of audio).
    """
    gain = settings.loudness_lufs - float(measured["input_i"])
    if float(measured["input_tp"]) + gain <= settings.true_peak_db:
        return f"volume={gain:.2f}dB"
    return (
        f"loudnorm={_loudnorm_target(settings)}:measured_I={measured['input_i']}:"
        f"measured_TP={measured['input_tp']}:measured_LRA={measured['input_lra']}:"
        f"measured_thresh={measured['input_thresh']}:offset={measured['target_offset']}:linear=true,"
        f"aresample={SAMPLE_RATE}"
    )


def write_soundtrack(draft: ShortDraft, settings: RenderSettings, out_wav: Path, cwd: Path) -> Path:
    """The finished soundtrack as a WAV (for backends that do not run the ffmpeg graph)."""
    measured = measure_loudness(draft, settings, cwd)
    graph = audio_graph(draft, settings, first_input=0)
    run_ffmpeg(
        [*graph.inputs, "-filter_complex", f"{graph.filters};[mix]{loudnorm_filter(measured, settings)}[out]",
         "-map", "[out]", "-c:a", "pcm_s16le", str(out_wav)],
        what="mixing the soundtrack", timeout=settings.timeout_s, cwd=cwd,
    )
    return out_wav
