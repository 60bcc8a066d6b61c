"""Publishing benchmark: resumable upload throughput against a local YouTube peer, and X length checks per second.

    python bench/publishing.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def bench_upload(size_mb: int, chunk_mb: int) -> tuple[float, int]:
    from moneyprinter.app import App
    from moneyprinter.http_client import reset_http_client
    from moneyprinter.publishers.engine import publish_item
    from tests.publishing.conftest import short_item, write_config, youtube_account
    from tests.publishing.fakes import FakeYouTube
    from tests.support.httpserver import LocalServer

    with tempfile.TemporaryDirectory() as tmp, LocalServer() as server:
        home = Path(tmp) / "home"
        os.environ.update(MONEYPRINTER_HOME=str(home), YOUTUBE_CLIENT_ID="id", YOUTUBE_CLIENT_SECRET="csecret",
                          NO_PROXY="127.0.0.1")
        fake = FakeYouTube(server)
        write_config(home, {**fake.settings(), "upload_chunk_bytes": chunk_mb * 1024 * 1024})
        reset_http_client()
        app = App()
        account = youtube_account(app)
        video = Path(tmp) / "big.mp4"
        video.write_bytes(os.urandom(size_mb * 1024 * 1024))
        item = short_item(app, account, video)
        start = time.perf_counter()
        publish_item(app, item.id)
        seconds = time.perf_counter() - start
        app.close()
        return seconds, len(server.requests)


def bench_length(count: int) -> float:
    from moneyprinter.text.x_length import weighted_length

    texts = [f"Post {i}: see https://example.com/{i} 日本語 😀 " + "word " * 40 for i in range(count)]
    start = time.perf_counter()
    for text in texts:
        weighted_length(text)
    return count / (time.perf_counter() - start)


def main() -> None:
    print(f"{'case':<40} {'result':>14}")
    for size_mb, chunk_mb in ((32, 8), (32, 1)):
        seconds, requests = bench_upload(size_mb, chunk_mb)
        print(f"{f'upload {size_mb} MiB, {chunk_mb} MiB chunks':<40} {size_mb / seconds:>9.1f} MiB/s  ({requests} requests)")
    print(f"{'x weighted_length (250-char posts)':<40} {bench_length(20000):>9.0f} /s")


if __name__ == "__main__":
    main()
