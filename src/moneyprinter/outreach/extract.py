"""Pull email addresses out of an HTML page and reject the junk.

Sources, in order of trust: ``mailto:`` links, Cloudflare ``data-cfemail`` encodings, plain
addresses in the text, and spelled-out ``name [at] domain [dot] com`` forms.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from email_validator import EmailNotValidError, validate_email
from publicsuffixlist import PublicSuffixList

_PSL = PublicSuffixList()  # the bundled Public Suffix List: no download at run time

PLAIN = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
# Recognised spellings only: "at"/"dot" in brackets (any case), or bare in capitals ("info AT shop DOT de").
# Bare lower-case words are prose: "meet us at home dot com" is not an address.
_AT = r"\s*(?:\[\s*(?i:at)\s*\]|\(\s*(?i:at)\s*\)|\{\s*(?i:at)\s*\}|<\s*(?i:at)\s*>|\s+AT\s+)\s*"
_DOT = r"\s*(?:\[\s*(?i:dot)\s*\]|\(\s*(?i:dot)\s*\)|\{\s*(?i:dot)\s*\}|<\s*(?i:dot)\s*>|\s+DOT\s+)\s*"
OBFUSCATED = re.compile(rf"([A-Za-z0-9][A-Za-z0-9._+-]*){_AT}([A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)+)")
CFEMAIL_ATTR = re.compile(r"""data-cfemail\s*=\s*["']([0-9a-fA-F]+)["']""")
CFEMAIL_HREF = re.compile(r"/cdn-cgi/l/email-protection#([0-9a-fA-F]+)")

NOREPLY_LOCAL = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|bounces?)([-+_.].*)?$", re.I)
EXAMPLE_DOMAINS = {
    "example.com", "example.org", "example.net", "example.de", "domain.com", "yourdomain.com", "email.com",
    "test.com", "mysite.com", "yoursite.com", "company.com", "sample.com",
}
RESERVED_TLDS = ("example", "invalid", "test", "localhost", "local")
FILE_SUFFIX = re.compile(r"\.(png|jpe?g|gif|webp|svg|bmp|ico|tiff?|avif|css|js|json|pdf|mp4|woff2?)$", re.I)
PLATFORM_DOMAINS = (
    "sentry.io", "sentry-next.wixpress.com", "sentry.wixpress.com", "wixpress.com", "wix.com", "parastorage.com",
    "squarespace.com", "godaddy.com", "mailchimp.com", "list-manage.com", "sendgrid.net", "amazonses.com",
    "mailgun.org", "hubspot.com", "shopify.com", "cloudflare.com", "wordpress.com", "gravatar.com", "w3.org",
)
HEX_LOCAL = re.compile(r"^[0-9a-f]{16,}$", re.I)  # tracking keys such as Sentry DSNs


@dataclass(frozen=True)
class Found:
    address: str
    method: str  # mailto, cfemail, plain, obfuscated


def decode_cfemail(hexstr: str) -> str | None:
    """Cloudflare's email protection: the first byte is an XOR key for the rest."""
    try:
        data = bytes.fromhex(hexstr)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def junk_reason(address: str) -> str | None:
    """Why ``address`` is not a real contact, or None if it looks like one."""
    local, _, domain = address.rpartition("@")
    domain = domain.lower()
    if FILE_SUFFIX.search(address):
        return "file name"
    if NOREPLY_LOCAL.match(local):
        return "no-reply address"
    if (any(domain == d or domain.endswith("." + d) for d in EXAMPLE_DOMAINS) or domain.startswith("example.")
            or domain.rsplit(".", 1)[-1] in RESERVED_TLDS):
        return "example domain"
    if any(domain == d or domain.endswith("." + d) for d in PLATFORM_DOMAINS):
        return "platform or tracking address"
    if HEX_LOCAL.match(local):
        return "tracking key"
    if "." not in domain or _PSL.publicsuffix(domain, accept_unknown=False) is None:
        return "not a real top-level domain"
    return None


