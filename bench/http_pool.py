"""1,000 sequential GETs to a local server: the pooled HTTPClient vs plain ``requests.get`` per call.

Run: python bench/http_pool.py [N]   (make bench runs every script in bench/)
Prints wall time, requests per second and the TCP connections each side opened, counted by the
server (and, for the client, by its own counter), plus the speed-up ratio.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

import requests  # noqa: E402

from moneyprinter.http_client import HTTPClient  # noqa: E402
from tests.support.httpserver import LocalServer, Reply  # noqa: E402


def timed(server: LocalServer, n: int, get) -> tuple[float, int]:
    before = server.connections
    start = time.perf_counter()
    for i in range(n):
        response = get(server.url(f"/item?n={i}"))
        assert response.status_code == 200 and response.json()["ok"]
    return time.perf_counter() - start, server.connections - before


def main(n: int = 1000) -> None:
    with LocalServer() as server:
        server.route("GET", "/item", Reply(200, {"ok": True}))
        requests.get(server.url("/item"), timeout=5)  # warm up imports and the server thread
        client = HTTPClient()
        pooled_s, pooled_conns = timed(server, n, client.get)
        plain_s, plain_conns = timed(server, n, lambda url: requests.get(url, timeout=(5, 30)))
        stats = client.stats.snapshot()
        client.close()
    rows = [
        ("HTTPClient (pooled)", pooled_s, pooled_conns),
        ("requests.get per call", plain_s, plain_conns),
    ]
    print(f"{n} sequential GETs to a local HTTP/1.1 server")
    print(f"{'':24} {'seconds':>8} {'req/s':>8} {'connections':>12}")
    for name, seconds, conns in rows:
        print(f"{name:24} {seconds:8.3f} {n / seconds:8.0f} {conns:12d}")
    print(f"ratio (plain / pooled): {plain_s / pooled_s:.2f}x")
    print(f"client counters: {stats}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
