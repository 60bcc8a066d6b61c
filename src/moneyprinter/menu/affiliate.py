"""The Affiliate marketing screen: pitch a link, pitch the next stored product, list products."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import UsageError
from moneyprinter.menu.prompts import ask, choose, console
from moneyprinter.menu.x_common import pick_x_account, run_action
from moneyprinter.platforms.affiliate import AffiliateMarketing, scheduled_pitch
from moneyprinter.products.fetch import validate_link
from moneyprinter.terminal.deliveries import print_cross_posts
from moneyprinter.terminal.x import product_table

if TYPE_CHECKING:
    from moneyprinter.app import App

ACTIONS = ["Pitch a product link", "Pitch the next stored product", "List products", "Back"]


def screen(app: App) -> None:
    account = pick_x_account(app, need_topic=True)
    while True:
        index = choose(f"Affiliate: {account.nickname}", ACTIONS)
        if index == len(ACTIONS) - 1:
            return
        marketing = AffiliateMarketing(app, account)
        handlers = (_pitch_link, _pitch_next, _list)
        run_action(handlers[index], app, marketing)


def _link_problem(value: str) -> str | None:
    try:
        validate_link(value)
    except UsageError as exc:
        return str(exc)
    return None


def _pitch_link(app: App, marketing: AffiliateMarketing) -> None:
    link = ask("Affiliate link", validate=_link_problem)
    console.print("Reading the product page...")
    pitched = marketing.pitch_link(link)
    console.print(pitched.text, markup=False)
    console.print(f"[green]Item #{pitched.item.id}: {pitched.result.message}[/]")
    print_cross_posts(console, pitched.deliveries)


def _pitch_next(app: App, marketing: AffiliateMarketing) -> None:
    console.print(scheduled_pitch(app, marketing.account.nickname), markup=False)


def _list(app: App, marketing: AffiliateMarketing) -> None:
    found = marketing.products()
    if not found:
        console.print("No products yet: pitch a link first.")
        return
    console.print(product_table(app, found))