def clean(address: str) -> str | None:
    """A normalized, syntactically valid, non-junk address, or None."""
    address = unquote(address).strip().strip(".,;:'\"<>()[]")
    if "@" not in address or junk_reason(address):
        return None
    try:
        normalized = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None
    local, _, domain = normalized.rpartition("@")
    return f"{local}@{domain}".lower()  # case-insensitive in practice, and dedup needs one spelling


class _PageParser(HTMLParser):
    """Collects links (href, text), mailto targets and visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.mailtos: list[str] = []
        self.text: list[str] = []
        self._href: str | None = None
        self._link_text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.lower().startswith("mailto:"):
                self.mailtos.append(href[7:])
            self._href, self._link_text = href, []

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._link_text).strip()))
            self._href = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._href is not None:
            self._link_text.append(data.strip())


@dataclass
class Page:
    emails: list[Found]
    links: list[tuple[str, str]]  # absolute URL, link text


def parse_page(body: str, base_url: str) -> Page:
    parser = _PageParser()
    try:
        parser.feed(body)
        parser.close()
    except Exception:  # noqa: BLE001 - html.parser is lenient; a pathological page just yields less
        pass
    raw: list[Found] = []
    for target in parser.mailtos:
        for part in unquote(target.split("?", 1)[0]).split(","):
            raw.append(Found(part, "mailto"))
    for hexstr in CFEMAIL_ATTR.findall(body) + CFEMAIL_HREF.findall(body):
        decoded = decode_cfemail(hexstr)
        if decoded:
            raw.append(Found(decoded, "cfemail"))
    text = html.unescape(" ".join(parser.text))
    raw += [Found(m, "plain") for m in PLAIN.findall(text)]
    for local, rest in OBFUSCATED.findall(text):
        domain = re.sub(_DOT, ".", rest)
        raw.append(Found(f"{local}@{domain}", "obfuscated"))
    emails, seen = [], set()
    for item in raw:
        address = clean(item.address)
        if address and address not in seen:
            seen.add(address)
            emails.append(Found(address, item.method))
    links = [(urljoin(base_url, href), text) for href, text in parser.links if href and not href.startswith(("mailto:", "tel:", "javascript:", "#"))]
    return Page(emails, links)


CONTACT_WORDS = re.compile(r"contact|kontakt|impressum|imprint|about|ueber-uns|uber-uns|über|legal|team", re.I)


def contact_links(links: list[tuple[str, str]], site_url: str, limit: int) -> list[str]:
    """Up to ``limit`` same-site links that look like contact/about/impressum pages, best first."""
    host = urlsplit(site_url).netloc.lower().removeprefix("www.")
    scored: dict[str, int] = {}
    for url, text in links:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc.lower().removeprefix("www.") != host:
            continue
        target = parts._replace(fragment="").geturl()
        path = parts.path.lower()
        if FILE_SUFFIX.search(path):
            continue
        score = (2 if CONTACT_WORDS.search(path) else 0) + (1 if CONTACT_WORDS.search(text) else 0)
        if score and target.rstrip("/") != site_url.rstrip("/"):
            if re.search(r"contact|kontakt|impressum|imprint", path + " " + text, re.I):
                score += 2
            scored[target] = max(score, scored.get(target, 0))
    ranked = sorted(scored, key=lambda u: -scored[u])
    return ranked[:limit]


def site_domain(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def on_own_domain(address: str, site_url: str) -> bool:
    domain = address.rpartition("@")[2].lower()
    own = site_domain(site_url)
    return bool(own) and (domain == own or domain.endswith("." + own) or own.endswith("." + domain))


def rank(emails: list[Found], site_url: str) -> list[Found]:
    """Own-domain addresses first, then by how the address was published (sorted is stable)."""
    trust = {"mailto": 0, "cfemail": 1, "plain": 2, "obfuscated": 3}
    return sorted(emails, key=lambda f: (not on_own_domain(f.address, site_url), trust.get(f.method, 9)))
