"""The opt-in headless Chromium fallback, against pages served by the local shop."""

import shutil

import pytest

from moneyprinter.app import App
from moneyprinter.errors import UsageError
from moneyprinter.platforms.affiliate import AffiliateMarketing
from moneyprinter.products.fetch import PageBlocked
from moneyprinter.store import products
from tests.support.httpserver import Reply
from tests.twitter.conftest import FIXTURES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="needs chromium and chromium-driver (.ci/run installs them)"),
]


@pytest.fixture
def spa_shop(shop):
    shop.route("GET", "/spa/v60", Reply(200, (FIXTURES / "product_js.html").read_text()))

    def bot_wall(request):
        # Like many shops: plain HTTP clients get a bot check, a real browser gets the page.
        if request.header("Sec-Fetch-Mode"):
            return Reply(200, (FIXTURES / "product_jsonld.html").read_text())
        return Reply(503, (FIXTURES / "captcha.html").read_text())

    shop.route("GET", "/walled/aeropress", bot_wall)
    return shop


def test_page_that_needs_javascript_is_read_in_the_browser(app, account, spa_shop, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__BROWSER_FALLBACK", "true")
    product = AffiliateMarketing(app, account).fetch_product(spa_shop.url("/spa/v60"))
    assert (product.title, product.source) == ("Hario V60 Ceramic Dripper", "json-ld")
    assert product.features == ["Material: Ceramic"]


def test_page_that_blocks_plain_requests_is_read_in_the_browser(app, account, spa_shop, monkeypatch):
    link = spa_shop.url("/walled/aeropress")
    with pytest.raises(PageBlocked):  # off by default
        AffiliateMarketing(app, account).fetch_product(link)
    assert products.list_products(app.db) == []
    monkeypatch.setenv("MONEYPRINTER_TWITTER__BROWSER_FALLBACK", "true")
    with_browser = App()
    try:
        product = AffiliateMarketing(with_browser, account).fetch_product(link)
    finally:
        with_browser.close()
    assert product.title == "AeroPress Go Travel Coffee Press"


def test_captcha_shown_to_the_browser_too_is_a_clear_error(app, account, shop, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__BROWSER_FALLBACK", "true")
    with pytest.raises(UsageError, match="captcha even to the browser"):
        AffiliateMarketing(app, account).fetch_product(shop.url("/captcha/dp/B000CAPTCH/"))
    assert products.list_products(app.db) == []
