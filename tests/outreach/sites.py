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
