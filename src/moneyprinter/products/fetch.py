"""Fetch a product page through the address guard (``netguard``), the way a browser would ask for it.

A product link is third-party input: it is fetched only if it resolves to public addresses
(redirects included), within one whole-fetch deadline and a size cap.

Shops answer bots with a captcha, a 503 or an empty JavaScript shell. Those are reported as
``PageBlocked`` so the caller can fall back to the headless browser (when the user opted in)
or tell the user plainly; a 404 and an oversized page are errors with a fix.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.netguard import BlockedAddress, Deadline, GuardedFetcher
from moneyprinter.products.parse import looks_like_captcha

log = logging.getLogger(__name__)

BROWSER_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
    ),
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.9",
    "Upgrade-Insecure-Requests": "1",
}
_BLOCKING_STATUSES = {401, 403, 405, 429, 503}


class PageBlocked(MoneyPrinterError):
    """The shop answered with a bot check (captcha, 503, 403) instead of the product page."""


@dataclass
class Page:
    url: str
    html: str
    via: str  # "http" or "browser"


def validate_link(link: str) -> str:
    """The link, trimmed, if it is an http(s) URL with a host; else a UsageError saying what is wrong."""
    link = (link or "").strip()
    parts = urlsplit(link)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in link:
        raise UsageError(
            f"'{link}' is not a product link",
            hint="give the full address of the product page, starting with https://",
        )
    return link


def decode_html(body: bytes, content_type: str) -> str:
    """Text of a page: the header's charset, else the page's ``<meta charset>``, else UTF-8.

    (requests would assume ISO-8859-1 for text/html without a charset and garble UTF-8 titles.)
    """
    declared = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    if not declared:
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.IGNORECASE)
    encoding = declared.group(1) if declared else "utf-8"
    encoding = encoding.decode("ascii", "replace") if isinstance(encoding, bytes) else encoding
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def fetch_page(fetcher: GuardedFetcher, link: str, *, max_bytes: int, deadline_s: float) -> Page:
    """GET the page with browser-like headers through the address guard (a link is third-party input:
    it may point into the user's own network), at most ``max_bytes`` of it, within ``deadline_s``."""
    try:
        response = fetcher.get(link, deadline=Deadline(deadline_s), max_bytes=max_bytes, headers=BROWSER_HEADERS)
    except BlockedAddress as exc:
        raise UsageError(
            f"refused to fetch {link}: {exc.reason}",
            hint="give the shop's public address (twitter.allow_private_addresses = true allows a LAN)",
        ) from None
    except errors.ResponseTooLarge:
        raise UsageError(
            f"the product page at {link} is larger than {max_bytes // (1024 * 1024) or 1} MB; refused",
            hint="check the link points at a product page (x.max_page_bytes sets the limit)",
        ) from None
    status = response.status
    content_type = response.headers.get("content-type", "")
    html = decode_html(response.body, content_type)
    if status in (404, 410):
        raise UsageError(f"the product page was not found (HTTP {status}): {link}", hint="check the link")
    if status in _BLOCKING_STATUSES or (status < 400 and looks_like_captcha(html)):
        what = "a captcha (bot check)" if looks_like_captcha(html) else f"HTTP {status}"
        raise PageBlocked(
            f"the shop answered with {what} instead of the product page: {link}",
            hint="set x.browser_fallback = true to load it in headless Chrome, or try again later",
        )
    if status >= 400:
        raise UsageError(f"the product page could not be loaded (HTTP {status}): {link}", hint="check the link")
    if "html" not in (content_type or "text/html").lower():
        raise UsageError(
            f"the link is not a web page ({content_type}): {link}",
            hint="give the address of the product page",
        )
    return Page(url=response.url or link, html=html, via="http")
