"""Email finding over 500 local fixture websites with 50 ms latency per response: 1 worker vs 8 workers.

Run: python bench/email_discovery.py [SITES] [WORKERS]   (make bench runs every script in bench/)

Each site is its own host (127.77.X.Y, one listening socket each: Linux routes all of 127/8 to
loopback), so robots.txt, connection pooling and the per-site time cap work as on the internet.
Every response, robots.txt included, waits 50 ms before answering. The sites are served by an
asyncio server in a separate process so that its CPU and memory are not counted as the client's.
Each site: robots.txt + home page (links to /contact and /about) + /contact + /about, two addresses
(one Cloudflare-encoded) and some junk. Both runs use the same GuardedFetcher (its connection
pools), allowed onto these loopback addresses as the finder's ``allow_private_addresses`` setting does.
Prints wall time, the speed-up, the client's peak traced memory (tracemalloc) and max RSS.

One more host trickles its home page, one byte every 2 s: the run against it shows that the
per-site time cap holds while a body is still arriving.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
os.environ.setdefault("NO_PROXY", "127.0.0.0/8,localhost")
os.environ["no_proxy"] = os.environ["NO_PROXY"]

from moneyprinter.netguard import GuardedFetcher  # noqa: E402
from moneyprinter.outreach.emails import CrawlLimits, find_many, find_site_emails  # noqa: E402

LATENCY_S = 0.05
TRICKLE_INTERVAL_S = 2.0
TRICKLE_CAP_S = 5.0


def cfemail(address: str, key: int = 0x3C) -> str:
    return (bytes([key]) + bytes(b ^ key for b in address.encode())).hex()


def page(path: str, n: int) -> tuple[int, str]:
    if path == "/":
        return 200, (f"<html><body><h1>Business {n}</h1><p>noreply@site{n}.de logo@2x.png</p>"
                     '<a href="/contact">Contact</a> <a href="/about">About us</a> <a href="/blog">Blog</a></body></html>')
    if path == "/contact":
        return 200, (f'<p><a href="mailto:info@site{n}.de">Mail</a> '
                     f'<span data-cfemail="{cfemail(f"owner@site{n}.de")}">[email protected]</span></p>' + "<p>x</p>" * 300)
    if path == "/about":
        return 200, f"<p>Family business since 19{n % 100:02d}. Write to hello [at] site{n} [dot] de</p>"
    return 404, "not found"


async def serve_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n: int) -> None:
    try:
        while True:
            request_line = await reader.readline()
            if not request_line:
                break
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            path = request_line.split()[1].decode()
            status, body = page(path, n)
            await asyncio.sleep(LATENCY_S)
            data = body.encode()
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: text/html\r\nContent-Length: {len(data)}\r\n\r\n".encode() + data)
            await writer.drain()
    except (ConnectionError, IndexError, asyncio.CancelledError):
        pass  # a client gone, or the server shutting down
    finally:
        writer.close()


async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """robots.txt: 404 at once; anything else: a 100 kB page, one byte every 2 s."""
    try:
        request_line = await reader.readline()
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        if b"/robots.txt" in request_line:
            writer.write(b"HTTP/1.1 404 X\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            return
        writer.write(b"HTTP/1.1 200 X\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
        while True:
            await writer.drain()
            await asyncio.sleep(TRICKLE_INTERVAL_S)
            writer.write(b"x")
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def run_sites(count: int, conn) -> None:
    async def main() -> None:
        servers, urls = [], []
        for n in range(count):
            host = f"127.77.{n // 250}.{n % 250 + 1}"
            server = await asyncio.start_server(lambda r, w, n=n: serve_site(r, w, n), host, 0, backlog=64)
            servers.append(server)
            urls.append(f"http://{host}:{server.sockets[0].getsockname()[1]}/")
        slow = await asyncio.start_server(trickle, "127.78.0.1", 0)
        servers.append(slow)
        urls.append(f"http://127.78.0.1:{slow.sockets[0].getsockname()[1]}/")  # last: the trickling site
        conn.send(urls)
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop

    asyncio.run(main())


def measure(client: GuardedFetcher, urls: list[str], workers: int, limits: CrawlLimits) -> tuple[float, int]:
    started = time.perf_counter()
    found = sum(len(r.emails) for r in find_many(client, urls, limits, workers=workers))
    return time.perf_counter() - started, found


def traced_peak(client: GuardedFetcher, urls: list[str], workers: int, limits: CrawlLimits) -> float:
    """Peak Python memory (MB) of a run; tracemalloc slows the code, so this run is not timed."""
    tracemalloc.start()
    measure(client, urls, workers, limits)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(count: int = 500, workers: int = 8) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=run_sites, args=(count, child), daemon=True)
    server.start()
    *urls, trickling = parent.recv()
    limits = CrawlLimits(user_agent="moneyprinter-bench/1.0")
    client = GuardedFetcher(allow_private=True, user_agent=limits.user_agent)
    try:
        measure(client, urls[:5], 1, limits)  # warm up imports and code paths
        seq_s, seq_found = measure(client, urls, 1, limits)
        seq_rss = rss_mb()
        par_s, par_found = measure(client, urls, workers, limits)
        par_rss = rss_mb()
        started = time.perf_counter()
        slow = find_site_emails(client, trickling, CrawlLimits(site_time_cap_s=TRICKLE_CAP_S, page_timeout_s=30))
        trickle_s = time.perf_counter() - started
        sample = urls[: min(len(urls), 100)]
        seq_peak, par_peak = traced_peak(client, sample, 1, limits), traced_peak(client, sample, workers, limits)
    finally:
        client.close()
        parent.send("stop")
        server.join(timeout=10)
    requests_per_site = 4
    print(f"email finding: {count} local sites x {requests_per_site} requests, {LATENCY_S * 1000:.0f} ms latency each "
          f"(cpus: {os.cpu_count()}, shared with other work)")
    print(f"{'mode':22} {'seconds':>8} {'sites/s':>8} {'emails':>7} {'max RSS MB':>11} {'peak traced MB*':>16}")
    print(f"{'sequential (1 worker)':22} {seq_s:8.2f} {count / seq_s:8.1f} {seq_found:7d} {seq_rss:11.0f} {seq_peak:16.2f}")
    print(f"{f'pooled ({workers} workers)':22} {par_s:8.2f} {count / par_s:8.1f} {par_found:7d} {par_rss:11.0f} {par_peak:16.2f}")
    print(f"speed-up: {seq_s / par_s:.2f}x (floor: 5x)")
    print(f"trickling site (1 byte every {TRICKLE_INTERVAL_S:.0f} s, page timeout 30 s): stopped after "
          f"{trickle_s:.2f} s against a site cap of {TRICKLE_CAP_S:.0f} s ({'; '.join(slow.skipped)})")
    print(f"* tracemalloc peak over a separate, untimed pass of {len(sample)} sites (pages are capped at "
          f"{limits.page_max_bytes // 1_000_000} MB each, so memory is bounded by workers x cap, not by the site count)")
    if seq_found != par_found or seq_found != 3 * count:
        print(f"WARNING: expected {3 * count} emails in both runs")
    if trickle_s > TRICKLE_CAP_S + 1:
        print("WARNING: the trickling site outlasted its time cap")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
