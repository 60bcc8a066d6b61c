"""The Affiliate marketing screen (it replaces this notice when that capability lands)."""

from moneyprinter.menu.prompts import not_available


def screen(app) -> None:
    not_available("Affiliate marketing")
