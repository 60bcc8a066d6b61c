"""Product pages read right: one test page per kind of markup shops really publish."""

from __future__ import annotations

import pytest

from moneyprinter.platforms.affiliate import AffiliateMarketing
from moneyprinter.products.parse import parse_price, parse_product
from tests.support.httpserver import Reply

AMAZON = """<html><head><title>Amazon.com: Fellow Stagg EKG</title></head><body>
<span id="productTitle"> Fellow Stagg EKG Electric Gooseneck Kettle </span>
<div id="corePrice_feature_div"><span class="a-price aok-align-center" data-a-size="xl">
  <span class="a-offscreen">$165.00</span><span aria-hidden="true"><span class="a-price-symbol">$</span>
  <span class="a-price-whole">165<span class="a-price-decimal">.</span></span><span class="a-price-fraction">00</span></span>
</span></div>
<div class="a-hidden"><span class="a-price"><span class="a-offscreen">$9.99</span></span></div>
<div id="feature-bullets"><ul>
  <li><span class="a-list-item">Hold mode keeps water at your chosen temperature for 60 minutes.</span></li>
  <li class="aok-hidden"><span class="a-list-item">Make sure this fits by entering your model number.</span></li>
  <li style="display: none"><span class="a-list-item">Hidden legal text.</span></li>
  <li><span class="a-list-item">0.9 liter capacity, 1200 watt quick heating.</span></li>
</ul></div></body></html>"""


def test_amazon_price_and_only_the_visible_feature_bullets():
    info = parse_product(AMAZON)
    assert (info.title, info.price, info.currency) == ("Fellow Stagg EKG Electric Gooseneck Kettle", "165.00", "USD")
    assert info.features == ["Hold mode keeps water at your chosen temperature for 60 minutes.",
                             "0.9 liter capacity, 1200 watt quick heating."]


MICRODATA = """<html><body><div itemscope itemtype="https://schema.org/Product">
  <h1 itemprop="name">Hario V60 Ceramic Dripper</h1>
  <p itemprop="description">Spiral ribs and one large hole for a fast, clean pour-over.</p>
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <meta itemprop="priceCurrency" content="USD"><span itemprop="price" content="24.50">$24.50</span>
  </div></div></body></html>"""


def test_microdata():
    info = parse_product(MICRODATA)
    assert (info.title, info.price, info.currency, info.source) == ("Hario V60 Ceramic Dripper", "24.50", "USD", "microdata")
    assert info.description.startswith("Spiral ribs")


def test_json_ld_with_raw_newlines_in_strings():
    page = ('<script type="application/ld+json">{"@type": "Product", "name": "Baratza Encore",\n'
            '"description": "Line one\nline two", "offers": {"price": "149.00", "priceCurrency": "USD"}}</script>')
    info = parse_product(page)
    assert (info.title, info.description, info.price) == ("Baratza Encore", "Line one line two", "149.00")


def test_json_ld_graph_and_offers_array():
    page = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Shop"},
      {"@type": "Product", "name": "Chemex Six Cup", "offers": [
         {"@type": "Offer", "availability": "OutOfStock"},
         {"@type": "Offer", "price": 47.5, "priceCurrency": "USD"}]}]}</script>"""
    info = parse_product(page)
    assert (info.title, info.price, info.currency) == ("Chemex Six Cup", "47.50", "USD")


def test_shopify_product_group_takes_a_variant_price():
    page = """<script type="application/ld+json">{"@context": "https://schema.org/", "@type": "ProductGroup",
      "name": "Ode Brew Grinder Gen 2", "productGroupID": "778",
      "hasVariant": [{"@type": "Product", "name": "Ode Gen 2 - Black",
                      "offers": {"@type": "Offer", "price": "345.00", "priceCurrency": "USD"}},
                     {"@type": "Product", "name": "Ode Gen 2 - White",
                      "offers": {"@type": "Offer", "price": "345.00", "priceCurrency": "USD"}}]}</script>"""
    info = parse_product(page)
    assert (info.title, info.price, info.currency) == ("Ode Brew Grinder Gen 2", "345.00", "USD")


def test_the_canonical_product_wins_over_other_product_blocks():
    page = """<link rel="canonical" href="https://shop.example.com/products/moccamaster-kbgv">
    <script type="application/ld+json">{"@type": "Product", "name": "Paper Filter Pack No. 4",
      "url": "https://shop.example.com/products/filters-4", "offers": {"price": "6.99", "priceCurrency": "USD"}}</script>
    <script type="application/ld+json">{"@type": "Product", "name": "Moccamaster KBGV Select",
      "url": "https://shop.example.com/products/moccamaster-kbgv/", "offers": {"price": "359.00", "priceCurrency": "USD"}}</script>"""
    info = parse_product(page)
    assert (info.title, info.price) == ("Moccamaster KBGV Select", "359.00")
    og_only = page.replace('<link rel="canonical"', '<meta property="og:url" content="https://www.shop.example.com/products/moccamaster-kbgv"><link rel="x"')
    assert parse_product(og_only).title == "Moccamaster KBGV Select"


@pytest.mark.parametrize(("raw", "currency", "expected"), [
    ("1.299,00 \u20ac", None, ("1299.00", "EUR")),
    ("$1,299.00", None, ("1299.00", "USD")),
    ("12,50", "EUR", ("12.50", "EUR")),
    ("\u00a39.99", None, ("9.99", "GBP")),
    (39.95, "usd", ("39.95", "USD")),
    ("", "USD", (None, "USD")),
])
def test_locale_prices_are_numbers_with_a_currency(raw, currency, expected):
    assert parse_price(raw, currency) == expected


def test_a_locale_price_on_a_page():
    page = ('<meta property="og:type" content="product"><meta property="og:title" content="Sage Barista Express">'
            '<meta property="product:price:amount" content="1.299,00 \u20ac">')
    info = parse_product(page)
    assert (info.price, info.currency) == ("1299.00", "EUR")


def test_html_entities_are_decoded():
    page = ('<script type="application/ld+json">{"@type": "Product", "name": "Bodum Chambord 8 Cup &amp; Spoon",'
            ' "description": "It&#39;s the classic French press."}</script>')
    info = parse_product(page)
    assert info.title == "Bodum Chambord 8 Cup & Spoon" and info.description == "It's the classic French press."


@pytest.mark.parametrize("page", [
    '<meta property="og:title" content="Sign in to your account"><meta property="og:url" content="https://shop.example.com/login">',
    '<meta property="og:type" content="website"><meta property="og:title" content="The 12 best grinders of 2026">',
])
def test_a_page_with_only_og_title_is_not_a_product(page):
    assert parse_product(page) is None


def test_the_price_survives_a_short_link_redirect(app, account, server):
    page = ('<link rel="canonical" href="/products/kalita-wave"><script type="application/ld+json">{"@type": "Product",'
            ' "name": "Kalita Wave 185", "offers": {"price": "34.00", "priceCurrency": "USD"}}</script>')
    server.route("GET", "/products/kalita-wave", Reply(200, page))
    server.route("GET", "/s/abc", Reply(301, "", headers={"Location": "/products/kalita-wave"}))
    product = AffiliateMarketing(app, account).fetch_product(server.url("/s/abc"))
    assert (product.title, product.price, product.currency) == ("Kalita Wave 185", "34.00", "USD")
    assert product.link == server.url("/s/abc")  # the affiliate link is kept as given
    assert product.product_key == server.url("/products/kalita-wave")  # keyed by the product, not the short link
