"""Benchmark: the inputs of an offline Short: six scenes (one per sentence) and a library track.

    python bench/shots.py [--shots 6] [--seconds 40]

Prints the seconds for the shot plan (scenes drawn, stills written) and for preparing a music
track (decode, seamless loop to the voice's length, level), plus the peak RSS of this process.
Targets on a 2-core machine: under 4 s for six 1080x1920 shots, under 1 s for the music.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SENTENCES = [
    "Octopuses can change the colour of their skin in less than a second.",
    "Special cells called chromatophores hold tiny sacks of pigment.",
    "Muscles stretch these sacks to show more red, yellow or brown.",
    "Deeper layers of cells reflect light to make blues and greens.",
    "An octopus uses this trick to hide from sharks and to hunt crabs.",
    "Some species even flash patterns to talk to each other.",
]
SHOTS_TARGET_S, MUSIC_TARGET_S = 4.0, 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=40.0)
    args = parser.parse_args()

    from moneyprinter.media import music
    from moneyprinter.providers.images import image_providers
    from moneyprinter.shorts import visuals

    sentences = [SENTENCES[i % len(SENTENCES)] + ("" if i < len(SENTENCES) else f" ({i})") for i in range(args.shots)]
    with tempfile.TemporaryDirectory(prefix="mp-bench-shots-") as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        planner = visuals.ShotPlanner(folder / "shots", (1080, 1920), "surprising science facts", "octopus colour")
        visuals.plan(sentences, args.shots, planner, image_providers.create("procedural"), [])
        shots_s = time.perf_counter() - began
        track = music.library_tracks()["happy"][0]
        began = time.perf_counter()
        music.prepare_track(track, folder / "music.wav", args.seconds)
        music_s = time.perf_counter() - began
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.shots} shots (scenes, 1080x1920): {shots_s:.2f} s (target < {SHOTS_TARGET_S:g} s for 6)")
    print(f"music, {args.seconds:g} s from {track.name}: {music_s:.2f} s (target < {MUSIC_TARGET_S:g} s)")
    print(f"peak RSS: {rss_mb:.0f} MB")
    ok = (args.shots != 6 or shots_s < SHOTS_TARGET_S) and music_s < MUSIC_TARGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
