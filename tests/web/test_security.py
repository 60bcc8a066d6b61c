"""The web app's guards, over HTTP against a real server: login, session cookie, CSRF, headers,
the media route's confinement to the data directory, no secrets in pages, and forged unsubscribe links."""

from __future__ import annotations

import os
import re
import time

import pytest
import requests
from fastapi.routing import APIRoute

from moneyprinter.outreach import suppression
from moneyprinter.outreach.unsubscribe import make_token
from tests.web.conftest import SECRETS, X_KEYS, WebServer, csrf_of, login

# Served to anyone: the login form, the unsubscribe endpoint, the static files, and the API (its own bearer auth).
OPEN = re.compile(r"^/(login|u/|static|api/|docs|openapi\.json|redoc)")


def _page_routes(web) -> list[APIRoute]:
    """Every route of every registered router (what the app serves), but the open ones."""
    from moneyprinter.web.server import ROUTERS

    routes = [r for _, router in ROUTERS.items() for r in router.routes]
    return [r for r in routes if isinstance(r, APIRoute) and not OPEN.match(r.path)]


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}:]+(:path)?\}", lambda m: "shorts/demo/short.mp4" if m.group(1) else "1", path)


def test_every_page_route_needs_a_login(site):
    server, _ = site
    routes = _page_routes(server.web)
    assert len(routes) > 25  # every page and action, so a route added later is checked too
    for route in routes:
        url = server.url + _concrete(route.path)
        for method in route.methods - {"HEAD"}:
            answer = requests.request(method, url, allow_redirects=False, data={"csrf": "x"})
            if method == "GET":
                assert answer.status_code == 303, (method, route.path, answer.status_code)
                assert answer.headers["location"].startswith("/login?next=")
            else:
                assert answer.status_code == 401, (method, route.path, answer.status_code)


def test_a_forged_or_foreign_session_cookie_is_refused(site):
    server, _ = site
    for value in ("1.abc.def", f"{int(time.time())}.nonce.{'A' * 43}", server.token, ""):
        answer = requests.get(server.url + "/", cookies={"mp_session": value}, allow_redirects=False)
        assert answer.status_code == 303, value


def test_every_state_change_without_csrf_token_is_403_and_changes_nothing(site, session, app):
    server, seeded = site
    before = app.db.query_one("SELECT COUNT(*) FROM accounts")[0]
    for route in _page_routes(server.web):
        if "POST" not in route.methods:
            continue
        url = server.url + _concrete(route.path)
        for data in ({}, {"csrf": "wrong-token"}):
            answer = session.post(url, data={**data, "platform": "x", "nickname": "sneaky"}, allow_redirects=False)
            assert answer.status_code == 403, (route.path, answer.status_code)
    assert app.db.query_one("SELECT COUNT(*) FROM accounts")[0] == before


def test_a_csrf_token_of_another_session_is_refused(site):
    server, _ = site
    first, second = login(server.url, server.token), login(server.url, server.token)
    token_of_first = csrf_of(first.get(server.url + "/accounts").text)
    answer = second.post(server.url + "/accounts", data={"csrf": token_of_first, "platform": "x", "nickname": "n2"},
                         allow_redirects=False)
    assert answer.status_code == 403


def test_wrong_token_is_401_after_a_delay_and_says_nothing_more(site):
    server, _ = site
    answers = []
    for guess in ("wrong", server.token[:-1], "x" * len(server.token)):
        session = requests.Session()
        nonce = re.search(r'name="login_nonce" value="([^"]+)"', session.get(server.url + "/login").text).group(1)
        began = time.monotonic()
        answer = session.post(server.url + "/login", data={"token": guess, "login_nonce": nonce}, allow_redirects=False)
        assert answer.status_code == 401 and time.monotonic() - began >= 0.9
        assert "mp_session" not in answer.cookies
        answers.append(re.sub(r'value="[^"]*"', "", answer.text))
    assert len(set(answers)) == 1  # the same page whatever was wrong


def test_login_without_the_forms_own_nonce_is_refused(site):
    server, _ = site
    answer = requests.post(server.url + "/login", data={"token": server.token}, allow_redirects=False)
    assert answer.status_code == 403 and "mp_session" not in answer.cookies


def test_session_cookie_is_httponly_strict_and_does_not_carry_the_token(site):
    server, _ = site
    session = requests.Session()
    nonce = re.search(r'name="login_nonce" value="([^"]+)"', session.get(server.url + "/login").text).group(1)
    answer = session.post(server.url + "/login", data={"token": server.token, "login_nonce": nonce},
                          allow_redirects=False)
    header = [h for h in answer.raw.headers.getlist("set-cookie") if h.startswith("mp_session=")][0]
    assert "HttpOnly" in header and "SameSite=strict" in header.replace("Strict", "strict")
    assert server.token not in header


def test_security_headers_and_no_store(site, session):
    server, _ = site
    page = session.get(server.url + "/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Cache-Control"] == "no-store"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in page.text and " style=" not in page.text and "onclick" not in page.text


def test_logout_ends_the_session_in_this_browser(site, session):
    server, _ = site
    csrf = csrf_of(session.get(server.url + "/").text)
    session.post(server.url + "/logout", data={"csrf": csrf})
    assert session.get(server.url + "/", allow_redirects=False).status_code == 303


# --- media --------------------------------------------------------------------------------------------


