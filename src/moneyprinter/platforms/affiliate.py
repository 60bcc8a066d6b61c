"""AffiliateMarketing: product link -> product details (stored) -> pitch with the disclosure -> publisher.

The FTC's endorsement guides require a clear disclosure of the paid relationship, so every
pitch carries ``x.disclosure`` (default ``#ad``), placed by code rather than left to
the model, and counted in X's 280. A product is not pitched again within
``x.repitch_after_days``. Nothing is stored until the page has yielded a product.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from moneyprinter.errors import UsageError
from moneyprinter.netguard import GuardedFetcher
from moneyprinter.platforms.text_source import XWriter
from moneyprinter.platforms.x_accounts import language_name, x_account
from moneyprinter.products.browser import fetch_with_browser
from moneyprinter.products.fetch import Page, PageBlocked, fetch_page, validate_link
from moneyprinter.products.parse import ProductInfo, parse_product, product_key
from moneyprinter.publishers import Deliveries, SubmitResult, submit_everywhere
from moneyprinter.store import content, products
from moneyprinter.store.content import ContentItem
from moneyprinter.store.content_meta import PitchMeta
from moneyprinter.store.products import Product
from moneyprinter.text import gate
from moneyprinter.text.cleanup import clean_post, tidy_spaces
from moneyprinter.text.x_length import MAX_WEIGHTED_LENGTH, weighted_length

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

SYSTEM = "You write short, honest product recommendations for X (Twitter). Reply with the post text only."


@dataclass
class Pitched:
    item: ContentItem
    result: SubmitResult  # the item's own publication's
    product: Product
    text: str
    deliveries: Deliveries | None = None  # every destination's outcome, the item's own first


class AffiliateMarketing(XWriter):
    # --- products -----------------------------------------------------------------------

    def fetch_product(self, link: str) -> Product:
        """Read the product behind ``link`` and store it for this account (refreshing a known one)."""
        link = validate_link(link)
        return self._save(link, self._read_product(link))

    def _save(self, link: str, info: ProductInfo) -> Product:
        return products.save_product(
            self.app.db,
            self.account.id,
            product_key=product_key(link, info.canonical_url),
            link=link,
            title=info.title,
            description=info.description,
            features=info.features,
            price=info.price,
            currency=info.currency,
            source=info.source,
        )

    def _read_product(self, link: str) -> ProductInfo:
        s = self.settings
        try:
            with GuardedFetcher(allow_private=s.allow_private_addresses) as fetcher:
                page = fetch_page(fetcher, link, max_bytes=s.max_page_bytes, deadline_s=s.page_deadline_s)
        except PageBlocked:
            if not s.browser_fallback:
                raise
            log.info("plain request blocked; loading %s in headless Chrome", link)
            page = self._browser_page(link)
        info = parse_product(page.html)
        if info is None and page.via == "http" and s.browser_fallback:
            log.info("no product data without JavaScript; loading %s in headless Chrome", link)
            page = self._browser_page(link)
            info = parse_product(page.html)
        if info is not None:  # a relative canonical URL, or none: the address the page was served from
            info.canonical_url = urljoin(page.url or link, info.canonical_url or page.url or link)
        if info is None:
            raise UsageError(
                f"no product details found at {link}",
                hint="the page has no schema.org Product data, OpenGraph product tags or Amazon product title; "
                "check that the link opens a product page",
            )
        return info

    def _browser_page(self, link: str) -> Page:
        s = self.settings
        return fetch_with_browser(link, max_bytes=s.max_page_bytes, page_load_timeout_s=s.browser_timeout_s,
                                  allow_private=s.allow_private_addresses)

    def products(self) -> list[Product]:
        return products.list_products(self.app.db, self.account.id)

    # --- pitching -----------------------------------------------------------------------

    def pitch_link(self, link: str) -> Pitched:
        """Fetch (or refresh) the product behind ``link`` and pitch it, unless it was pitched recently."""
        link = validate_link(link)
        if self.provider.needs_key:
            self.provider.key()  # a missing key fails now, before a product is fetched and stored
        known = products.find_product(self.app.db, self.account.id, link=link)
        if known:
            self._check_window(known)  # no need to fetch a page we will not pitch
        info = self._read_product(link)
        same = products.find_product(self.app.db, self.account.id, product_key=product_key(link, info.canonical_url))
        if same:  # refused before anything is stored: the stored link (and its commission tag) stays
            self._check_window(same)
        return self.pitch(self._save(link, info))

    def pitch(self, product: Product) -> Pitched:
        self._check_window(product)
        text, fallback = self.write_pitch(product)
        db = self.app.db
        item = products.create_pitch(
            db, self.account.id, product.id, title=product.title[:80], body=text,
            metadata=PitchMeta(posts=[text], product_id=product.id, link=product.link,
                               disclosure=self.settings.disclosure, weighted_lengths=[weighted_length(text)],
                               template=fallback),
        )
        done = submit_everywhere(self.app, item, review=self.review)
        result = done.own.result
        stored = content.get_item(db, item.id)
        stored = content.update_item(db, item.id, metadata=replace(stored.metadata, location=result.location))
        return Pitched(stored, result, products.get_product(db, product.id), text, done)

    def _check_window(self, product: Product) -> None:
        days = self.settings.repitch_after_days
        if products.pitched_recently(product, days):
            raise UsageError(
                f"'{product.title[:60]}' was already pitched on {product.last_pitched_at[:10]}",
                hint=f"the same product is pitched at most once every {days} days (x.repitch_after_days)",
            )

    def write_pitch(self, product: Product) -> tuple[str, bool]:
        """The pitch and whether it is the template: the model writes one or two sentences of hook and
        benefit; the exact product name, the page's price, the link and the disclosure are placed here.
        The best candidate that passes the gate wins; when none does, a template built only from the
        parsed product data is used."""
        budget = MAX_WEIGHTED_LENGTH - weighted_length(self.assemble("", product)) - 1
        prompt = self._prompt(product, budget)
        context = gate.Context(
            source=product_source(product), required=[self.settings.disclosure, product.title],
            instructions=prompt.splitlines(), local_model=self.provider.bundled, language=self.account.language,
            details=" ".join([product.description, *product.features]),
        )
        candidates, problems = [], []
        for _ in range(self.settings.max_attempts):
            raw = self.provider.complete(
                prompt, system=SYSTEM, max_tokens=self.settings.max_tokens, temperature=self.settings.temperature
            )
            text = clean_post(self._without_name(self._without_disclosure(raw), product),
                              max_hashtags=self.settings.max_hashtags, limit=budget)
            if not text:
                problems.append("nothing usable (empty, cut off or too long)")
                continue
            verdict = gate.check(self.assemble(text, product), gate.Kind.PITCH, context)
            candidates.append(verdict)
            if verdict.passed:
                break
            problems.append("; ".join(verdict.reasons()))
        chosen = gate.best(candidates)
        if chosen is not None and chosen.passed:
            self.review = self._review_reasons(chosen.review_reasons())
            return chosen.text, False
        log.info("no pitch candidate passed the gate (%s); using the template", "; ".join(problems))
        self.review = []  # built only from the page's data: nothing the model wrote to read first
        return self.assemble(template_pitch(product, budget), product), True

    def _review_reasons(self, reasons: list[str]) -> list[str]:
        if not self.provider.bundled:
            return reasons
        if self.app.settings.text.local_model_review:
            return [*reasons, "written by the bundled local model, which can state falsehoods"]
        log.warning("text.local_model_review is off: a pitch of the bundled local model goes out unread")
        return reasons

    def assemble(self, text: str, product: Product) -> str:
        """Disclosure, the exact product name (with the page's price), the text, the link."""
        price = f" ({format_price(product)})" if product.price else ""
        body = f"{product.title}{price}: {text}" if text else f"{product.title}{price}"
        disclosure = self.settings.disclosure
        parts = [disclosure, body, product.link] if self.settings.disclosure_position == "start" \
            else [body, product.link, disclosure]
        return tidy_spaces(" ".join(p for p in parts if p))

    def _without_disclosure(self, text: str) -> str:
        """The model may add the disclosure itself; it is placed once, by ``assemble``."""
        return re.sub(rf"(?<!\w){re.escape(self.settings.disclosure)}(?!\w)", " ", text, flags=re.IGNORECASE)

    @staticmethod
    def _without_name(text: str, product: Product) -> str:
        """The name is placed by ``assemble``; the model's copy of it (exact) would say it twice."""
        name = rf"^\W*(?:the\s+)?{re.escape(product.title)}"
        text = re.sub(rf"{name}\s*[:\-\u2013,]\s*", "", text.strip(), flags=re.IGNORECASE)
        return re.sub(rf"{name}\s+(?=[a-z])", "It ", text, flags=re.IGNORECASE)  # the name as the subject

    def _prompt(self, product: Product, budget: int) -> str:
        details = product.features[:4] or ([product.description[:300]] if product.description else [])
        audience = f" to people interested in {self.account.topic}" if self.account.topic.strip() else ""
        lines = [
            f"Write a short post for X recommending this product{audience}.",
            f"Product: {product.title}",
        ]
        if details:
            lines.append("Details:")
            lines += [f"- {d}" for d in details]
        lines += [
            "Start with a hook: a question or a surprising fact.",
            "Then give one concrete benefit taken from the details.",
            "Do not name the product and do not include any link, price or hashtag: they are added for you.",
            f"Keep it under {max(budget - 20, 60)} characters. Write it in {language_name(self.account.language)}.",
        ]
        return "\n".join(lines)


_CURRENCY_SIGNS = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5"}


def format_price(product: Product) -> str:
    """The page's price as people write it: '$39.95', '1299.00 SEK'."""
    sign = _CURRENCY_SIGNS.get((product.currency or "").upper())
    return f"{sign}{product.price}" if sign else f"{product.price} {product.currency or ''}".strip()


def product_source(product: Product) -> str:
    """Everything the page said: what a pitch may take numbers and names from."""
    return " ".join([product.title, product.price or "", product.description, *product.features])


def template_pitch(product: Product, budget: int) -> str:
    """One benefit from the page, as a sentence, within ``budget``: used when no written pitch passes the gate."""
    from moneyprinter.text.sentences import split_sentences

    options = [*product.features, *split_sentences(product.description)]
    for option in options:
        sentence = option.strip().rstrip(".;,") + "."
        if 8 <= len(sentence) and weighted_length(sentence) <= budget:
            return sentence[0].upper() + sentence[1:]
    return ""


def scheduled_pitch(app: App, account_nickname: str) -> str:
    """The scheduler's job: pitch the account's stored product pitched longest ago, if one is due."""
    account = x_account(app, account_nickname)
    days = app.settings.x.repitch_after_days
    product = products.next_to_pitch(app.db, account.id, days)
    if product is None:
        return (
            f"{account.nickname}: no product to pitch (none stored, or all pitched in the last {days} days); "
            "add one with 'moneyprinter pitch --account NAME --link URL'"
        )
    pitched = AffiliateMarketing(app, account).pitch(product)
    pitched.deliveries.raise_if_failed()  # a cross-post deferred or failed: the run says so (and defers)
    return "; ".join([f"{account.nickname}: pitched '{product.title[:60]}' as #{pitched.item.id}; "
                      f"{pitched.result.message}", *(d.line() for d in pitched.deliveries.crossed())])
