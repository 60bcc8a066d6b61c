"""Find a business's contact email on its website: home page plus a few contact pages.

Politeness and bounds: robots.txt is honoured (fetched through the shared client), each page is
capped at ``page_max_bytes``, each site at ``site_time_cap_s``, and sites are searched by a
bounded pool of workers sharing the one pooled HTTP client. Workers never touch the database:
results come back to the caller's thread, which stores them.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from moneyprinter import errors
from moneyprinter.http_client import HTTPClient
from moneyprinter.outreach.extract import Found, contact_links, on_own_domain, parse_page, rank
from moneyprinter.settings.outreach import OutreachSettings

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class FoundEmail:
    address: str
    source_url: str
    method: str
    own_domain: bool


@dataclass
class SiteResult:
    site_url: str
    emails: list[FoundEmail] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # fetched
    skipped: list[str] = field(default_factory=list)  # "url: why"
    note: str = ""


@dataclass(frozen=True)
class CrawlLimits:
    max_contact_pages: int = 4
    page_max_bytes: int = 2_000_000
    site_time_cap_s: float = 20.0
    page_timeout_s: float = 10.0
    user_agent: str = "moneyprinter-outreach/0.1"

    @classmethod
    def from_settings(cls, s: OutreachSettings) -> CrawlLimits:
        return cls(s.max_contact_pages, s.page_max_bytes, s.site_time_cap_s, s.page_timeout_s, s.user_agent)


class _SiteBudget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()


def _fetch(client: HTTPClient, url: str, limits: CrawlLimits, budget: _SiteBudget, *, text_only: bool = True):
    """GET one page within the site's remaining time; returns (status, text, final URL) or raises ServiceError."""
    left = budget.left()
    if left <= 0.05:
        raise errors.RequestTimeout(url, "site time cap reached")
    timeout = (min(5.0, left), min(limits.page_timeout_s, left))
    response = client.get(
        url, service=urlsplit(url).netloc, timeout=timeout, max_retries=0, max_bytes=limits.page_max_bytes,
        raise_for_status=False, headers={"User-Agent": limits.user_agent, "Accept": "text/html,*/*;q=0.5"},
    )
    kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if text_only and kind and kind not in HTML_TYPES:
        return response.status_code, None, response.url
    return response.status_code, response.text, response.url


def _robots(client: HTTPClient, site_url: str, limits: CrawlLimits, budget: _SiteBudget):
    """A RobotFileParser for the site. 401/403 on robots.txt means 'keep out', other failures allow."""
    parts = urlsplit(site_url)
    parser = urllib.robotparser.RobotFileParser()
    try:
        status, text, _ = _fetch(client, f"{parts.scheme}://{parts.netloc}/robots.txt", limits, budget, text_only=False)
    except errors.ServiceError:
        parser.allow_all = True
        return parser
    if status in (401, 403):
        parser.disallow_all = True
    elif status >= 400 or text is None:
        parser.allow_all = True
    else:
        parser.parse(text.splitlines())
    return parser


def find_site_emails(client: HTTPClient, site_url: str, limits: CrawlLimits) -> SiteResult:
    """Search one website. Never raises for network trouble: the result says what was skipped."""
    result = SiteResult(site_url)
    budget = _SiteBudget(limits.site_time_cap_s)
    robots = _robots(client, site_url, limits, budget)
    queue, found = [site_url], {}
    while queue:
        url = queue.pop(0)
        if not robots.can_fetch(limits.user_agent, url):
            result.skipped.append(f"{url}: disallowed by robots.txt")
            continue
        try:
            status, text, final_url = _fetch(client, url, limits, budget)
        except errors.MoneyPrinterError as exc:
            result.skipped.append(f"{url}: {exc.message}")
            if "time cap" in exc.message or isinstance(exc, errors.RequestTimeout):
                break  # a hanging site gets no more of our time
            continue
        if status >= 400 or text is None:
            result.skipped.append(f"{url}: " + (f"HTTP {status}" if status >= 400 else "not an HTML page"))
            continue
        result.pages.append(url)
        page = parse_page(text, final_url or url)  # after a redirect, links are relative to where we landed
        for item in page.emails:
            found.setdefault(item.address, (item, url))
        if url == site_url:
            queue += contact_links(page.links, site_url, limits.max_contact_pages)
    ranked: list[Found] = rank([item for item, _ in found.values()], site_url)
    result.emails = [
        FoundEmail(f.address, found[f.address][1], f.method, on_own_domain(f.address, site_url)) for f in ranked
    ]
    result.note = f"{len(result.emails)} email(s) from {len(result.pages)} page(s)" + (
        f"; skipped {len(result.skipped)}" if result.skipped else ""
    )
    return result


def find_many(
    client: HTTPClient, sites: Iterable[str], limits: CrawlLimits, *, workers: int = 8
) -> Iterator[SiteResult]:
    """Search sites with at most ``workers`` at a time; yields results as they finish."""
    sites = list(sites)
    if workers <= 1:
        for site in sites:
            yield find_site_emails(client, site, limits)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="email-finder") as pool:
        futures = {pool.submit(find_site_emails, client, site, limits): site for site in sites}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # a bug on one site must not lose the others' results
                log.exception("email search of %s failed", futures[future])
                yield SiteResult(futures[future], note=f"failed: {exc.__class__.__name__}")


def mx_status(domain: str, cache: dict[str, bool | None]) -> bool | None:
    """True/False when DNS answers, None when it cannot be asked (offline): then the check is skipped."""
    if domain in cache:
        return cache[domain]
    import dns.exception
    import dns.resolver

    try:
        dns.resolver.resolve(domain, "MX", lifetime=3.0)
        status: bool | None = True
    except dns.resolver.NXDOMAIN:
        status = False
    except dns.resolver.NoAnswer:  # no MX: mail may still go to the A record (RFC 5321 implicit MX)
        status = None
    except (dns.exception.DNSException, OSError):
        status = None
    cache[domain] = status
    return status
