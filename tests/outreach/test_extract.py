"""Extraction and junk rules on page text (no network)."""

from moneyprinter.outreach.extract import clean, contact_links, decode_cfemail, junk_reason, parse_page, rank
from tests.outreach.sites import cfemail


def addresses(html: str, base="http://shop.de/"):
    return [(f.address, f.method) for f in parse_page(html, base).emails]


def test_every_publication_form_is_found():
    html = (f'<a href="mailto:a@shop.de,b@shop.de?subject=x">x</a> c@shop.de '
            f'd [at] shop [dot] de e(at)shop(dot)co(dot)uk <span data-cfemail="{cfemail("f@shop.de")}"></span>'
            '<a href="/cdn-cgi/l/email-protection#' + cfemail("g@shop.de", 0x11) + '">x</a> h&#64;shop.de')
    assert addresses(html) == [
        ("a@shop.de", "mailto"), ("b@shop.de", "mailto"), ("f@shop.de", "cfemail"), ("g@shop.de", "cfemail"),
        ("c@shop.de", "plain"), ("h@shop.de", "plain"), ("d@shop.de", "obfuscated"), ("e@shop.co.uk", "obfuscated"),
    ]


def test_junk_is_rejected():
    for junk in ("noreply@shop.de", "no-reply@shop.de", "do-not-reply@shop.de", "x@example.com", "x@sub.example.org",
                 "logo@2x.png", "icon@3x.webp", "8f14e45fceea167a5a36dedd4bea2543@o1.ingest.sentry.io",
                 "abc@sentry-next.wixpress.com", "user@domain.com", "me@site.test"):
        assert junk_reason(junk), junk
        assert clean(junk) is None, junk
    for bad in ("a@@b.de", "a@b", "@b.de", "a b@c.de", "a@-b.de"):
        assert clean(bad) is None, bad
    assert junk_reason("info@shop.de") is None
    assert clean("mailto-ish:%20Info@Shop.DE.".split(":")[1]) == "info@shop.de"


def test_scripts_and_styles_are_not_read():
    assert addresses("<script>var a='x@shop.de'</script><style>/* y@shop.de */</style>") == []


def test_cfemail_decoding_round_trips_and_rejects_garbage():
    assert decode_cfemail(cfemail("office@praxis.de", 0x33)) == "office@praxis.de"
    assert decode_cfemail("zz") is None
    assert decode_cfemail("12") is None


def test_contact_links_are_same_site_ranked_and_capped():
    links = [("http://shop.de/blog", "Blog"), ("http://shop.de/kontakt", "Kontakt"), ("http://other.de/contact", "Contact"),
             ("http://shop.de/about-us", "About"), ("http://shop.de/impressum#top", "Impressum"),
             ("http://shop.de/contact.pdf", "Contact PDF"), ("http://www.shop.de/team", "Team"), ("http://shop.de/", "Home")]
    assert contact_links(links, "http://shop.de/", 3) == ["http://shop.de/kontakt", "http://shop.de/impressum", "http://shop.de/about-us"]
    assert len(contact_links(links, "http://shop.de/", 10)) == 4


def test_own_domain_addresses_rank_first():
    found = parse_page("lab@partner.com then info@shop.de", "https://www.shop.de/").emails
    assert [f.address for f in rank(found, "https://www.shop.de/")] == ["info@shop.de", "lab@partner.com"]
