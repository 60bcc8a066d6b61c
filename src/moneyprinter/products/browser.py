"""A small headless-browser factory for pages that need JavaScript or refuse plain requests (opt-in).

A system Chromium and chromedriver on PATH (Debian: ``apt-get install chromium chromium-driver``)
are used as they are; without them Selenium Manager looks for (or downloads) Chrome and its
driver. Nothing here runs unless ``x.browser_fallback`` is true.
"""

from __future__ import annotations

import logging
import os
import shutil
from contextlib import contextmanager

from urllib.parse import urlsplit

from moneyprinter.errors import ProviderError, UsageError
from moneyprinter.netguard import Policy, system_resolver
from moneyprinter.products.fetch import BROWSER_HEADERS, Page
from moneyprinter.products.guard_proxy import GuardProxy
from moneyprinter.products.parse import looks_like_captcha

log = logging.getLogger(__name__)


@contextmanager
def headless_chrome(*, page_load_timeout_s: float, proxy: str | None = None):
    """A headless Chrome session, always quit afterwards; ``proxy`` carries every request, loopback included."""
    try:
        from selenium import webdriver
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.chrome.service import Service
    except ImportError as exc:  # selenium is a declared dependency; this means a broken install
        raise ProviderError("selenium is not installed", hint="reinstall with 'make setup'") from exc
    os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium Manager would otherwise report usage online
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--user-agent={BROWSER_HEADERS['User-Agent']}", "--lang=en-US",
                     # nothing but the page itself goes out (and so nothing bypasses the proxy)
                     "--disable-background-networking", "--disable-component-update", "--no-first-run",
                     "--disable-sync", "--disable-features=DnsOverHttps,MediaRouter"):
        options.add_argument(argument)
    if proxy:
        options.add_argument(f"--proxy-server={proxy}")
        options.add_argument("--proxy-bypass-list=<-loopback>")
    binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    chromedriver = shutil.which("chromedriver")
    if binary:
        options.binary_location = binary
    service = Service(chromedriver) if chromedriver else None
    try:
        driver = webdriver.Chrome(options=options, service=service)
    except WebDriverException as exc:
        text = (exc.msg or str(exc)).strip()
        reason = text.splitlines()[0][:160] if text else exc.__class__.__name__
        raise ProviderError(
            f"headless Chrome could not start ({reason})",
            hint="install chromium and chromium-driver, or set x.browser_fallback = false",
        ) from None
    try:
        driver.set_page_load_timeout(page_load_timeout_s)
        yield driver
    finally:
        driver.quit()


def fetch_with_browser(link: str, *, max_bytes: int, page_load_timeout_s: float, allow_private: Policy = False,
                       resolver=system_resolver) -> Page:
    from selenium.common.exceptions import WebDriverException

    with GuardProxy(allow_private=allow_private, resolver=resolver) as proxy, \
            headless_chrome(page_load_timeout_s=page_load_timeout_s, proxy=proxy.address) as driver:
        try:
            driver.get(link)
            html = driver.page_source or ""
            url = driver.current_url or link
        except WebDriverException as exc:
            if proxy.blocked:  # a refused HTTPS tunnel fails the navigation itself
                raise _refused(link, proxy.blocked[0]) from None
            raise UsageError(f"the browser could not load {link} ({exc.__class__.__name__})", hint="check the link") from None
    host = urlsplit(url).hostname or ""
    if proxy.blocked and (host in proxy.blocked or url.startswith("chrome-error:")):
        # the page itself, or where it redirected, is in a non-public network
        raise _refused(link, host if host in proxy.blocked else proxy.blocked[0])
    if len(html.encode("utf-8", "replace")) > max_bytes:
        raise UsageError(f"the product page at {link} is larger than the {max_bytes}-byte limit; refused")
    if looks_like_captcha(html):
        raise UsageError(
            f"the shop showed a captcha even to the browser: {link}",
            hint="open the page yourself and try again later, or pitch another link",
        )
    return Page(url=url, html=html, via="browser")


def _refused(link: str, host: str) -> UsageError:
    return UsageError(f"refused to fetch {link}: {host} resolves to a non-public address",
                      hint="give the shop's public address (x.allow_private_addresses = true allows a LAN)")
