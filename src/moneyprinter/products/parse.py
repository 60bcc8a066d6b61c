"""Read a product's details from its page, in order of trust:

1. schema.org ``Product`` JSON-LD (what shops publish for search engines), read leniently: raw
   newlines in strings, ``@graph`` lists, offers arrays, Shopify ``ProductGroup`` variants;
2. schema.org microdata (``itemprop`` attributes);
3. OpenGraph tags (``og:title``, ``og:description``) on a page that presents a product
   (``og:type`` product or a price: a sign-in page or a listicle has ``og:title`` too);
4. Amazon's known element ids (``#productTitle``, the visible ``#feature-bullets``, the ``a-price``).

When a page has several Product blocks, the one whose URL is the page's canonical URL (or
``og:url``) is the product; otherwise the first. The title comes from the first source that has
one, the other fields from the first that has them. Prices are numbers with an ISO currency code,
whatever the page's locale wrote ("1.299,00 \u20ac" is 1299.00 EUR).
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from price_parser import Price

if TYPE_CHECKING:
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
    from bs4 import BeautifulSoup  # imported when a page is parsed, not at every CLI start

    soup = BeautifulSoup(html, "html.parser")
    page_url = _canonical(soup)
    found = [info for info in (_from_json_ld(soup, page_url), _from_microdata(soup), _from_opengraph(soup),
                               _from_amazon(soup)) if info]
    titled = [info for info in found if info.title]
    if not titled:
        return None
    best = titled[0]
    for info in found:  # fill what the first source lacks from the later ones
        best.features = best.features or info.features
        best.description = best.description or info.description
        if not best.price and info.price:
            best.price, best.currency = info.price, info.currency
        best.currency = best.currency or info.currency
        best.canonical_url = best.canonical_url or info.canonical_url
    best.canonical_url = page_url or best.canonical_url
    return best


def _clean(text: object) -> str:
    return " ".join(html_lib.unescape(str(text or "")).split())


def _canonical(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"].strip()
    return _meta(soup, "og:url") or None


_SYMBOLS = {"$": "USD", "US$": "USD", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY", "\u20b9": "INR",
            "C$": "CAD", "A$": "AUD", "CHF": "CHF", "kr": "SEK", "z\u0142": "PLN", "R$": "BRL"}


def parse_price(value: object, currency: object = None) -> tuple[str | None, str | None]:
    """('1299.00', 'EUR') from '1.299,00 \u20ac', '$1,299.00', 1299 or '1299'; (None, None) when there is no number."""
    text = _clean(value)
    if not text:
        return None, _clean(currency).upper() or None
    price = Price.fromstring(text, currency_hint=_clean(currency) or None)
    if price.amount is None:
        return None, _clean(currency).upper() or None
    code = _clean(currency).upper() or _SYMBOLS.get(price.currency or "", (price.currency or "").upper()) or None
    return f"{price.amount:.2f}", code


def _url_key(url: str | None) -> str:
    parts = urlsplit(url or "")
    return (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")) if parts.netloc else ""


# --- 1. JSON-LD -------------------------------------------------------------------------


def _json_ld_nodes(soup: BeautifulSoup):
    for script in soup.find_all("script", type=re.compile(r"application/ld\+json", re.IGNORECASE)):
        try:  # strict=False: shops write raw newlines and tabs inside strings
            data = json.loads(script.string or script.get_text() or "null", strict=False)
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


def _offer(node: dict) -> tuple[str | None, str | None]:
    """The price of a Product: its offer (or the first priced one of an array or an AggregateOffer),
    else the first priced variant of a ProductGroup."""
    offers = node.get("offers") or []
    for offer in offers if isinstance(offers, list) else [offers]:
        if not isinstance(offer, dict):
            continue
        spec = offer.get("priceSpecification")
        spec = spec[0] if isinstance(spec, list) and spec else spec
        spec = spec if isinstance(spec, dict) else {}
        raw = offer.get("price") or offer.get("lowPrice") or spec.get("price")
        price, currency = parse_price(raw, offer.get("priceCurrency") or spec.get("priceCurrency"))
        if price:
            return price, currency
    for variant in node.get("hasVariant") or []:
        if isinstance(variant, dict):
            price, currency = _offer(variant)
            if price:
                return price, currency
    return None, None


def _from_json_ld(soup: BeautifulSoup, page_url: str | None) -> ProductInfo | None:
    products = [n for n in _json_ld_nodes(soup) if _is_product(n) and _clean(n.get("name"))]
    if not products:
        return None
    node = products[0]
    wanted = _url_key(page_url)
    for candidate in products:  # several Product blocks (accessories, 'related'): the page's own wins
        urls = [candidate.get("url"), candidate.get("@id"), (candidate.get("offers") or {}).get("url")
                if isinstance(candidate.get("offers"), dict) else None]
        if wanted and any(isinstance(u, str) and _url_key(u) == wanted for u in urls):
            node = candidate
            break
    price, currency = _offer(node)
    features = []
    for prop in node.get("additionalProperty") or []:
        if isinstance(prop, dict) and prop.get("name") and prop.get("value") not in (None, ""):
            features.append(f"{_clean(prop['name'])}: {_clean(prop['value'])}")
    url = node.get("url") if isinstance(node.get("url"), str) else None
    return ProductInfo(
        title=_clean(node.get("name")),
        description=_clean(node.get("description")),
        features=features[:MAX_FEATURES],
        price=price,
        currency=currency,
        canonical_url=url,
        source="json-ld",
    )


# --- 2. Microdata -----------------------------------------------------------------------


def _from_microdata(soup: BeautifulSoup) -> ProductInfo | None:
    scope = soup.find(attrs={"itemscope": True, "itemtype": re.compile(r"schema\.org/Product\b", re.I)})
    if scope is None:
        return None

    def prop(name: str) -> str:
        tag = scope.find(attrs={"itemprop": name})
        if tag is None:
            return ""
        return _clean(tag.get("content") or tag.get("href") or tag.get_text(" "))

    price, currency = parse_price(prop("price") or prop("lowPrice"), prop("priceCurrency"))
    if not prop("name"):
        return None
    return ProductInfo(title=prop("name"), description=prop("description"), price=price, currency=currency,
                       canonical_url=prop("url") or None, source="microdata")


# --- 3. OpenGraph -----------------------------------------------------------------------


def _meta(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and _clean(tag.get("content")):
            return _clean(tag.get("content"))
    return ""


def _from_opengraph(soup: BeautifulSoup) -> ProductInfo | None:
    title = _meta(soup, "og:title")
    kind = _meta(soup, "og:type").lower()
    raw_price = _meta(soup, "product:price:amount", "og:price:amount")
    # A sign-in page, a blog post or a listicle has og:title too; only a page presenting a product counts.
    if not title or not ("product" in kind or raw_price):
        return None
    price, currency = parse_price(raw_price, _meta(soup, "product:price:currency", "og:price:currency"))
    return ProductInfo(
        title=title,
        description=_meta(soup, "og:description"),
        features=[],
        price=price,
        currency=currency,
        canonical_url=_meta(soup, "og:url") or None,
        source="opengraph",
    )


# --- 4. Amazon --------------------------------------------------------------------------


def _hidden(tag) -> bool:
    """Amazon keeps extra bullets in the page, hidden (class a-hidden / aok-hidden, or display:none)."""
    for node in [tag, *tag.parents]:
        if getattr(node, "attrs", None) is None:
            continue
        classes = node.get("class") or []
        if {"a-hidden", "aok-hidden", "hidden"} & set(classes):
            return True
        if re.search(r"display\s*:\s*none", node.get("style") or "", re.I):
            return True
    return False


def _from_amazon(soup: BeautifulSoup) -> ProductInfo | None:
    title_tag = soup.select_one("#productTitle")
    bullets = soup.select("#feature-bullets li") or soup.select("#featurebullets_feature_div li")
    features = []
    for li in bullets:
        text = _clean(li.get_text(" "))
        if text and "see more product details" not in text.lower() and not _hidden(li):
            features.append(text)
    if not title_tag and not features:
        return None
    price, currency = None, None
    for tag in soup.select(".a-price .a-offscreen, #priceblock_ourprice, #priceblock_dealprice"):
        if not _hidden(tag):
            price, currency = parse_price(tag.get_text())
            if price:
                break
    return ProductInfo(
        title=_clean(title_tag.get_text(" ")) if title_tag else "",
        features=features[:MAX_FEATURES],
        price=price,
        currency=currency,
        source="amazon",
    )
