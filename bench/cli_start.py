"""How long the CLI takes to start, against a bare Python start measured in the same run.

Every command, cron line and scheduled job pays this. Runs ``python -c pass``, ``moneyprinter
--version`` and ``moneyprinter schedule list`` (a real command: settings, database) alternately N
times each and reports the medians and what the CLI costs on top of the interpreter. ``-X importtime`` lists the slowest imports under
``moneyprinter.cli``, so a new heavy top-level import shows up here.
Target: the CLI's own share stays under 1.5 s on this 2-core machine, even when it is busy.

Usage: python bench/cli_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
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
    bare, cli, command = [], [], []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MONEYPRINTER_HOME": home}
        timed([sys.executable, "-m", "moneyprinter", "schedule", "list"], env)  # creates the database once
        for _ in range(args.runs):
            bare.append(timed([sys.executable, "-c", "pass"]))
            cli.append(timed([sys.executable, "-m", "moneyprinter", "--version"]))
            command.append(timed([sys.executable, "-m", "moneyprinter", "schedule", "list"], env))
    b, c, s = statistics.median(bare), statistics.median(cli), statistics.median(command)
    print(f"python -c pass:          median {b * 1000:.0f} ms")
    print(f"moneyprinter --version:  median {c * 1000:.0f} ms  ({c / b:.1f}x the bare interpreter)")
    print(f"moneyprinter schedule list (opens the database): median {s * 1000:.0f} ms")
    print(f"the CLI's own share:     {(s - b) * 1000:.0f} ms for a real command (target < 1500 ms)")
    print("slowest imports under moneyprinter.cli (cumulative):")
    for micros, name in slowest_imports(8):
        print(f"  {micros / 1000:7.0f} ms  {name}")
    return 0 if s - b < 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
