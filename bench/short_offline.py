"""Benchmark: the whole offline pipeline for a ~40 s Short, seconds per stage. Target: total < 90 s.

    python bench/short_offline.py [--sentences 6] [--keep]

Runs with the bundled defaults (local SmolLM2, Piper voice, procedural pictures, subtitles from
the voice timings, a generated music loop, the ffmpeg renderer) in a temporary data directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TARGET_S = 90.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=6)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    parser.add_argument("--niche", default="surprising science facts",
                        help="the account's niche (one without curated facts: 'dog training')")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="mp-bench-"))
    os.environ["MONEYPRINTER_HOME"] = str(home)
    os.environ["MONEYPRINTER_SHORTS__SENTENCES"] = str(args.sentences)

    from moneyprinter.app import App
    from moneyprinter.platforms.youtube import YouTube
    from moneyprinter.store.accounts import add_account

    app = App()
    account = add_account(app.db, "youtube", "bench", topic=args.niche)
    began = time.monotonic()
    result = YouTube(app, account).make_short(publish=False)
    wall = time.monotonic() - began

    print(f"{'stage':<14} {'seconds':>8}")
    for stage, seconds in result.stage_seconds.items():
        print(f"{stage:<14} {seconds:>8.1f}")
    print(f"{'total':<14} {wall:>8.1f}   target < {TARGET_S:.0f} s: {'PASS' if wall < TARGET_S else 'FAIL'}")
    print(f"video: {result.duration:.1f} s, title: {result.title!r}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    app.close()
    if args.keep:
        print(f"kept: {result.mp4}")
    else:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
