"""How long the CLI takes to start, against a bare Python start measured in the same run.

Every command, cron line and scheduled job pays this. Runs ``moneyprinter --version`` and
``python -c pass`` alternately N times each and reports the medians, their ratio, and what the
command costs on top of the interpreter. ``-X importtime`` lists the slowest imports under
``moneyprinter.cli``, so a new heavy top-level import shows up here.
Target: the CLI's own share stays under 1.5 s on this 2-core machine, even when it is busy.

Usage: python bench/cli_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def timed(argv: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - began


def slowest_imports(top: int) -> list[tuple[int, str]]:
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import moneyprinter.cli"],
                         capture_output=True, text=True, check=True).stderr
    rows = []
    for line in err.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare, cli = [], []
    for _ in range(args.runs):
        bare.append(timed([sys.executable, "-c", "pass"]))
        cli.append(timed([sys.executable, "-m", "moneyprinter", "--version"]))
    b, c = statistics.median(bare), statistics.median(cli)
    print(f"python -c pass:          median {b * 1000:.0f} ms")
    print(f"moneyprinter --version:  median {c * 1000:.0f} ms  ({c / b:.1f}x the bare interpreter)")
    print(f"the CLI's own share:     {(c - b) * 1000:.0f} ms (target < 1500 ms)")
    print("slowest imports under moneyprinter.cli (cumulative):")
    for micros, name in slowest_imports(8):
        print(f"  {micros / 1000:7.0f} ms  {name}")
    return 0 if c - b < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
