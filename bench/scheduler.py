"""Scheduler daemon cost with many schedules: time per tick, idle CPU per minute, RSS.

Loads 100, 300 and 1,000 schedules over 300 accounts (none due during the measurement), then
- times the daemon's tick in-process (reap + change check + schedule.run_pending over all jobs);
- runs the real daemon (`moneyprinter scheduler run`, default 1 s tick) as a subprocess for
  --seconds and reads its CPU time and RSS from /proc.
Floors (issue 6): under 5 ms per tick and under 150 MB RSS with 1,000 schedules.

Burst: --burst N schedules of the test.sleep kind (0.1 s each) come due at once. The real daemon
runs them with its default limits (max_parallel_jobs = CPU count); prints the peak number of job
processes, the peak RSS of the daemon with all its job processes, the longest wait for a slot and
the time until every run is closed.

Usage: python bench/scheduler.py [--seconds 15] [--burst 300] [--burst-only]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SIZES = (100, 300, 1000)
ACCOUNTS = 300
TICKS = 300


def populate(home: Path, count: int) -> None:
    from moneyprinter.app import App
    from moneyprinter.scheduler import schedules as sched
    from moneyprinter.scheduler.triggers import Trigger
    from moneyprinter.store.accounts import add_account

    app = App()
    for i in range(ACCOUNTS):
        add_account(app.db, "x" if i % 2 else "youtube", f"acct{i}", topic="bench")
    for i in range(count):
        kind = "twitter.post" if (i % ACCOUNTS) % 2 else "youtube.short"
        # One weekday two days from now: nothing comes due while we measure.
        trigger = Trigger(times=(dtime(23, 59 - i % 30),), weekdays=frozenset({(time.gmtime().tm_wday + 2) % 7}),
                          timezone="UTC")
        sched.add_schedule(app.db, kind, f"acct{i % ACCOUNTS}", trigger, allow_duplicate=True)
    app.close()


def tick_ms(home: Path) -> float:
    from moneyprinter.app import App
    from moneyprinter.scheduler.daemon import Daemon

    app = App()
    daemon = Daemon(app)
    daemon.sync(force=True)
    daemon.tick()
    start = time.perf_counter()
    for _ in range(TICKS):
        daemon.tick()
    elapsed = time.perf_counter() - start
    assert not daemon.children, "a schedule fired during the benchmark"
    app.close()
    return elapsed / TICKS * 1000


def proc_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def daemon_idle(home: Path, seconds: float) -> tuple[float, float]:
    env = dict(os.environ, MONEYPRINTER_HOME=str(home), PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "scheduler", "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # start-up (imports, first load) is not idle time
        cpu0 = proc_cpu_s(proc.pid)
        time.sleep(seconds)
        cpu = proc_cpu_s(proc.pid) - cpu0
        rss = proc_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return cpu / seconds * 60, rss


def populate_burst(count: int) -> None:
    from datetime import timedelta

    from moneyprinter.app import App
    from moneyprinter.scheduler import schedules as sched
    from moneyprinter.scheduler.triggers import Trigger
    from moneyprinter.store.schedules import now_utc

    app = App()
    hourly = Trigger(every_seconds=3600)
    planned_from = now_utc() - timedelta(seconds=3600 - 2)  # first slot two seconds from now, for all
    for i in range(count):
        sched.add_schedule(app.db, "test.sleep", f"0.1{i:04d}", hourly, now=planned_from)
    app.close()


def descendants(root: int) -> tuple[list[int], list[int]]:
    """All descendants of ``root``, and its direct children (the job processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in children.get(pid, []):
            found.append(child)
            todo.append(child)
    return found, children.get(root, [])


def closed_runs(home: Path) -> tuple[int, float]:
    import sqlite3

    conn = sqlite3.connect(home / "moneyprinter.db", timeout=30)
    try:
        rows = conn.execute("SELECT message FROM schedule_runs WHERE ended_at IS NOT NULL").fetchall()
    finally:
        conn.close()
    waits = [float(m.split("waited ")[1].split("s ")[0]) for (m,) in rows if "waited " in m]
    return len(rows), max(waits, default=0.0)


def burst(home: Path, count: int) -> dict:
    populate_burst(count)
    env = dict(os.environ, MONEYPRINTER_HOME=str(home), PYTHONPATH=str(ROOT / "src"))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "scheduler", "run"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_rss = peak_jobs = 0.0
    closed, longest_wait = 0, 0.0
    try:
        while closed < count and time.monotonic() - start < 3600:
            pids, direct = descendants(proc.pid)
            jobs = [p for p in direct if _is_job(p)]  # a job's fork before exec also reads "run test.sleep"
            peak_jobs = max(peak_jobs, len(jobs))
            peak_rss = max(peak_rss, proc_rss_mb(proc.pid) + sum(_rss_or_zero(p) for p in pids))
            closed, longest_wait = closed_runs(home)
            time.sleep(0.2)
        drained = time.monotonic() - start
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    return {"count": count, "drained_s": drained, "closed": closed, "peak_jobs": peak_jobs,
            "peak_rss_mb": peak_rss, "longest_wait_s": longest_wait, "limit": os.cpu_count()}


def _is_job(pid: int) -> bool:
    try:
        return b"\x00run\x00test.sleep\x00" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _rss_or_zero(pid: int) -> float:
    try:
        return proc_rss_mb(pid)
    except OSError:
        return 0.0


def print_burst(result: dict) -> None:
    print(f"\nburst: {result['count']} test.sleep runs due at once, max_parallel_jobs = {result['limit']} (CPU count)")
    print(f"  closed {result['closed']}/{result['count']} in {result['drained_s']:.1f} s"
          f" ({result['count'] / result['drained_s']:.1f} runs/s)")
    print(f"  peak job processes {result['peak_jobs']:.0f}, peak RSS (daemon + jobs) {result['peak_rss_mb']:.0f} MB,"
          f" longest wait for a slot {result['longest_wait_s']:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="idle measurement per size")
    parser.add_argument("--burst", type=int, default=300, help="schedules due at once in the burst case (0 = skip)")
    parser.add_argument("--burst-only", action="store_true", help="run only the burst case")
    args = parser.parse_args()
    if args.burst:
        with tempfile.TemporaryDirectory(prefix="mp-bench-burst-") as tmp:
            os.environ["MONEYPRINTER_HOME"] = tmp
            result = burst(Path(tmp), args.burst)
        print_burst(result)
        if args.burst_only:
            return 0 if result["closed"] == result["count"] and result["peak_jobs"] <= result["limit"] else 1
    rows = []
    for count in SIZES:
        with tempfile.TemporaryDirectory(prefix="mp-bench-sched-") as tmp:
            home = Path(tmp)
            os.environ["MONEYPRINTER_HOME"] = str(home)
            populate(home, count)
            ms = tick_ms(home)
            cpu_per_min, rss = daemon_idle(home, args.seconds)
            rows.append((count, ms, cpu_per_min, rss))
    print(f"{'schedules':>9} | {'ms/tick':>8} | {'idle CPU s/min':>14} | {'RSS MB':>7}")
    print("-" * 48)
    for count, ms, cpu, rss in rows:
        print(f"{count:>9} | {ms:>8.3f} | {cpu:>14.3f} | {rss:>7.1f}")
    small, large = rows[0], rows[-1]
    scale = large[0] / small[0]
    print(f"\n1000 vs 100 schedules ({scale:.0f}x): tick {large[1] / small[1]:.1f}x, "
          f"idle CPU {large[2] / max(small[2], 1e-9):.1f}x, RSS {large[3] / small[3]:.2f}x (linear would be {scale:.0f}x)")
    ok = large[1] < 5 and large[3] < 150 and large[1] / small[1] <= scale
    print("floors (<5 ms/tick, <150 MB RSS, no worse than linear):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
