"""The browser fallback obeys the address rule too: the page, its redirects and everything it loads.

The "user's network" is 127.0.0.2 (a second loopback address, standing for the router or a NAS);
the shop is on 127.0.0.1, which these tests allow as if it were public.
"""

import shutil

import pytest

from moneyprinter.errors import UsageError
from moneyprinter.products.browser import fetch_with_browser
from tests.support.httpserver import LocalServer, Reply

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="needs chromium and chromium-driver (.ci/run installs them)"),
]

SHOP_ONLY = ["127.0.0.1/32"]
PRODUCT = ('<html><head><title>Kettle</title></head><body><h1>Stagg Kettle</h1>{extra}'
           '<script type="application/ld+json">{{"@type": "Product", "name": "Stagg Kettle"}}</script></body></html>')


@pytest.fixture
def admin():
    """A page on the user's own network that must never be read."""
    with LocalServer(host="127.0.0.2") as server:
        server.route("GET", "/admin", Reply(200, "<html><body>router admin: wifi password hunter2</body></html>"))
        server.route("GET", "/pixel.png", Reply(200, b"\x89PNG"))
        server.route("GET", "/api", Reply(200, {"secret": "hunter2"}))
        yield server


@pytest.fixture
def shop():
    with LocalServer() as server:
        yield server


def fetch(link: str, allow_private):
    return fetch_with_browser(link, max_bytes=2_000_000, page_load_timeout_s=20, allow_private=allow_private)


def test_a_link_into_the_users_network_is_refused_without_being_requested(admin):
    with pytest.raises(UsageError, match="refused to fetch .*non-public"):
        fetch(admin.url("/admin"), allow_private=False)
    assert admin.requests == []


def test_a_redirect_into_the_users_network_is_refused(shop, admin):
    shop.route("GET", "/go/kettle", Reply(302, headers={"Location": admin.url("/admin")}))
    with pytest.raises(UsageError, match="refused to fetch .*127.0.0.2"):
        fetch(shop.url("/go/kettle"), allow_private=SHOP_ONLY)
    assert admin.requests == []
    assert shop.count("GET", "/go/kettle") == 1


def test_what_a_page_loads_from_the_users_network_is_not_fetched(shop, admin):
    extra = (f'<img src="{admin.url("/pixel.png")}">'
             f'<script>fetch("{admin.url("/api")}").catch(() => null)</script>')
    shop.route("GET", "/kettle", Reply(200, PRODUCT.format(extra=extra)))
    page = fetch(shop.url("/kettle"), allow_private=SHOP_ONLY)
    assert "Stagg Kettle" in page.html and page.via == "browser"
    assert admin.requests == []


def test_allowed_private_addresses_still_work_for_a_lan_shop(shop):
    shop.route("GET", "/kettle", Reply(200, PRODUCT.format(extra="")))
    page = fetch(shop.url("/kettle"), allow_private=True)
    assert "Stagg Kettle" in page.html


def test_an_https_redirect_into_the_users_network_is_refused(shop, admin):
    target = f"https://127.0.0.2:{admin.port}/admin"  # refused at CONNECT, before any TLS
    shop.route("GET", "/go/secure", Reply(302, headers={"Location": target}))
    with pytest.raises(UsageError, match="refused to fetch .*127.0.0.2"):
        fetch(shop.url("/go/secure"), allow_private=SHOP_ONLY)
    assert admin.connections == 0
