"""The email finder is safe to point at third-party URLs: one deadline per site that holds while a
body trickles in, no way into non-public addresses (at any redirect hop, DNS-rebinding safe),
robots.txt per RFC 9309, real TLDs only, no prose addresses, strict CSV import."""

import json
import time

import pytest

from moneyprinter.netguard import BlockedAddress, Deadline, GuardedFetcher
from moneyprinter.outreach.businesses import BusinessIn
from moneyprinter.outreach.emails import CrawlLimits, find_site_emails
from moneyprinter.outreach.extract import parse_page
from tests.outreach import sites
from tests.outreach.conftest import make_campaign
from tests.support.httpserver import LocalServer, Reply

LIMITS = CrawlLimits(max_contact_pages=4, page_max_bytes=2_000_000, site_time_cap_s=3.0, page_timeout_s=10.0,
                     user_agent="moneyprinter-test/1.0")
LOOPBACK_ONLY = ["127.0.0.1/32"]  # 127.0.0.2 is loopback too, and stays forbidden


@pytest.fixture
def site():
    with LocalServer() as srv:
        yield srv


def find(url, *, allow=True, limits=LIMITS, **kw):
    with GuardedFetcher(allow_private=allow, **kw) as fetcher:
        return find_site_emails(fetcher, url, limits)


def test_a_page_trickling_one_byte_every_2_s_is_cut_at_the_site_cap():
    with sites.TrickleServer(interval=2.0) as server:
        started = time.monotonic()
        result = find(server.base_url + "/")
        elapsed = time.monotonic() - started
    assert elapsed < LIMITS.site_time_cap_s + 1.0
    assert result.emails == [] and "time cap reached" in result.skipped[0]


def test_loopback_is_refused_unless_allowed(site):
    sites.contact_site(site)
    result = find(site.url("/"), allow=False)
    assert result.emails == [] and site.requests == []
    assert "not a public address" in result.skipped[0] and "127.0.0.1" in result.skipped[0]


@pytest.mark.parametrize("ip", ["10.1.2.3", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "fe80::1",
                                "fd00::1", "::ffff:127.0.0.1", "0.0.0.0", "224.0.0.1"])
def test_non_public_addresses_are_refused(ip):
    with pytest.raises(BlockedAddress), GuardedFetcher(resolver=lambda host, port: [ip]) as fetcher:
        fetcher.get("http://shop.example/", deadline=Deadline(2), max_bytes=1000)


def test_one_private_answer_among_public_ones_is_enough_to_refuse():
    with pytest.raises(BlockedAddress), GuardedFetcher(resolver=lambda h, p: ["93.184.216.34", "10.0.0.1"]) as f:
        f.get("http://shop.example/", deadline=Deadline(2), max_bytes=1000)


def test_a_redirect_into_a_non_public_address_is_refused_at_that_hop(site):
    with sites.Listener("127.0.0.2") as inside:
        site.route("GET", "/robots.txt", Reply(404, ""))
        site.route("GET", "/", Reply(302, "", headers={"Location": inside.url}))
        result = find(site.url("/"), allow=LOOPBACK_ONLY)
        assert inside.connections() == 0
    assert site.count("GET", "/") == 1
    assert "not a public address (refused: resolves to a non-public address (127.0.0.2))" in result.skipped[0]


def test_the_connection_goes_to_the_address_that_was_checked(site):
    """shop.example cannot be resolved by the system: the page arrives only because the fetcher
    connected to the IP its resolver returned and checked, sending the name as Host."""
    sites.contact_site(site)
    answers = []

    def resolver(host, port):
        answers.append(host)
        return ["127.0.0.1"]

    result = find(f"http://shop.example:{site.port}/", allow=LOOPBACK_ONLY, resolver=resolver)
    assert len(result.emails) == 8
    assert {r.header("Host") for r in site.requests} == {f"shop.example:{site.port}"}
    assert answers and set(answers) == {"shop.example"}


@pytest.mark.parametrize("robots", [Reply(503, "busy"), Reply(500, "oops"), Reply(hang=True)])
def test_robots_txt_5xx_or_timeout_means_disallow_all(site, robots):
    site.route("GET", "/robots.txt", robots)
    site.route("GET", "/", Reply(200, "<p>a@shop.de</p>"))
    result = find(site.url("/"), limits=CrawlLimits(site_time_cap_s=1.5, page_timeout_s=1.0))
    assert result.emails == [] and site.count("GET", "/") == 0
    assert "staying out" in result.skipped[0]


def test_robots_txt_longest_match_wins_as_rfc_9309_says(site):
    site.route("GET", "/robots.txt", Reply(200, "User-agent: *\nAllow: /\nDisallow: /kontakt\n",
                                           headers={"Content-Type": "text/plain"}))
    site.route("GET", "/", Reply(200, '<a href="/kontakt">Kontakt</a> home@shop.de'))
    site.route("GET", "/kontakt", Reply(200, "<p>hidden@shop.de</p>"))
    result = find(site.url("/"))
    assert [e.address for e in result.emails] == ["home@shop.de"] and site.count("GET", "/kontakt") == 0


