"""Read a product's details from its page, in order of trust:

1. schema.org ``Product`` JSON-LD (what shops publish for search engines);
2. OpenGraph tags (``og:title``, ``og:description``) on a page that presents a product;
3. Amazon's known element ids (``#productTitle``, the ``#feature-bullets`` list).

The title comes from the first source that has one, the features from the first that has any.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup

MAX_FEATURES = 5
_CAPTCHA_MARKERS = (
    "/errors/validatecaptcha",
    "enter the characters you see below",
    "type the characters you see in this image",
    "g-recaptcha",
    "h-captcha",
    "cf-challenge",
    "challenge-platform",
    "are you a robot",
    "verify you are a human",
    "captcha-container",
)
_ASIN = re.compile(r"/(?:dp|gp/product|gp/aw/d|product)/([A-Z0-9]{10})(?:[/?]|$)", re.IGNORECASE)
_TRACKING = re.compile(r"^(?:utm_\w+|ref|ref_|fbclid|gclid|psc|th|smid|pd_rd_\w+|pf_rd_\w+|qid|sr|keywords|crid|sprefix)$")


@dataclass
class ProductInfo:
    title: str
    description: str = ""
    features: list[str] = field(default_factory=list)
    price: str | None = None
    currency: str | None = None
    canonical_url: str | None = None
    source: str = ""  # json-ld | opengraph | amazon


def looks_like_captcha(html: str) -> bool:
    """A bot check served instead of the page (Amazon's 'Robot Check', reCAPTCHA, hCaptcha, Cloudflare)."""
    head = html[:200_000].lower()
    title = re.search(r"<title[^>]*>(.*?)</title>", head, re.DOTALL)
    if title and ("robot check" in title.group(1) or "captcha" in title.group(1)):
        return True
    return any(marker in head for marker in _CAPTCHA_MARKERS)


def product_key(link: str, canonical_url: str | None = None) -> str:
    """One key per product: the Amazon ASIN when there is one, else the canonical URL without tracking."""
    for url in (link, canonical_url or ""):
        match = _ASIN.search(urlsplit(url).path + "/")
        if match:
            return "asin:" + match.group(1).upper()
    parts = urlsplit(canonical_url or link)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/") or "/", query, ""))


def parse_product(html: str) -> ProductInfo | None:
    """The product on the page, or None when the page has no product data we can read."""
    soup = BeautifulSoup(html, "html.parser")
    found = [info for info in (_from_json_ld(soup), _from_opengraph(soup), _from_amazon(soup)) if info]
    titled = [info for info in found if info.title]
    if not titled:
        return None
    best = titled[0]
    for info in found:  # fill what the first source lacks from the later ones
        best.features = best.features or info.features
        best.description = best.description or info.description
        best.price = best.price or info.price
        best.currency = best.currency or info.currency
        best.canonical_url = best.canonical_url or info.canonical_url
    canonical = soup.find("link", rel="canonical")
    if not best.canonical_url and canonical and canonical.get("href"):
        best.canonical_url = canonical["href"]
    return best


def _clean(text: object) -> str:
    return " ".join(str(text or "").split())


# --- 1. JSON-LD -------------------------------------------------------------------------


def _json_ld_nodes(soup: BeautifulSoup):
    for script in soup.find_all("script", type=re.compile(r"application/ld\+json", re.IGNORECASE)):
        try:
            data = json.loads(script.string or script.get_text() or "null")
        except ValueError:
            continue  # shops do publish broken JSON-LD; the other sources may still work
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                yield node
                if "@graph" in node:
                    stack.append(node["@graph"])


def _is_product(node: dict) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.split("/")[-1] in ("Product", "ProductGroup") for k in kinds)


def _from_json_ld(soup: BeautifulSoup) -> ProductInfo | None:
    for node in _json_ld_nodes(soup):
        if not _is_product(node) or not _clean(node.get("name")):
            continue
        offers = node.get("offers") or {}
        if isinstance(offers, list):
            offers = offers[0] if offers and isinstance(offers[0], dict) else {}
        price = offers.get("price") or offers.get("lowPrice") if isinstance(offers, dict) else None
        currency = offers.get("priceCurrency") if isinstance(offers, dict) else None
        features = []
        for prop in node.get("additionalProperty") or []:
            if isinstance(prop, dict) and prop.get("name") and prop.get("value") not in (None, ""):
                features.append(f"{_clean(prop['name'])}: {_clean(prop['value'])}")
        url = node.get("url") if isinstance(node.get("url"), str) else None
        return ProductInfo(
            title=_clean(node.get("name")),
            description=_clean(node.get("description")),
            features=features[:MAX_FEATURES],
            price=_clean(price) or None,
            currency=_clean(currency) or None,
            canonical_url=url,
            source="json-ld",
        )
    return None


# --- 2. OpenGraph -----------------------------------------------------------------------


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and _clean(tag.get("content")):
            return _clean(tag.get("content"))
    return ""


def _from_opengraph(soup: BeautifulSoup) -> ProductInfo | None:
    title = _meta(soup, "og:title")
    kind = _meta(soup, "og:type").lower()
    price = _meta(soup, "product:price:amount", "og:price:amount")
    # A blog post or a video has og:title too; only a page presenting a product counts.
    if not title or not ("product" in kind or price or kind == ""):
        return None
    description = _meta(soup, "og:description")
    return ProductInfo(
        title=title,
        description=description,
        features=[],
        price=price or None,
        currency=_meta(soup, "product:price:currency", "og:price:currency") or None,
        canonical_url=_meta(soup, "og:url") or None,
        source="opengraph",
    )


# --- 3. Amazon --------------------------------------------------------------------------


def _from_amazon(soup: BeautifulSoup) -> ProductInfo | None:
    title_tag = soup.select_one("#productTitle")
    bullets = soup.select("#feature-bullets li") or soup.select("#featurebullets_feature_div li")
    features = []
    for li in bullets:
        text = _clean(li.get_text(" "))
        if text and "see more product details" not in text.lower():
            features.append(text)
    if not title_tag and not features:
        return None
    return ProductInfo(
        title=_clean(title_tag.get_text(" ")) if title_tag else "",
        features=features[:MAX_FEATURES],
        source="amazon",
    )
