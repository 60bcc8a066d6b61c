"""AffiliateMarketing against product pages served by a local shop, with a scripted text provider."""

import json

import pytest
import time_machine

from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.platforms.affiliate import AffiliateMarketing, scheduled_pitch
from moneyprinter.products.fetch import BROWSER_HEADERS, PageBlocked
from moneyprinter.store import content, products
from moneyprinter.text.x_length import weighted_length
from tests.support.httpserver import Reply

PITCH = "Tired of bad hotel coffee? This press brews a smooth cup in one minute and packs into its own mug."


def stored_nothing(app):
    return products.list_products(app.db) == [] and content.list_items(app.db) == []


@pytest.mark.parametrize(
    ("path", "title", "source", "feature"),
    [
        ("/products/aeropress-go", "AeroPress Go Travel Coffee Press", "json-ld", "Brew time: 1 minute"),
        ("/timemore-c2", "Timemore C2 Manual Coffee Grinder", "opengraph", None),
        ("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=sr_1_1?tag=brewbot-20",
         "Fellow Stagg EKG Electric Gooseneck Kettle - Pour-Over Coffee and Tea Kettle", "amazon",
         "Hold mode keeps water at your chosen temperature for 60 minutes."),
    ],
)
def test_product_details_are_read_and_stored(app, account, shop, path, title, source, feature):
    product = AffiliateMarketing(app, account).fetch_product(shop.url(path))
    assert (product.title, product.source, product.account_id) == (title, source, account.id)
    if feature:
        assert feature in product.features
    else:
        assert "38 click settings" in product.description
    assert products.list_products(app.db, account.id) == [product]
    request = shop.requests[-1]
    assert request.header("User-Agent") == BROWSER_HEADERS["User-Agent"]
    assert request.header("Accept-Language") and "text/html" in request.header("Accept")


def test_page_without_charset_header_is_decoded_from_its_meta_tag(app, account, shop):
    page = '<html><head><meta charset="utf-8"><meta property="og:type" content="product">' \
           '<meta property="og:title" content="Caf\u00e9 cr\u00e8me grinder \u2013 \u65e5\u672c"></head></html>'
    shop.route("GET", "/cafe", Reply(200, page.encode("utf-8"), headers={"Content-Type": "text/html"}))
    product = AffiliateMarketing(app, account).fetch_product(shop.url("/cafe"))
    assert product.title == "Caf\u00e9 cr\u00e8me grinder \u2013 \u65e5\u672c"


def test_amazon_products_are_keyed_by_asin(app, account, shop):
    product = AffiliateMarketing(app, account).fetch_product(shop.url("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=x"))
    assert product.product_key == "asin:B07D9SWQV8" and len(product.features) == 4


def test_pitch_has_hook_link_and_disclosure_within_280(app, account, shop, script, home):
    link = shop.url("/products/aeropress-go")
    script.say(f'Here is a pitch:\n"{PITCH} #coffee #travel #gear"')
    pitched = AffiliateMarketing(app, account).pitch_link(link)
    # The exact product name and the price come from the page, placed by code around the model's words.
    assert pitched.text == f"#ad AeroPress Go Travel Coffee Press ($39.95): {PITCH} #coffee #travel {link}"
    assert weighted_length(pitched.text) <= 280
    item = content.get_item(app.db, pitched.item.id)
    assert (item.kind, item.body, item.status) == ("pitch", pitched.text, "outbox")
    assert pitched.product.last_pitched_at is not None
    prompt = script.prompts[0]
    assert "AeroPress Go" in prompt and "Brew time: 1 minute" in prompt and "home coffee brewing" in prompt
    metadata = json.loads((home / "outbox" / "x" / "brewbot" / str(item.id) / "metadata.json").read_text())
    assert metadata["text"] == pitched.text and metadata["kind"] == "pitch"


@pytest.mark.parametrize(
    "answer",
    [
        PITCH,
        f"{PITCH} #AD #ad",  # the model's own disclosure is not doubled
        f"{PITCH} Buy here: https://evil.example.com/x",  # made-up links are dropped
        ("Why settle for weak coffee? " + "It brews fast and it is light to carry everywhere. " * 8).strip(),  # long
        "\u30b3\u30fc\u30d2\u30fc\u306f\u5927\u5207\u3067\u3059\u3002" * 30,  # CJK counts double
    ],
)
@pytest.mark.parametrize("position", ["start", "end"])
def test_every_pitch_carries_the_disclosure(app, account, shop, script, monkeypatch, answer, position):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__DISCLOSURE_POSITION", position)
    script.say(answer, answer, answer)  # an answer the gate refuses is asked again, then the template is used
    pitched = AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    words = pitched.text.split()
    assert words.count("#ad") == 1 and "#AD" not in words
    assert (words[0] if position == "start" else words[-1]) == "#ad"
    assert shop.url("/products/aeropress-go") in words and "evil.example.com" not in pitched.text
    assert weighted_length(pitched.text) <= 280


