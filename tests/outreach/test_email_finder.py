"""Email finding against real local websites: contact pages, robots.txt, huge, binary and hanging sites."""

import time

import pytest

from moneyprinter.app import App
from moneyprinter.netguard import GuardedFetcher
from moneyprinter.outreach import contacts
from moneyprinter.outreach.emails import CrawlLimits, find_many, find_site_emails
from moneyprinter.platforms.outreach import Outreach
from tests.outreach import sites
from tests.outreach.conftest import make_campaign
from tests.support.httpserver import LocalServer

LIMITS = CrawlLimits(max_contact_pages=4, page_max_bytes=2_000_000, site_time_cap_s=3.0, page_timeout_s=2.0,
                     user_agent="moneyprinter-test/1.0")


@pytest.fixture
def site():
    with LocalServer() as srv:
        yield srv


def get_http_client() -> GuardedFetcher:
    """The finder's fetcher, allowed onto loopback where the fixture sites live."""
    return GuardedFetcher(allow_private=True)


def test_contact_site_yields_real_addresses_with_their_pages(site):
    sites.contact_site(site)
    result = find_site_emails(get_http_client(), site.url("/"), LIMITS)
    by_address = {e.address: e for e in result.emails}
    assert set(by_address) == {
        "praxis@smile-dental.de", "termin@smile-dental.de", "hans@smile-dental.de", "office@smile-dental.de",
        "lab@partnerlab.com", "chef@smile-dental.de", "emailueber-uns@smile-dental.de", "emailteam-contact@smile-dental.de",
    }
    assert by_address["office@smile-dental.de"].method == "cfemail"
    assert by_address["office@smile-dental.de"].source_url == site.url("/kontakt")
    assert by_address["praxis@smile-dental.de"].source_url == site.url("/")
    assert by_address["hans@smile-dental.de"].method == "obfuscated"
    # home + at most 4 contact pages; the blog is not a contact page
    assert len(result.pages) == 5 and site.count("GET", "/blog/2024") == 0 and site.count("GET", "/about") == 0
    assert site.count("GET", "/robots.txt") == 1
    assert all("@" in a and "example" not in a and "sentry" not in a and "noreply" not in a for a in by_address)


def test_robots_disallow_is_respected(site):
    sites.robots_site(site)
    result = find_site_emails(get_http_client(), site.url("/"), LIMITS)
    assert result.emails == []
    assert site.count("GET", "/kontakt") == 0
    assert any("robots.txt" in s for s in result.skipped)


def test_robots_forbidden_means_keep_out(site):
    site.route("GET", "/robots.txt", sites.Reply(403, "no"))
    site.route("GET", "/", sites.Reply(200, "a@shop.de"))
    assert find_site_emails(get_http_client(), site.url("/"), LIMITS).emails == []
    assert site.count("GET", "/") == 0


def test_huge_and_binary_pages_are_skipped(site):
    sites.huge_site(site)
    with LocalServer() as other:
        sites.binary_site(other)
        huge = find_site_emails(get_http_client(), site.url("/"), LIMITS)
        binary = find_site_emails(get_http_client(), other.url("/"), LIMITS)
    assert huge.emails == [] and "too large" in huge.skipped[0]
    assert binary.emails == [] and "not an HTML page" in binary.skipped[0]


def test_a_hanging_site_costs_at_most_its_time_cap(site):
    sites.hanging_site(site)
    with LocalServer() as good:
        sites.contact_site(good)
        started = time.monotonic()
        results = {r.site_url: r for r in find_many(get_http_client(), [site.url("/"), good.url("/")], LIMITS, workers=2)}
        elapsed = time.monotonic() - started
    assert elapsed < LIMITS.site_time_cap_s + 1.5
    assert results[site.url("/")].emails == [] and results[site.url("/")].skipped
    assert len(results[good.url("/")].emails) == 8


def test_find_emails_stores_each_address_with_its_page(db, app, site, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__ALLOW_PRIVATE_ADDRESSES", "true")
    sites.contact_site(site)
    campaign = make_campaign(db)
    with LocalServer() as dead:
        sites.robots_site(dead)
        outreach = Outreach(App(), campaign)
        from moneyprinter.outreach.businesses import BusinessIn

        outreach.add_businesses([BusinessIn("Smile Dental", website=site.url("/")),
                                 BusinessIn("Robots Shop", website=dead.url("/")), BusinessIn("No Site", phone="030 1"),
                                 BusinessIn("Social Only", website="https://www.facebook.com/socialonly")])
        report = outreach.find_emails(workers=2)
    assert (report.sites, report.with_email, report.new_emails, report.no_website) == (2, 1, 8, 2)  # a Facebook page is not searched
    smile = db.query_one("SELECT id FROM outreach_businesses WHERE name = 'Smile Dental'")["id"]
    stored = {c.address: c.source_url for c in contacts.for_business(db, smile)}
    assert stored["office@smile-dental.de"] == site.url("/kontakt")
    # a second run skips sites already searched
    assert Outreach(App(), campaign).find_emails().sites == 0