def test_media_answers_range_requests_with_206(site, session):
    server, seeded = site
    url = server.url + "/media/shorts/demo/short.mp4"
    data = seeded.video.read_bytes()
    part = session.get(url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
    assert part.content == data[100:1100]
    tail = session.get(url, headers={"Range": f"bytes={len(data) - 10}-"})
    assert tail.status_code == 206 and tail.content == data[-10:]
    whole = session.get(url)
    assert whole.status_code == 200 and whole.headers["Accept-Ranges"] == "bytes" and whole.content == data
    assert session.get(url, headers={"Range": f"bytes={len(data) + 5}-"}).status_code == 416


@pytest.mark.parametrize("path", [
    "/media/../web/token", "/media/%2e%2e/web/token", "/media/..%2fweb%2ftoken", "/media/shorts/../../outside.mp4",
    "/media/%2e%2e/outside.mp4", "/media//etc/passwd", "/media/web/token", "/media/.env",
    "/media/outreach-unsubscribe.key", "/media/tokens/x/2.json", "/media/moneyprinter.db", "/media/link.mp4",
    "/media/shorts/demo/missing.mp4",
])
def test_media_route_serves_only_media_inside_the_data_directory(site, session, home, path):
    server, _ = site
    outside = home.parent / "outside.mp4"
    outside.write_bytes(b"outside the data directory")
    if not (home / "link.mp4").exists():
        os.symlink(outside, home / "link.mp4")  # a link inside that points outside
    (home / ".env").write_text("SMTP_PASSWORD=" + SECRETS["SMTP_PASSWORD"] + "\n")
    answer = session.get(server.url + path, allow_redirects=False)
    assert answer.status_code in (404, 400), (path, answer.status_code)
    assert b"outside the data directory" not in answer.content
    assert server.token.encode() not in answer.content and SECRETS["SMTP_PASSWORD"].encode() not in answer.content


def test_raw_traversal_is_refused_at_the_socket_level(site, session):
    """A client that does not normalise ``..`` (curl --path-as-is) reaches the route unchanged."""
    import socket

    server, _ = site
    host, port = server.url.removeprefix("http://").split(":")
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(f"GET /media/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
                     "Connection: close\r\n\r\n".encode())
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.split(b"\r\n")[0].split()[1] in (b"404", b"400") and b"root:" not in reply


# --- secrets ------------------------------------------------------------------------------------------


def _every_page(server, seeded, session) -> dict[str, str]:
    pub_ids = [m for m in re.findall(r'href="/publications/(\d+)"', session.get(server.url + "/publications").text)]
    paths = ["/", "/review", "/history", "/history?kind=short", "/accounts", "/schedules",
             f"/schedules/{seeded.schedule_id}", "/publications", *[f"/publications/{i}" for i in pub_ids],
             "/outreach", f"/outreach/{seeded.campaign}", "/health", "/make", "/login", "/publications/999",
             f"/accounts/{seeded.x.id}", f"/accounts/{seeded.youtube.id}", f"/accounts/{seeded.x.id}/remove",
             "/outreach/nope", "/u/forged.token"]
    return {p: session.get(server.url + p).text for p in paths}


def test_no_secret_appears_in_any_page(site, session, home):
    server, seeded = site
    pages = _every_page(server, seeded, session)
    assert len(pages) >= 15
    secrets = [*SECRETS.values(), *X_KEYS.values(), server.token]
    for path, text in pages.items():
        for secret in secrets:
            assert secret not in text, (path, secret[:8])
    assert "Crumb &amp; Co" in pages[f"/outreach/{seeded.campaign}"]  # the pages did render real data


def test_a_moneyprinter_error_is_one_line_with_its_fix(site, session):
    server, _ = site
    page = session.get(server.url + "/publications/999")
    assert page.status_code == 404 and "no publication with id 999" in page.text
    page = session.get(server.url + "/outreach/nope")
    assert page.status_code == 404 and "nope" in page.text
    assert "Traceback" not in page.text


# --- unsubscribe --------------------------------------------------------------------------------------


def test_forged_unsubscribe_tokens_change_nothing(site, app, home):
    server, seeded = site
    real = make_token(seeded.contact)
    payload, _, signature = real.partition(".")
    other = make_token("someone@else.de", key=b"k" * 32)
    forged = [f"{payload}.{'A' * len(signature)}", f"{payload}.", payload, other,
              make_token("victim@example.com", key=b"another installation's key"), f"{payload}x.{signature}"]
    for token in forged:
        assert requests.get(f"{server.url}/u/{token}").status_code == 400
        assert requests.post(f"{server.url}/u/{token}").status_code == 400
    assert suppression.list_all(app.db) == []


def test_one_click_unsubscribe_without_login_suppresses_once(site, app):
    server, seeded = site
    token = make_token(seeded.contact)
    page = requests.get(f"{server.url}/u/{token}")
    assert page.status_code == 200 and 'method="post"' in page.text and seeded.contact not in page.text
    assert suppression.list_all(app.db) == []  # showing the page changes nothing
    for _ in range(2):  # RFC 8058 one-click: a POST with List-Unsubscribe=One-Click; repeating is harmless
        done = requests.post(f"{server.url}/u/{token}", data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "unsubscribed" in done.text
    assert [s.value for s in suppression.list_all(app.db)] == [seeded.contact]


def test_public_only_server_serves_nothing_but_the_unsubscribe_endpoint(app, home):
    with WebServer(app, public_only=True) as server:
        assert requests.get(server.url + "/login").status_code == 404
        assert requests.get(server.url + "/", allow_redirects=False).status_code == 404
        assert requests.get(server.url + "/media/x.mp4").status_code == 404
        assert requests.get(server.url + "/docs").status_code == 404
        assert requests.get(server.url + "/u/" + make_token("a@b.de")).status_code == 200