def test_custom_disclosure(app, account, shop, script, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__DISCLOSURE", "#affiliate")
    script.say(PITCH)
    pitched = AffiliateMarketing(app, account).pitch_link(shop.url("/timemore-c2"))
    assert pitched.text.startswith("#affiliate ")


def test_same_product_is_not_pitched_twice_within_the_window(app, account, shop, script):
    link = shop.url("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=a")
    marketing = AffiliateMarketing(app, account)
    script.say(PITCH)
    marketing.pitch_link(link)
    fetched = shop.count("GET", "/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=a")
    with pytest.raises(UsageError, match="already pitched") as caught:
        marketing.pitch_link(link)
    assert "14 days" in caught.value.hint
    assert shop.count("GET", "/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=a") == fetched  # known link: not fetched again
    # Another link to the same ASIN is the same product.
    with pytest.raises(UsageError, match="already pitched"):
        marketing.pitch_link(shop.url("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=other?tag=x-20"))
    assert len(content.list_items(app.db, kind="pitch")) == 1
    with time_machine.travel(f"{pitched_day(app)}T00:00:00+00:00", tick=False) as traveller:
        traveller.shift(15 * 86400)
        script.say("A kettle that holds the temperature for an hour, so the second cup is as good as the first.")
        marketing.pitch_link(link)
    assert len(content.list_items(app.db, kind="pitch")) == 2


def pitched_day(app):
    return products.list_products(app.db)[0].last_pitched_at[:10]


def test_scheduled_pitch_takes_the_next_product_due(app, account, shop, script):
    assert "no product to pitch" in scheduled_pitch(app, "brewbot")
    marketing = AffiliateMarketing(app, account)
    first = marketing.fetch_product(shop.url("/products/aeropress-go"))
    second = marketing.fetch_product(shop.url("/timemore-c2"))
    script.say(PITCH, "Uneven grounds ruin coffee. Steel burrs fix that, with 38 settings.")
    assert "pitched 'AeroPress Go" in scheduled_pitch(app, "brewbot")
    assert "pitched 'Timemore C2" in scheduled_pitch(app, "brewbot")
    assert "no product to pitch" in scheduled_pitch(app, "brewbot")
    assert {p.id for p in products.list_products(app.db) if p.last_pitched_at} == {first.id, second.id}


# --- bad input: a clear message, nothing stored -------------------------------------------


@pytest.mark.parametrize("link", ["amazon.com/dp/B07D9SWQV8", "not a link", "ftp://shop.example.com/x", "https://"])
def test_a_link_that_is_not_a_url(app, account, script, link):
    with pytest.raises(UsageError, match="is not a product link"):
        AffiliateMarketing(app, account).pitch_link(link)
    assert stored_nothing(app)


def test_page_without_product_data(app, account, shop, script):
    with pytest.raises(UsageError, match="no product details found") as caught:
        AffiliateMarketing(app, account).pitch_link(shop.url("/blog/ten-ways"))
    assert "product page" in caught.value.hint
    assert stored_nothing(app) and script.prompts == []


def test_page_not_found(app, account, shop, script):
    with pytest.raises(UsageError, match=r"not found \(HTTP 404\)"):
        AffiliateMarketing(app, account).pitch_link(shop.url("/products/gone"))
    assert stored_nothing(app)


@pytest.mark.parametrize("path", ["/captcha/dp/B000CAPTCH/", "/blocked/dp/B000BLOCKD/"])
def test_captcha_page(app, account, shop, script, path):
    with pytest.raises(PageBlocked) as caught:
        AffiliateMarketing(app, account).pitch_link(shop.url(path))
    assert "instead of the product page" in caught.value.message and "browser_fallback" in caught.value.hint
    assert stored_nothing(app)
    assert shop.count("GET", path) <= 2  # one retry at most for a page that blocks us


def test_page_over_the_size_limit_is_refused(app, account, shop, script):
    with pytest.raises(UsageError, match="larger than 5 MB; refused"):
        AffiliateMarketing(app, account).pitch_link(shop.url("/huge-page"))
    assert stored_nothing(app)


def test_not_a_web_page(app, account, shop, script):
    with pytest.raises(UsageError, match="not a web page"):
        AffiliateMarketing(app, account).pitch_link(shop.url("/feed.json"))
    assert stored_nothing(app)


def test_no_usable_pitch_falls_back_to_a_template_from_the_page(app, account, shop, script):
    script.say("", "Sure! Here's a pitch for the user:", "I'm thrilled to announce my webinar!")
    pitched = AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    link = shop.url("/products/aeropress-go")
    assert pitched.text == f"#ad AeroPress Go Travel Coffee Press ($39.95): Brew time: 1 minute. {link}"
    assert pitched.item.metadata["template"] is True and pitched.product.last_pitched_at is not None


def test_a_failed_pitch_keeps_the_product_but_no_half_pitch(app, account, shop, script):
    from moneyprinter import errors

    script.say(errors.ServiceUnavailable("model", "server error (HTTP 503)"))
    with pytest.raises(MoneyPrinterError, match="server error"):
        AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    [product] = products.list_products(app.db)
    assert product.last_pitched_at is None and content.list_items(app.db) == []


# --- the CLI ------------------------------------------------------------------------------


def test_cli_pitch_and_products(cli, account, shop, script):
    script.say(PITCH)
    result = cli("pitch", "--account", "brewbot", "--link", shop.url("/products/aeropress-go"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("#ad ") and "outbox" in result.output
    listed = cli("products", "--account", "brewbot")
    assert listed.exit_code == 0 and "last pitched" in listed.output
    [row] = json.loads(cli("products", "--json").output)
    assert row["title"] == "AeroPress Go Travel Coffee Press" and row["last_pitched_at"]


def test_blank_disclosure_is_refused_by_the_config(cli, account, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__DISCLOSURE", "  ")
    result = cli("pitch", "--account", "brewbot", "--link", "https://shop.example.com/p")
    assert result.exit_code == 2 and "MONEYPRINTER_TWITTER__DISCLOSURE" in result.output


def test_pitches_show_in_the_post_history(cli, account, shop, script):
    script.say(PITCH)
    cli("pitch", "--account", "brewbot", "--link", shop.url("/timemore-c2"))
    [row] = json.loads(cli("posts", "--account", "brewbot", "--json").output)
    assert row["kind"] == "pitch" and row["text"].startswith("#ad ")


def test_cli_pitch_bad_link_is_one_line(cli, account, script):
    result = cli("pitch", "--account", "brewbot", "--link", "www.example")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("error: 'www.example' is not a product link")


def test_a_missing_key_stores_no_product(app, account, shop, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__TEXT_PROVIDER", "mistral")
    monkeypatch.delenv("MISTRAL_API_KEY", raising=False)
    with pytest.raises(MoneyPrinterError, match="MISTRAL_API_KEY|API key"):
        AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    assert stored_nothing(app) and shop.count("GET", "/products/aeropress-go") == 0


def test_a_product_link_to_a_private_address_is_refused_without_a_request(home, shop, monkeypatch):
    from moneyprinter.app import App
    from moneyprinter.store.accounts import add_account

    monkeypatch.delenv("MONEYPRINTER_TWITTER__ALLOW_PRIVATE_ADDRESSES")
    guarded = App()
    try:
        account = add_account(guarded.db, "x", "guarded", topic="coffee")
        with pytest.raises(UsageError) as info:
            AffiliateMarketing(guarded, account).fetch_product(shop.url("/products/aeropress-go"))
    finally:
        guarded.close()
    assert "non-public address" in info.value.message and "allow_private_addresses" in info.value.hint
    assert shop.requests == []


def test_a_trickling_product_page_is_cut_at_the_whole_fetch_deadline(app, account, shop, monkeypatch):
    import time

    from moneyprinter.errors import RequestTimeout

    monkeypatch.setattr(app.settings.x, "page_deadline_s", 1.0)
    shop.route("GET", "/slow-shop", Reply(200, "<html>late</html>", delay=3.0))
    started = time.monotonic()
    with pytest.raises(RequestTimeout):
        AffiliateMarketing(app, account).fetch_product(shop.url("/slow-shop"))
    assert time.monotonic() - started < 2.5
