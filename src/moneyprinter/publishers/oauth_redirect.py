"""The one-shot local web server that takes a browser's OAuth redirect (TikTok, Mastodon, Meta logins).

It answers the first redirect to ``path`` (any path when None) that carries the query the login
waits for, shows the browser a short page, and hands the query to the caller. Nothing it receives
is logged: the query holds the authorization code.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

Page = Callable[[dict[str, str]], tuple[bytes, str]]  # the query -> (body, content type)


class RedirectCatcher:
    """``with RedirectCatcher("127.0.0.1", 0, path="/callback", page=...) as c: ... c.wait(300)``.

    ``accept`` decides which queries count as the answer (others get 404); binding errors are the
    caller's ``OSError`` to word.
    """

    def __init__(self, host: str, port: int, *, path: str | None, page: Page,
                 accept: Callable[[dict[str, str]], bool] = lambda query: bool({"code", "error"} & set(query))) -> None:
        self.path = path
        self.query: dict[str, str] = {}
        self.raw_query = ""
        self._arrived = threading.Event()
        catcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if (path is not None and parts.path != path) or not accept(query):
                    self.send_error(404)
                    return
                catcher.query, catcher.raw_query = query, parts.query
                body, content_type = page(query)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                catcher._arrived.set()

            def log_message(self, *args) -> None:  # the code is in the query: never logged
                pass

        self.server = HTTPServer((host, port), Handler)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)

    @property
    def redirect_uri(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.path or '/'}"

    def wait(self, timeout_s: float) -> bool:
        """Whether the redirect arrived within ``timeout_s``."""
        return self._arrived.wait(timeout_s)

    def start(self) -> Self:
        self._thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