def test_a_cross_host_redirect_obeys_the_target_hosts_robots_txt(site):
    with LocalServer() as other:
        other.route("GET", "/robots.txt", Reply(200, "User-agent: *\nDisallow: /private\n",
                                                headers={"Content-Type": "text/plain"}))
        other.route("GET", "/private/kontakt", Reply(200, "<p>hidden@other-shop.de</p>"))
        site.route("GET", "/robots.txt", Reply(404, ""))
        site.route("GET", "/", Reply(200, '<a href="/kontakt">Kontakt</a>'))
        site.route("GET", "/kontakt", Reply(301, "", headers={"Location": other.url("/private/kontakt")}))
        result = find(site.url("/"))
        assert other.count("GET", "/robots.txt") == 1 and other.count("GET", "/private/kontakt") == 0
    assert result.emails == [] and any("disallowed by robots.txt" in s for s in result.skipped)


def test_source_url_is_the_page_after_redirects(site):
    site.route("GET", "/robots.txt", Reply(404, ""))
    site.route("GET", "/", Reply(200, '<a href="/kontakt">Kontakt</a>'))
    site.route("GET", "/kontakt", Reply(301, "", headers={"Location": "/kontakt/neu"}))
    site.route("GET", "/kontakt/neu", Reply(200, "<p>info@shop.de</p>"))
    [found] = find(site.url("/")).emails
    assert found.source_url == site.url("/kontakt/neu")


def test_unreal_tlds_and_prose_are_not_addresses():
    page = parse_page("<p>info@bad-tld.d, meet us at home dot com, write to team AT shop DOT de, "
                      "ok@shop.berlin, hans [at] shop [dot] de</p>", "http://shop.de/")
    assert sorted(f.address for f in page.emails) == ["hans@shop.de", "ok@shop.berlin", "team@shop.de"]


def test_skip_reasons_are_stored_and_shown(cli, db, site, monkeypatch):
    from moneyprinter.app import App
    from moneyprinter.platforms.outreach import Outreach

    monkeypatch.setenv("MONEYPRINTER_OUTREACH__ALLOW_PRIVATE_ADDRESSES", "true")
    sites.huge_site(site)
    campaign = make_campaign(db)
    with LocalServer() as robots:
        robots.route("GET", "/robots.txt", Reply(503, ""))
        app = App()
        outreach = Outreach(app, campaign)
        outreach.add_businesses([BusinessIn("Huge Shop", website=site.url("/")),
                                 BusinessIn("Busy Shop", website=robots.url("/"))])
        outreach.find_emails(workers=2)
        app.close()
    shown = cli("outreach", "show", campaign.name)
    assert "too large" in shown.output and "robots.txt answered HTTP 503" in shown.output
    searches = {b["name"]: b["search"] for b in json.loads(cli("outreach", "show", campaign.name, "--json").output)["businesses"]}
    assert "too large" in searches["Huge Shop"] and "staying out" in searches["Busy Shop"]


def test_csv_with_an_unclosed_quote_is_one_error_naming_the_line_and_imports_nothing(cli, db, tmp_path):
    make_campaign(db, "csvs")
    listing = tmp_path / "list.csv"
    listing.write_text('name,website\nA Shop,a-shop.de\n"B Shop,b-shop.de\nC Shop,c-shop.de\nD Shop,d-shop.de\n')
    result = cli("outreach", "discover", "csvs", "--source", "csv", "--file", str(listing))
    assert result.exit_code != 0 and "line 3: a quoted cell is never closed" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2
    assert db.query_one("SELECT COUNT(*) FROM outreach_businesses")[0] == 0


def test_https_is_verified_for_the_name_while_connecting_to_the_checked_ip(tmp_path, monkeypatch):
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tests.outreach.tlscert import make_cert

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            body = b"<p>info@tls-shop.de</p>" if self.path == "/" else b""
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    cert, key = make_cert(tmp_path, dns_names=("shop.example",))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust only this throwaway certificate
    port = server.server_address[1]
    try:
        ok = find(f"https://shop.example:{port}/", allow=LOOPBACK_ONLY, resolver=lambda h, p: ["127.0.0.1"])
        wrong = find(f"https://other.example:{port}/", allow=LOOPBACK_ONLY, resolver=lambda h, p: ["127.0.0.1"])
    finally:
        server.shutdown()
        server.server_close()
    assert [e.address for e in ok.emails] == ["info@tls-shop.de"]
    assert wrong.emails == [] and "cannot connect" in " ".join(wrong.skipped)
