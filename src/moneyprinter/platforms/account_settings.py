"""What an account of each network can be set to, checked once for every interface.

The CLI (``accounts add|edit``), the web pages and the REST API all add and edit accounts through
``check_account``/``add``/``edit`` here, so each says the same thing about the same mistake. Each
network's own options (TikTok's privacy level, a Mastodon instance, a Bluesky PDS, ...) are declared in
``SETTINGS``: the key the publisher reads from ``Account.options``, how a person names and fills it in,
and how a typed value is checked. An empty value removes the option, so the configured default applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from moneyprinter.errors import Conflict, FieldError, MoneyPrinterError, NotFound, UsageError
from moneyprinter.publishers.destinations import MAKES, check_destinations, refusal, set_destinations
from moneyprinter.settings.render import CAPTION_PRESETS
from moneyprinter.store import accounts as repo
from moneyprinter.store.accounts import Account, platform_phrase

if TYPE_CHECKING:
    from moneyprinter.settings.publishing import PublishingSettings
    from moneyprinter.store.db import Database

YES_NO = (("yes", "yes"), ("no", "no"))
_TRUE, _FALSE = {"yes", "true", "1", "on"}, {"no", "false", "0", "off"}
_HANDLE = re.compile(r"^(?=.{3,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")


@dataclass(frozen=True)
class Setting:
    key: str  # the key in Account.options that the publisher (or the pipeline) reads
    label: str
    help: str
    parse: Callable[[str], Any]  # the stored value of a non-empty text, or UsageError saying what is wrong
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); empty: typed in
    default: Callable[[PublishingSettings], Any] | None = None  # what applies while the option is unset
    input: str = "text"  # the HTML input type of a typed value: text, url, number

    def shown(self, value: Any) -> str:
        """A stored value as a person types it (a choice's value, 'yes'/'no', a number)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


def _choice(name: str, values: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in values:
            raise UsageError(f"{name} must be one of {', '.join(values)}, not '{raw}'", hint="choose one of the list")
        return raw
    return parse


def _yes_no(name: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        value = raw.lower()
        if value not in _TRUE | _FALSE:
            raise UsageError(f"{name} must be yes or no, not '{raw}'", hint="use yes or no")
        return value in _TRUE
    return parse


def _whole(name: str, low: int, high: int) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not raw.isdigit() or not low <= int(raw) <= high:
            raise UsageError(f"{name} must be a whole number from {low} to {high}, not '{raw}'",
                             hint=f"give a number from {low} to {high}")
        return int(raw)
    return parse


def _https_url(name: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        parts = urlsplit(raw)
        if parts.scheme != "https" or not parts.hostname:
            raise UsageError(f"{name} must be an https:// address, not '{raw}'", hint="e.g. https://bsky.social")
        return raw.rstrip("/")
    return parse


def _instance(raw: str) -> str:
    from moneyprinter.publishers.mastodon_client import normalise_instance

    return normalise_instance(raw)


def _handle(raw: str) -> str:
    handle = raw.lstrip("@").lower()
    if not _HANDLE.match(handle):
        raise UsageError(f"'{raw}' is not a Bluesky handle", hint="a handle is a domain name, e.g. me.bsky.social")
    return handle


def _category(raw: str) -> str:
    return str(_whole("the YouTube category id", 1, 44)(raw))  # stored as YouTube's API sends it: a string


TIKTOK_PRIVACY = ("PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY")
PRIVACY_STATUS = ("private", "unlisted", "public")

SETTINGS: dict[str, tuple[Setting, ...]] = {
    "youtube": (
        Setting("captions", "Caption style", "How the words are drawn on the account's Shorts.",
                _choice("the caption style", tuple(CAPTION_PRESETS)), tuple((p, p) for p in CAPTION_PRESETS)),
        Setting("privacy_status", "Visibility", "Who sees an uploaded Short (youtube_api and youtube_studio).",
                _choice("the visibility", PRIVACY_STATUS), tuple((p, p) for p in PRIVACY_STATUS),
                default=lambda p: p.youtube_privacy_status),
        Setting("category_id", "Category id", "YouTube's video category, e.g. 22 People & Blogs, 27 Education, "
                "28 Science & Technology.", _category, default=lambda p: p.youtube_category_id, input="number"),
        Setting("made_for_kids", "Made for kids", "Declared to YouTube on each upload.",
                _yes_no("made for kids"), YES_NO, default=lambda p: p.youtube_made_for_kids),
    ),
    "x": (
        Setting("thread_length", "Scheduled thread length", "Scheduled runs write a thread of this many posts "
                "(2 to 5); empty: one post.", _whole("the thread length", 2, 5), input="number"),
    ),
    "tiktok": (
        Setting("post_mode", "Post mode", "direct: posted to the profile; inbox: the video lands in the creator's "
                "TikTok inbox and they finish the post in the app.", _choice("the post mode", ("direct", "inbox")),
                (("direct", "direct"), ("inbox", "inbox")), default=lambda p: "direct"),
        Setting("privacy_level", "Privacy level", "Who sees direct posts; it must be one the account allows "
                "(an unaudited app: SELF_ONLY).", _choice("the privacy level", TIKTOK_PRIVACY),
                tuple((p, p) for p in TIKTOK_PRIVACY), default=lambda p: p.tiktok_privacy_level),
        Setting("disable_comment", "Comments off", "Posts allow no comments.", _yes_no("comments off"), YES_NO,
                default=lambda p: False),
        Setting("disable_duet", "Duets off", "Posts allow no duets.", _yes_no("duets off"), YES_NO,
                default=lambda p: False),
        Setting("disable_stitch", "Stitches off", "Posts allow no stitches.", _yes_no("stitches off"), YES_NO,
                default=lambda p: False),
    ),
    "mastodon": (
        Setting("instance", "Instance", "Base address of the account's server, e.g. https://mastodon.social.",
                _instance, input="url"),
    ),
    "bluesky": (
        Setting("handle", "Handle", "The Bluesky handle, e.g. me.bsky.social (the login asks for it too).", _handle),
        Setting("pds", "PDS", "The account's server if it is not on bsky.social.", _https_url("the PDS"),
                default=lambda p: p.bluesky_pds_url, input="url"),
    ),
    "instagram": (),
    "threads": (),
}
# Options a login writes (user ids) and options no person sets are kept, never shown as a field.

FIELDS = ("platform", "nickname", "topic", "language", "publisher", "approval")


def settings_for(platform: str) -> tuple[Setting, ...]:
    return SETTINGS.get(platform, ())


def setting(platform: str, key: str) -> Setting:
    for item in settings_for(platform):
        if item.key == key:
            return item
    names = ", ".join(s.key for s in settings_for(platform)) or "none"
    raise FieldError(key, f"{platform_phrase(platform)} account has no option '{key}'", hint=f"its options: {names}")


def parse_options(platform: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values by key; an empty value (or None) becomes None, which removes the option."""
    parsed: dict[str, Any] = {}
    for key, value in raw.items():
        item = setting(platform, key)
        text = "" if value is None else str(value).strip()
        try:
            parsed[key] = item.parse(text) if text else None
        except UsageError as exc:
            raise FieldError(key, exc.message, hint=exc.hint) from None
    return parsed


def check_account(db: Database, fields: dict[str, Any], *, account: Account | None = None,
                  options: dict[str, Any] | None = None, cross_post: list[str] | None = None) -> dict[str, MoneyPrinterError]:
    """Every mistake in an add (no ``account``) or an edit, by the field it is in; nothing is written."""
    found: dict[str, MoneyPrinterError] = {}

    def note(name: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except MoneyPrinterError as exc:
            exc.field = exc.field or name  # the error keeps its kind (a Conflict stays a 409 in the API)
            found.setdefault(name, exc)
            return None

    platform = account.platform if account else note("platform", lambda: repo.normalize_platform(fields["platform"]))
    if platform is None:
        return found
    for name in FIELDS[1:]:
        if name in fields and fields[name] is not None:
            note(name, lambda name=name: repo.validate_fields(platform, {name: fields[name]}))
    nickname = fields.get("nickname")
    if nickname and "nickname" not in found and (account is None or nickname.lower() != account.nickname.lower()):
        note("nickname", lambda: _not_taken(db, platform, nickname))
    for key, value in (options or {}).items():
        note(key, lambda key=key, value=value: parse_options(platform, {key: value}))
    if cross_post is not None and account is not None:
        note("cross_post", lambda: check_destinations(db, account, cross_post))
    return found


def _not_taken(db: Database, platform: str, nickname: str) -> None:
    try:
        repo.get_account(db, platform, nickname)
    except NotFound:
        return
    raise Conflict(f"{platform_phrase(platform)} account named '{nickname}' already exists",
                     hint="choose another nickname or edit the existing account")


def _first(found: dict[str, MoneyPrinterError]) -> None:
    if found:
        raise next(iter(found.values()))


def add(db: Database, fields: dict[str, Any], options: dict[str, Any] | None = None) -> Account:
    """Add an account; a refused field raises its error (``field`` names it) and nothing is written."""
    _first(check_account(db, fields, options=options))
    values = {k: v for k, v in fields.items() if k != "platform" and v is not None}
    parsed = {k: v for k, v in parse_options(repo.normalize_platform(fields["platform"]), options or {}).items()
              if v is not None}
    return repo.add_account(db, fields["platform"], values.pop("nickname"), **values, options=parsed)


def edit(db: Database, account: Account, fields: dict[str, Any], *, options: dict[str, Any] | None = None,
         cross_post: list[str] | None = None) -> Account:
    """Change fields (None: unchanged), options (None or "": back to the default) and, if given, the
    cross-post destinations (an empty list: none). Everything is checked before anything is written."""
    fields = {k: v for k, v in fields.items() if v is not None}
    if fields.get("nickname") == account.nickname:
        fields.pop("nickname")
    _first(check_account(db, fields, account=account, options=options, cross_post=cross_post))
    if cross_post is not None:
        set_destinations(db, account, cross_post)
    parsed = parse_options(account.platform, options or {})
    if fields or parsed:
        account = repo.update_account(db, account, **fields, options=parsed or None)
    return account


def destination_choices(db: Database, account: Account) -> list[tuple[Account, str | None]]:
    """Every other account with why it cannot take this account's content (None: it can)."""
    if account.platform not in MAKES:
        return []
    return [(other, refusal(account, other)) for other in repo.list_accounts(db) if other.id != account.id]


def login_command(account: Account) -> str | None:
    """The terminal command that logs the account's publisher in, or None if it needs no login here.

    OAuth logins open a browser and wait for the network's redirect; app passwords and API keys are asked
    without echo. Both stay in the terminal, so no secret ever passes through a page."""
    nick = account.nickname
    commands = {
        "youtube_api": f"moneyprinter youtube login --account {nick}",
        "x_api": f"moneyprinter x login --account {nick}",
        "tiktok_api": f"moneyprinter tiktok login --account {nick}",
        "mastodon_api": f"moneyprinter mastodon login --account {nick}"
                        + ("" if account.options.get("instance") else " --instance https://your.instance"),
        "bluesky_api": f"moneyprinter bluesky login --account {nick} --handle "
                       + str(account.options.get("handle") or "HANDLE"),
        "instagram_api": f"moneyprinter instagram login --account {nick}",
        "threads_api": f"moneyprinter threads login --account {nick}",
    }
    return commands.get(account.publisher)


LOGIN_HOW = {"youtube_api": "OAuth in your browser", "tiktok_api": "OAuth in your browser",
             "mastodon_api": "OAuth in your browser", "instagram_api": "OAuth in your browser",
             "threads_api": "OAuth in your browser", "x_api": "the API keys are asked without echo",
             "bluesky_api": "the app password is asked without echo"}
