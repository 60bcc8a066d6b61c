"""Looking up the X account a command names, and the checks every X action shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.errors import UsageError
from moneyprinter.store.accounts import Account, get_account, platform_phrase

if TYPE_CHECKING:
    from moneyprinter.app import App

LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "sv": "Swedish", "da": "Danish", "fi": "Finnish", "no": "Norwegian",
    "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "ja": "Japanese", "zh": "Chinese", "ko": "Korean",
    "ar": "Arabic", "hi": "Hindi", "id": "Indonesian",
}


def language_name(code: str) -> str:
    return LANGUAGES.get(code.split("-")[0].lower(), code)


def x_account(app: App, nickname: str) -> Account:
    return get_account(app.db, "x", nickname)


def require_topic(account: Account) -> str:
    if not account.topic.strip():
        raise UsageError(
            f"the X account '{account.nickname}' has no topic",
            hint=f"set one with: moneyprinter accounts edit x {account.nickname} --topic \"...\"",
        )
    return account.topic.strip()


def require_x(account: Account) -> Account:
    if account.platform != "x":
        raise UsageError(f"'{account.nickname}' is {platform_phrase(account.platform)} account, not an X account")
    return account
