"""Web app latency with a full database, and memory while serving a large video.

Fills a fresh data directory with 10,000 content items (Shorts, posts, threads, pitches; their
publications in every state, 2,000 waiting for review), 1,000 schedules with 5,000 runs, then starts
the real server (`moneyprinter web --port 0`, a subprocess), logs in like a browser and requests
each page N times in a row: p50 and p95 per page. The REST API's list endpoints (GET /api/v1/...
without path parameters, from its OpenAPI document; not /health, which runs the live checks) are
timed too.
Floor (issue 15): p95 <= 150 ms for the dashboard and the review queue.

Memory: a 1 GiB video in the data directory is fetched whole and as a 512 MiB range; the server's
peak RSS (VmHWM) must grow by far less than the file (it is streamed in chunks, never read whole).

Usage: python bench/web.py [--requests 100]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

ITEMS, SCHEDULES, RUNS, ACCOUNTS = 10_000, 1_000, 5_000, 100
FLOOR_P95_MS = 150
BIG_FILE = 1 << 30
PAGES = ("/", "/review", "/history", "/history?kind=short&status=published", "/publications",
         "/publications?status=needs_attention", "/schedules", "/outreach", "/accounts")
FLOORED = ("/", "/review")


def populate() -> None:
    from moneyprinter.app import App
    from moneyprinter.scheduler import schedules as sched
    from moneyprinter.scheduler.triggers import Trigger
    from moneyprinter.store import content, publications
    from moneyprinter.store import schedules as runs
    from moneyprinter.store.accounts import add_account

    app = App()
    db = app.db
    accounts = [add_account(db, "x" if i % 2 else "youtube", f"acct{i}", topic="bench", approval="manual")
                for i in range(ACCOUNTS)]
    states = ["review"] * 4 + ["published"] * 10 + ["outbox"] * 3 + ["failed", "needs_attention", "pending"]
    with db.transaction():  # one commit: filling is not what is measured
        for i in range(ITEMS):
            account = accounts[i % ACCOUNTS]
            if account.platform == "youtube":
                kind, extra = "short", {"description": "A bench Short.", "tags": ["bench"]}
            else:
                kind, extra = ("thread", {"posts": ["one 1/2", "two 2/2"]}) if i % 7 == 0 else ("post", {})
            item = content.create_item(db, account.id, kind, status="ready", title=f"Item {i}" if kind == "short" else "",
                                       body=f"Body of bench item {i}", metadata=extra,
                                       media_path=None)
            status = states[i % len(states)]
            pub = publications.ensure(db, item.id, account.id, "outbox", "review" if status == "review" else "pending",
                                      item_follows=True)
            if status not in ("review", "pending"):
                target = "outbox" if status == "published" else status
                publications.update(db, pub.id, status=target)
                if status == "published":
                    publications.update(db, pub.id, status="published", remote_url=f"https://example.com/{i}")
    with db.transaction():
        for i in range(SCHEDULES):
            account = accounts[i % ACCOUNTS]
            kind = "youtube.short" if account.platform == "youtube" else "twitter.post"
            trigger = Trigger(times=(dtime(i % 24, i % 60),), timezone="UTC")
            sched.add_schedule(db, kind, account.nickname, trigger, allow_duplicate=True)
        for i in range(RUNS):
            run_id = runs.start_cli_run(db, "twitter.post", f"acct{1 + 2 * (i % 50)}", log_path=None)
            runs.close_run(db, run_id, outcome_if_open="success" if i % 5 else "failed", exit_code=0 if i % 5 else 1,
                           message=f"run {i}", output_tail="line one\nline two")
    app.close()


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen, str, str]:
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "web", "--port", "0"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = token = ""
    deadline = time.monotonic() + 60
    while not (url and token) and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if m := re.search(r"(http://\S+)/", line):
            url = m.group(1)
        if m := re.search(r"access token .*: (\S+)$", line.strip()):
            token = m.group(1)
    if not (url and token):
        proc.kill()
        raise SystemExit("the server did not start or did not print its token")
    return proc, url, token


def login(url: str, token: str):
    import requests

    session = requests.Session()
    nonce = re.search(r'name="login_nonce" value="([^"]+)"', session.get(url + "/login").text).group(1)
    assert session.post(url + "/login", data={"token": token, "login_nonce": nonce}, allow_redirects=False).status_code == 303
    return session


def timings(session, url: str, count: int, headers: dict | None = None) -> tuple[float, float, int]:
    session.get(url, headers=headers)  # warm up
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        answer = session.get(url, headers=headers)
        samples.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], len(answer.content)


def api_lists(session, url: str) -> list[str]:
    answer = session.get(url + "/openapi.json")
    if answer.status_code != 200:
        return []
    paths = answer.json().get("paths", {})
    return sorted(p for p, ops in paths.items() if p.startswith("/api/v1/") and "{" not in p and "get" in ops
                  and not any(word in p for word in ("events", "stream", "health")))  # health runs live checks


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mp-bench-web-") as tmp:
        home = Path(tmp) / "home"
        os.environ["MONEYPRINTER_HOME"] = str(home)
        began = time.monotonic()
        populate()
        print(f"filled: {ITEMS:,} items, {SCHEDULES:,} schedules, {RUNS:,} runs in {time.monotonic() - began:.1f} s")
        big = home / "shorts" / "big" / "short.mp4"
        big.parent.mkdir(parents=True)
        with open(big, "wb") as handle:
            handle.truncate(BIG_FILE)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc, url, token = start_server(env)
        failed = False
        try:
            session = login(url, token)
            # The first look at the dashboard runs the health checks in the background; let them finish
            # so they do not compete with the requests being timed.
            session.get(url + "/health")
            deadline = time.monotonic() + 120
            while "Checks are running" in session.get(url + "/health").text and time.monotonic() < deadline:
                time.sleep(0.5)
            print(f"\n{'page':<44} {'p50 ms':>8} {'p95 ms':>8} {'KiB':>7}")
            for page in PAGES:
                p50, p95, size = timings(session, url + page, args.requests)
                mark = ""
                if page in FLOORED:
                    mark = "  ok" if p95 <= FLOOR_P95_MS else f"  OVER the {FLOOR_P95_MS} ms floor"
                    failed |= p95 > FLOOR_P95_MS
                print(f"{page:<44} {p50:8.1f} {p95:8.1f} {size / 1024:7.0f}{mark}")
            for path in api_lists(session, url):
                p50, p95, size = timings(session, url + path, args.requests, {"Authorization": f"Bearer {token}"})
                mark = "  ok" if p95 <= FLOOR_P95_MS else f"  OVER the {FLOOR_P95_MS} ms floor"
                failed |= p95 > FLOOR_P95_MS
                print(f"{path:<44} {p50:8.1f} {p95:8.1f} {size / 1024:7.0f}{mark}")

            before = peak_rss_mb(proc.pid)
            with session.get(url + "/media/shorts/big/short.mp4", stream=True) as whole:
                received = sum(len(chunk) for chunk in whole.iter_content(1 << 20))
            half = BIG_FILE // 2
            with session.get(url + "/media/shorts/big/short.mp4", headers={"Range": f"bytes={half}-"},
                             stream=True) as part:
                assert part.status_code == 206
                ranged = sum(len(chunk) for chunk in part.iter_content(1 << 20))
            growth = peak_rss_mb(proc.pid) - before
            print(f"\nlarge video: {received / 2**20:.0f} MiB whole + {ranged / 2**20:.0f} MiB as a range; "
                  f"server peak RSS {before:.0f} MiB before, +{growth:.1f} MiB after"
                  + ("  ok" if growth < 64 else "  TOO MUCH: the file is being read into memory"))
            failed |= growth >= 64 or received != BIG_FILE or ranged != BIG_FILE - half
        finally:
            proc.terminate()
            proc.wait(10)
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
