"""The review screen: content waiting for a person (it replaces this notice when publishing lands)."""

from moneyprinter.menu.prompts import not_available


def screen(app) -> None:
    not_available("Review and publishing")
