"""A real threaded HTTP/1.1 server on 127.0.0.1:0 for tests: scripted routes, counted attempts and connections.

    with LocalServer() as srv:
        srv.route("GET", "/v1/models", Reply(200, {"data": []}))
        srv.route("GET", "/flaky", [Reply(503), Reply(200, "ok")])   # one reply per attempt, last repeats
        srv.route("POST", "/echo", lambda req: Reply(201, {"got": req.json()}))
        client.get(srv.url("/v1/models"))
        assert srv.connections == 1 and srv.count("GET", "/v1/models") == 1

A Reply can ``delay`` before answering (timeouts), ``hang`` (never answer) or ``drop`` the
connection without an answer (cut mid-request).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Reply:
    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False
    drop: bool = False

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, (dict, list)):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/html; charset=utf-8"
        return bytes(self.body), "application/octet-stream"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


Handler = Reply | Sequence[Reply] | Callable[[Request], Reply]


class LocalServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host  # another loopback address (127.0.0.2) plays a second machine
        self.requests: list[Request] = []
        self.connections = 0
        self._routes: dict[tuple[str, str], Handler] = {}
        self._attempts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = _Server((host, 0), _make_handler(self))
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # --- setup ----------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def route(self, method: str, path: str, handler: Handler) -> None:
        """``path`` matches exactly, or as a prefix when it ends with '*'."""
        with self._lock:
            self._routes[(method.upper(), path)] = handler

    def count(self, method: str, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.method == method.upper() and r.path == path)

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- dispatch --------------------------------------------------------------------
    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            key = (request.method, request.path)
            handler = self._routes.get(key)
            if handler is None:
                for (method, path), candidate in self._routes.items():
                    if method == request.method and path.endswith("*") and request.path.startswith(path[:-1]):
                        handler, key = candidate, (method, path)
                        break
            attempt = self._attempts.get(key, 0)
            self._attempts[key] = attempt + 1
        if handler is None:
            return Reply(404, {"message": f"no route for {request.method} {request.path}"})
        if isinstance(handler, Reply):
            return handler
        if callable(handler):
            return handler(request)
        return handler[min(attempt, len(handler) - 1)]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LocalServer

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client gave up (a timeout test): not the server's problem
        super().handle_error(request, client_address)

    def process_request(self, request, client_address):
        with self.owner._lock:
            self.owner.connections += 1
        super().process_request(request, client_address)


def _make_handler(owner: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are written separately; with Nagle on, each response would wait for the
        # client's delayed ACK (~40 ms), which would dominate timings of keep-alive connections.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
            reply = owner._dispatch(request)
            if reply.hang:
                owner._stop.wait(60)
                self.close_connection = True
                return
            if reply.delay:
                time.sleep(reply.delay)
            if reply.drop:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            payload, content_type = reply.encoded()
            self.send_response(reply.status)
            headers = {"Content-Type": content_type, **reply.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle

    return _Handler
