"""A test-only renderer: the real pipeline calls moneyprinter.media.render.render_short (tested in tests/render).

It honours the contract (one MP4 of the draft's size, as long as the voice, voice + music mixed)
with a tiny ffmpeg graph at a low resolution preset, so pipeline tests stay fast.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg


def render_short(draft, out_path: Path, settings) -> Path:
    w, h = draft.size
    w, h = w // 4, h // 4  # small: these tests check the pipeline, not picture quality
    per = draft.voice_duration / len(draft.images)
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error"]
    for image in draft.images:
        cmd += ["-loop", "1", "-framerate", "10", "-t", f"{per:.3f}", "-i", str(image)]
    cmd += ["-i", str(draft.voice)]
    inputs = len(draft.images)
    if draft.music:
        cmd += ["-stream_loop", "-1", "-i", str(draft.music)]
    chains = [f"[{i}:v]scale={w}:{h},setsar=1[v{i}]" for i in range(inputs)]
    graph = ";".join(chains) + ";" + "".join(f"[v{i}]" for i in range(inputs)) + f"concat=n={inputs}:v=1:a=0[v]"
    if draft.music:
        graph += f";[{inputs + 1}:a]volume=0.2[m];[{inputs}:a][m]amix=inputs=2:duration=first[a]"
        audio = "[a]"
    else:
        audio = f"{inputs}:a"
    cmd += ["-filter_complex", graph, "-map", "[v]", "-map", audio, "-t", f"{draft.voice_duration:.3f}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out_path)]
    subprocess.run(cmd, check=True, timeout=120)
    return out_path
