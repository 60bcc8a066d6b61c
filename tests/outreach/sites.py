"""Fixture websites served over real HTTP (tests.support.httpserver.LocalServer), one server per site."""

from __future__ import annotations

from tests.support.httpserver import LocalServer, Reply


def cfemail(address: str, key: int = 0x5A) -> str:
    return (bytes([key]) + bytes(b ^ key for b in address.encode())).hex()


HOME = """<html><head><title>Smile Dental</title><script>var x = "script@smile-dental.de";</script></head>
<body><h1>Smile Dental</h1>
<p>Call us or write to praxis@smile-dental.de.</p>
<img src="/img/logo@2x.png" alt="logo@2x.png">
<p>Newsletter: noreply@smile-dental.de, demo: someone@example.com,
tracking 8f14e45fceea167a5a36dedd4bea2543@sentry.io, sentry@sentry-next.wixpress.com, broken@@x</p>
<a href="/kontakt">Kontakt</a> <a href="/ueber-uns">Über uns</a> <a href="/blog/2024">Blog</a>
<a href="/impressum">Impressum</a> <a href="/team-contact">Team</a> <a href="/about">About</a>
<a href="https://facebook.com/smile">Facebook</a>
</body></html>"""

KONTAKT = f"""<html><body>
<a href="mailto:Termin@Smile-Dental.de?subject=Termin">Termin buchen</a>
<p>Dr. Hans: hans [at] smile-dental [dot] de</p>
<p>Office: <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="{cfemail('office@smile-dental.de')}">[email&#160;protected]</a></p>
<p>Partner lab: lab@partnerlab.com</p>
</body></html>"""


def contact_site(server: LocalServer) -> LocalServer:
    server.route("GET", "/", Reply(200, HOME))
    server.route("GET", "/kontakt", Reply(200, KONTAKT))
    server.route("GET", "/impressum", Reply(200, "<p>Inhaber: chef(at)smile-dental(dot)de</p>"))
    for path in ("/ueber-uns", "/about", "/team-contact", "/blog/2024"):
        server.route("GET", path, Reply(200, f"<p>page {path} email{path.strip('/').replace('/', '')}@smile-dental.de</p>"))
    server.route("GET", "/robots.txt", Reply(404, "not found"))
    return server


def robots_site(server: LocalServer) -> LocalServer:
    server.route("GET", "/robots.txt", Reply(200, "User-agent: *\nDisallow: /kontakt\n", headers={"Content-Type": "text/plain"}))
    server.route("GET", "/", Reply(200, '<a href="/kontakt">Kontakt</a> no email here'))
    server.route("GET", "/kontakt", Reply(200, "<p>hidden@robots-shop.de</p>"))
    return server


def huge_site(server: LocalServer) -> LocalServer:
    big = "<p>" + ("x" * 3_000_000) + " big@huge-shop.de</p>"
    server.route("GET", "/", Reply(200, big))
    server.route("GET", "/robots.txt", Reply(404, ""))
    return server


def binary_site(server: LocalServer) -> LocalServer:
    server.route("GET", "/", Reply(200, b"\x89PNG\r\n\x1a\n binary@png-shop.de \x00\xff", headers={"Content-Type": "image/png"}))
    server.route("GET", "/robots.txt", Reply(404, ""))
    return server


def hanging_site(server: LocalServer) -> LocalServer:
    server.route("GET", "/robots.txt", Reply(404, ""))
    server.route("GET", "/", Reply(hang=True))
    return server


class TrickleServer:
    """Answers robots.txt with 404 at once and every other path with a large page sent one byte every
    ``interval`` seconds (each read gets data, so no per-read timeout ever fires)."""

    def __init__(self, interval: float = 2.0, host: str = "127.0.0.1") -> None:
        import socket
        import threading

        self.interval = interval
        self._sock = socket.create_server((host, 0))
        self._stop = threading.Event()
        self.base_url = f"http://{host}:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        import threading

        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn) -> None:
        with conn:
            try:
                request = conn.recv(65536).decode(errors="replace")
                if request.split(" ")[1:2] == ["/robots.txt"]:
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                while not self._stop.wait(self.interval):
                    conn.sendall(b"x")
            except OSError:
                pass  # the client gave up: that is the point

    def __enter__(self) -> TrickleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._sock.close()


class Listener:
    """A bare listening socket that counts connection attempts (a place that must never be reached)."""

    def __init__(self, host: str) -> None:
        import socket

        self._sock = socket.create_server((host, 0))
        self._sock.setblocking(False)
        self.url = f"http://{host}:{self._sock.getsockname()[1]}/"

    def connections(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return count
            conn.close()
            count += 1

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc) -> None:
        self._sock.close()
