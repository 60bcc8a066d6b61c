"""A loopback HTTP proxy that puts the headless browser under the same address rule as plain fetches.

The browser fallback loads a third-party link with JavaScript, redirects and subresources, so the
check cannot be made once up front. Chromium is started with this proxy for every request
(``--proxy-server`` and ``--proxy-bypass-list=<-loopback>``, which removes Chromium's implicit
loopback bypass). With a proxy, Chromium never resolves names itself; the proxy resolves each
host with ``netguard.resolve`` (every answer must be public unless private addresses are allowed)
and connects to the very IP it checked, so a redirect, an ``<img>`` pointing at the router, or a
second DNS answer (rebinding) cannot reach the user's own network. HTTPS goes through ``CONNECT``
as an opaque tunnel: the browser still verifies the certificate for the name.

Refused requests get ``403`` and are remembered in ``blocked`` so the caller can tell the user.
"""

from __future__ import annotations

import logging
import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.netguard import BlockedAddress, Policy, resolve, system_resolver

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
IDLE_TIMEOUT_S = 30.0
MAX_HEAD = 64 * 1024


class GuardProxy:
    """``with GuardProxy(allow_private=False) as proxy: ... proxy.address ...``; ``blocked`` lists refused hosts."""

    def __init__(self, *, allow_private: Policy = False, resolver=system_resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.blocked: list[str] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="guard-proxy", daemon=True)

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> GuardProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._server.close_all()

    def open(self, host: str, port: int) -> socket.socket:
        """A connection to the checked address of ``host``; ``BlockedAddress`` when it is not allowed."""
        try:
            ip = resolve(host, port, allow_private=self.allow_private, resolver=self.resolver)
        except BlockedAddress:
            self.blocked.append(host)
            raise
        sock = socket.create_connection((ip, port), timeout=CONNECT_TIMEOUT_S)
        self._server.track(sock)
        return sock


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: GuardProxy

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def process_request(self, request, client_address) -> None:
        self.track(request)
        super().process_request(request, client_address)

    def close_all(self) -> None:
        """Ends every tunnel: nothing the page started outlives the fetch."""
        with self._lock:
            socks, self._open = list(self._open), set()
        for sock in socks:
            try:
                sock.close()
            except OSError:
                pass


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(IDLE_TIMEOUT_S)
        try:
            head, rest = _read_head(client)
        except (OSError, ValueError):
            return
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = (lines[0].split(" ") + ["", ""])[:3]
        proxy: GuardProxy = self.server.proxy  # type: ignore[attr-defined]
        try:
            if method.upper() == "CONNECT":
                host, _, port = target.rpartition(":")
                upstream = proxy.open(host.strip("[]"), int(port or 443))
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                upstream = self._forward(proxy, method, target, version, lines[1:], rest)
        except (errors.MoneyPrinterError, OSError, ValueError) as exc:
            log.info("browser request refused: %s %s (%s)", method, target[:120], exc)
            _refuse(client, str(exc))
            return
        _pump(client, upstream)

    def _forward(self, proxy: GuardProxy, method: str, target: str, version: str, headers: list[str],
                 rest: bytes) -> socket.socket:
        """A plain-HTTP request in absolute form, sent on in origin form with ``Connection: close``."""
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError("only http:// URLs are proxied without CONNECT")
        upstream = proxy.open(parts.hostname, parts.port or 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        kept = [h for h in headers if h and h.split(":", 1)[0].strip().lower()
                not in ("proxy-connection", "connection", "keep-alive")]
        head = "\r\n".join([f"{method} {path} {version}", *kept, "Connection: close", "", ""])
        upstream.sendall(head.encode("latin-1") + rest)
        return upstream


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(8192)
        if not chunk:
            raise ValueError("connection closed before the request head")
        data += chunk
        if len(data) > MAX_HEAD:
            raise ValueError("request head too large")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _refuse(client: socket.socket, why: str) -> None:
    body = f"refused by moneyprinter's address guard: {why}\n".encode()
    try:
        client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    except OSError:
        pass


def _pump(a: socket.socket, b: socket.socket) -> None:
    """Copies bytes both ways until one side closes or both stay silent for ``IDLE_TIMEOUT_S``."""
    try:
        while True:
            ready, _, _ = select.select([a, b], [], [], IDLE_TIMEOUT_S)
            if not ready:
                return
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)
    except (OSError, ValueError):
        return
    finally:
        for sock in (a, b):
            try:
                sock.close()
            except OSError:
                pass
