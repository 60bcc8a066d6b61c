"""Render benchmark: the same generated 60 s Short with both backends, in one run.

Inputs are generated here (8 Pillow images, 20 cues, a speech-like voice and a music loop).
Each render runs in its own child process so its peak memory is measured alone:
``resource.getrusage`` of the child itself (Python) and of its ffmpeg children.

    python bench/render.py                 # moviepy reference + ffmpeg with Ken Burns off and on
    python bench/render.py --skip-moviepy  # only the ffmpeg backend (quick)

Each ffmpeg configuration runs ``--repeat`` times (default 2) and the fastest run counts; the
ffmpeg configurations run before MoviePy, whose large output is flushed to disk before the next run.

Floors (issue 3): ffmpeg >= 8x faster than moviepy; >= 4x realtime with Ken Burns off and
>= 2x with it on (classic captions). Issue 13: stills with karaoke captions, a title card and
mixed transitions >= 3x realtime; 10 stock clips (local H.264 files, portrait and landscape,
some looped) >= 2x; peak RSS <= 700 MB. The machine is shared: compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

RATE = 48000
SENTENCES = [
    "Octopuses have three hearts", "and blue blood in their veins", "Honey never spoils",
    "archaeologists found edible honey", "in ancient Egyptian tombs", "Bananas are berries",
    "but strawberries are not", "A day on Venus is longer", "than its whole year",
    "Sharks existed before trees", "Wombat droppings are cubes", "Your bones are stronger than steel",
    "Sloths can hold their breath", "longer than dolphins can", "The Eiffel Tower grows in summer",
    "Cows have best friends", "Butterflies taste with their feet", "There are more stars than sand grains",
    "Lightning is hotter than the sun", "Follow for more facts",
]
# classic: two-line sentence captions, no title card (the figures of the earlier renderer);
# karaoke: 1-3 words a page with the spoken word highlighted, pop-in, title card, mixed transitions.
CONFIGS = {
    "ffmpeg, Ken Burns off": {"backend": "ffmpeg", "ken_burns": False, "captions": "classic"},
    "ffmpeg, Ken Burns on": {"backend": "ffmpeg", "ken_burns": True, "captions": "classic"},
    "stills, karaoke": {"backend": "ffmpeg", "ken_burns": True, "captions": "karaoke"},
    "10 stock clips, karaoke": {"backend": "ffmpeg", "ken_burns": True, "captions": "karaoke", "clips": True},
    "moviepy": {"backend": "moviepy", "ken_burns": False, "captions": "classic"},
}
CLIPS = 10


def generate_inputs(folder: Path, seconds: float) -> dict:
    rng = np.random.default_rng(7)
    images = []
    for i in range(8):
        images.append(str(_image(folder / f"image{i}.png", rng)))
    t = np.arange(int(RATE * seconds)) / RATE
    syllables = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) ** 0.5 * (np.sin(2 * np.pi * 0.4 * t) > -0.8)
    voice = 0.15 * syllables * (np.sin(2 * np.pi * 150 * t) + 0.5 * np.sin(2 * np.pi * 300 * t)
                                + 0.2 * rng.standard_normal(t.size))
    m = np.arange(RATE * 16) / RATE
    music = 0.15 * (np.sin(2 * np.pi * 220 * m) + np.sin(2 * np.pi * 277 * m) + np.sin(2 * np.pi * 330 * m)) / 3
    step = seconds / len(SENTENCES)
    cues = [[i * step + 0.05, (i + 1) * step - 0.05, text] for i, text in enumerate(SENTENCES)]
    return {"images": images, "voice": str(_wav(folder / "voice.wav", voice)),
            "music": str(_wav(folder / "music.wav", music)), "seconds": seconds, "cues": cues,
            "clips": [str(_clip(folder / f"clip{i}.mp4", i, seconds / CLIPS)) for i in range(CLIPS)]}


def _clip(path: Path, index: int, shot_seconds: float) -> Path:
    """A stock-like H.264 clip made with ffmpeg: portrait 1080x1920 or landscape 1920x1080 (cropped by the
    renderer), 30 or 25 fps, a little grain; every third one shorter than its shot (the renderer loops it)."""
    from moneyprinter.media.ffmpeg_run import ffmpeg_exe

    size, rate = ("1080x1920", 30) if index % 2 == 0 else ("1920x1080", 25)
    seconds = shot_seconds * (0.6 if index % 3 == 2 else 1.5)
    source = f"testsrc2=s={size}:r={rate}:d={seconds:.2f},hue=h={index * 36},noise=alls=6:allf=t"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", str(path)],
                   check=True)
    return path


def _image(path: Path, rng: np.random.Generator) -> Path:
    w, h = 1344, 1792  # a typical generated-image size, not the output size: the renderer must scale
    ramp = np.linspace(0, 1, w)[None, :, None] * 0.6 + np.linspace(0, 1, h)[:, None, None] * 0.4
    c1, c2 = rng.integers(30, 230, 3), rng.integers(30, 230, 3)
    img = Image.fromarray((c1 * (1 - ramp) + c2 * ramp).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(25):
        x, y, r = int(rng.integers(0, w)), int(rng.integers(0, h)), int(rng.integers(20, 260))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    img = img.filter(ImageFilter.GaussianBlur(2))
    noise = rng.integers(-12, 12, (h, w, 3))
    Image.fromarray(np.clip(np.asarray(img).astype(int) + noise, 0, 255).astype(np.uint8)).save(path)
    return path


def _wav(path: Path, samples: np.ndarray) -> Path:
    from moneyprinter.providers.tts import write_wav

    write_wav(path, (np.clip(samples, -1, 1) * 32767).astype(np.int16), RATE)
    return path


def child(config_name: str, inputs_file: Path, out: Path, preset: str) -> None:
    """Render once and print the measurements as JSON (runs in its own process)."""
    from moneyprinter.config import Settings
    from moneyprinter.media.draft import Cue, Shot, ShortDraft
    from moneyprinter.media.render import render_short

    data = json.loads(inputs_file.read_text())
    config = CONFIGS[config_name]
    settings = Settings()
    settings.render.backend = config["backend"]
    settings.render.ken_burns = config["ken_burns"]
    settings.render.x264_preset = preset
    settings.subtitles.hook = config["captions"] == "karaoke"
    shots = [Shot(Path(p), kind="video", offset=0.5 * (i % 2)) for i, p in enumerate(data["clips"])] \
        if config.get("clips") else []
    draft = ShortDraft(images=[Path(p) for p in data["images"]], voice=Path(data["voice"]),
                       voice_duration=data["seconds"], cues=[Cue(s, e, t) for s, e, t in data["cues"]],
                       music=Path(data["music"]), aspect="9:16", title="Twenty facts that sound made up",
                       captions=config["captions"], shots=shots)
    started = time.perf_counter()
    render_short(draft, out, settings)
    wall = time.perf_counter() - started
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "wall": wall, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "python_rss_mb": me.ru_maxrss / 1024, "ffmpeg_rss_mb": kids.ru_maxrss / 1024,
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--only", action="append", choices=list(CONFIGS), help="run only these configurations")
    parser.add_argument("--preset", default="veryfast", help="libx264 preset for every backend (default veryfast)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each ffmpeg configuration; the fastest counts (default 2; moviepy runs once)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inputs", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.inputs, args.out, args.preset)
        return
    if args.generate:
        (args.generate / "inputs.json").write_text(json.dumps(generate_inputs(args.generate, args.seconds)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        folder = Path(tmp)
        inputs = folder / "inputs.json"
        # Generated in a child too: a forked child starts with its parent's memory counted in its peak.
        subprocess.run([sys.executable, __file__, "--generate", str(folder), "--seconds", str(args.seconds)],
                       check=True)
        names = [n for n in CONFIGS if not (args.skip_moviepy and n == "moviepy") and (not args.only or n in args.only)]
        print(f"{args.seconds:g} s 1080x1920 Short, 8 images or {CLIPS} clips, 20 cues, voice + music, x264 {args.preset}; "
              f"{os.cpu_count()} CPUs; load average before: {os.getloadavg()[0]:.1f}")
        results = {}
        for name in names:
            runs = 1 if name == "moviepy" else max(1, args.repeat)
            results[name] = min((measure(name, inputs, folder, args.preset) for _ in range(runs)),
                                key=lambda r: r["wall"])
        print_table(results, args.seconds)
        print(f"load average after: {os.getloadavg()[0]:.1f}")


def measure(name: str, inputs: Path, folder: Path, preset: str) -> dict:
    """One render in a fresh process, after the previous run's writes reached the disk."""
    os.sync()
    time.sleep(1)
    proc = subprocess.run([sys.executable, __file__, "--child", name, "--inputs", str(inputs),
                           "--out", str(folder / "out.mp4"), "--preset", preset],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{name}: render failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def print_table(results: dict, seconds: float) -> None:
    print(f"{'backend':<24}{'wall s':>8}{'x realtime':>12}{'CPU s':>8}{'python MB':>11}{'ffmpeg MB':>11}")
    for name, r in results.items():
        print(f"{name:<24}{r['wall']:>8.1f}{seconds / r['wall']:>12.2f}{r['cpu']:>8.1f}"
              f"{r['python_rss_mb']:>11.0f}{r['ffmpeg_rss_mb']:>11.0f}")
    floors = {"ffmpeg, Ken Burns off": 4, "ffmpeg, Ken Burns on": 2, "stills, karaoke": 3, "10 stock clips, karaoke": 2}
    ffmpeg_runs = [r for name, r in results.items() if name != "moviepy"]
    checks = [(f"{name} >= {floor}x realtime", seconds / results[name]["wall"] >= floor)
              for name, floor in floors.items() if name in results]
    checks.append(("ffmpeg peak RSS <= 700 MB",
                   max(max(r["python_rss_mb"], r["ffmpeg_rss_mb"]) for r in ffmpeg_runs) <= 700))
    off = results.get("ffmpeg, Ken Burns off")
    on = results.get("ffmpeg, Ken Burns on")
    if "moviepy" in results and off and on:
        speedup = results["moviepy"]["wall"] / off["wall"]
        print(f"speed-up over moviepy (same settings, Ken Burns off): {speedup:.1f}x; "
              f"with Ken Burns on: {results['moviepy']['wall'] / on['wall']:.1f}x")
        checks.insert(0, ("ffmpeg >= 8x faster than moviepy", speedup >= 8))
    for label, ok in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {label}")


if __name__ == "__main__":
    main()
