"""Find a business's contact email on its website: home page plus a few contact pages.

Bounds and politeness: every request goes through ``netguard.GuardedFetcher`` (public addresses
only, checked at every redirect hop, unless ``allow_private_addresses``); one deadline
(``site_time_cap_s``) covers the whole site, checked while bodies stream in; pages are capped at
``page_max_bytes``. robots.txt is read per RFC 9309 with ``protego``: 2xx is obeyed, 401/403
and 5xx/timeouts/unreachable mean "disallow all", other 4xx "allow all"; a redirect to another
host is followed only if that host's robots.txt allows it. Sites are searched by a bounded pool of
workers; workers never touch the database: results come back to the caller's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

from moneyprinter import errors
from moneyprinter.netguard import BlockedAddress, Deadline, GuardedFetcher
from moneyprinter.outreach.extract import Found, contact_links, on_own_domain, parse_page, rank
from moneyprinter.settings.outreach import OutreachSettings

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 2.5: parse at least the first 500 KiB


@dataclass
class FoundEmail:
    address: str
    source_url: str  # the page it was found on, after redirects
    method: str
    own_domain: bool


@dataclass
class SiteResult:
    site_url: str
    emails: list[FoundEmail] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # fetched (final URLs)
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


def fetcher_for(settings: OutreachSettings) -> GuardedFetcher:
    return GuardedFetcher(allow_private=settings.allow_private_addresses, user_agent=settings.user_agent)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _Site:
    """One site's crawl: its deadline and the robots.txt rules of every host it touches."""

    def __init__(self, fetcher: GuardedFetcher, limits: CrawlLimits) -> None:
        self.fetcher, self.limits = fetcher, limits
        self.deadline = Deadline(limits.site_time_cap_s)
        self._robots: dict[str, Protego | str] = {}  # origin -> rules, or why everything is disallowed

    def disallowed(self, url: str) -> str | None:
        """Why robots.txt keeps us from ``url``, or None."""
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            return rules
        return None if rules.can_fetch(url, self.limits.user_agent) else "disallowed by robots.txt"

    def _read_robots(self, origin: str) -> Protego | str:
        try:
            page = self.fetcher.get(f"{origin}/robots.txt", deadline=self.deadline, max_bytes=ROBOTS_MAX_BYTES,
                                    page_timeout_s=self.limits.page_timeout_s, headers=self._headers())
        except BlockedAddress as exc:
            return _reason(exc)
        except errors.ResponseTooLarge:
            return "robots.txt too large to read: staying out"
        except errors.MoneyPrinterError as exc:  # RFC 9309 2.3.1.4: unreachable means disallow all
            return f"robots.txt unreachable ({exc.message}): staying out"
        if page.status in (401, 403):
            return f"robots.txt answered HTTP {page.status}: staying out"
        if page.status >= 500:
            return f"robots.txt answered HTTP {page.status}: staying out"
        if page.status >= 400:  # 2.3.1.3: unavailable means allow all
            return Protego.parse("")
        return Protego.parse(page.text())

    def _headers(self) -> dict[str, str]:
        return {"User-Agent": self.limits.user_agent, "Accept": "text/html,*/*;q=0.5"}

    def fetch(self, url: str):
        """(final URL, HTML text or None if not HTML, HTTP status); raises MoneyPrinterError."""
        page = self.fetcher.get(url, deadline=self.deadline, max_bytes=self.limits.page_max_bytes,
                                page_timeout_s=self.limits.page_timeout_s, headers=self._headers(),
                                may_follow=self.disallowed)
        if page.content_type and page.content_type not in HTML_TYPES:
            return page.url, None, page.status
        return page.url, page.text(), page.status


def find_site_emails(fetcher: GuardedFetcher, site_url: str, limits: CrawlLimits) -> SiteResult:
    """Search one website. Never raises for network trouble: the result says what was skipped and why."""
    result = SiteResult(site_url)
    site = _Site(fetcher, limits)
    queue, found = [site_url], {}
    while queue:
        url = queue.pop(0)
        why = site.disallowed(url)
        if why:
            result.skipped.append(f"{url}: {why}")
            continue
        try:
            final_url, text, status = site.fetch(url)
        except errors.MoneyPrinterError as exc:
            result.skipped.append(f"{url}: {_reason(exc)}")
            if isinstance(exc, (errors.RequestTimeout, BlockedAddress)):
                break  # a hanging or forbidden site gets no more of our time
            continue
        if status >= 400 or text is None:
            result.skipped.append(f"{url}: " + (f"HTTP {status}" if status >= 400 else "not an HTML page"))
            continue
        result.pages.append(final_url)
        page = parse_page(text, final_url)  # after a redirect, links are relative to where we landed
        for item in page.emails:
            found.setdefault(item.address, (item, final_url))
        if url == site_url:
            queue += contact_links(page.links, final_url, limits.max_contact_pages)
    ranked: list[Found] = rank([item for item, _ in found.values()], site_url)
    result.emails = [
        FoundEmail(f.address, found[f.address][1], f.method, on_own_domain(f.address, site_url)) for f in ranked
    ]
    result.note = _note(result)
    return result


def _reason(exc: errors.MoneyPrinterError) -> str:
    if isinstance(exc, errors.ResponseTooLarge):
        return f"too large ({exc.reason})"
    if isinstance(exc, errors.RequestTimeout):
        return f"timed out ({exc.reason})"
    if isinstance(exc, BlockedAddress):
        return f"not a public address ({exc.reason})"
    return exc.message


def _note(result: SiteResult) -> str:
    """What happened, kept with the business and shown by 'outreach show'."""
    note = f"{len(result.emails)} email(s) from {len(result.pages)} page(s)"
    if result.skipped:
        note += "; skipped " + "; ".join(result.skipped)
    return note[:500]


def find_many(
    fetcher: GuardedFetcher, sites: Iterable[str], limits: CrawlLimits, *, workers: int = 8
) -> Iterator[SiteResult]:
    """Search sites with at most ``workers`` at a time; yields results as they finish."""
    sites = list(sites)
    if workers <= 1:
        for site in sites:
            yield find_site_emails(fetcher, site, limits)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="email-finder") as pool:
        futures = {pool.submit(find_site_emails, fetcher, site, limits): site for site in sites}
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
