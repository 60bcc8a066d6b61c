"""Accounts: the YouTube channels, X profiles and other network accounts moneyprinter works for."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from moneyprinter.errors import Conflict, NotFound, UsageError
from moneyprinter.store.db import Database, update_columns, utcnow
from moneyprinter.store.schedules import bump_revision
from moneyprinter.store.tokens import delete_logins

PUBLISHERS = {
    "youtube": ("outbox", "youtube_api", "youtube_studio"),
    "x": ("outbox", "x_api"),
    # Networks a Short or a post is cross-posted to, each through its official API.
    "tiktok": ("outbox", "tiktok_api"),
    "bluesky": ("outbox", "bluesky_api"),
    "mastodon": ("outbox", "mastodon_api"),
    "instagram": ("outbox", "instagram_api"),
    "threads": ("outbox", "threads_api"),
}
PLATFORMS = tuple(PUBLISHERS)
_ALIASES = {"twitter": "x", "yt": "youtube", "bsky": "bluesky", "ig": "instagram"}
_NAMES = {"youtube": "YouTube", "x": "X", "tiktok": "TikTok", "bluesky": "Bluesky", "mastodon": "Mastodon",
          "instagram": "Instagram", "threads": "Threads"}
APPROVALS = ("auto", "manual")
# Letters and digits of any script (a channel may be called 日本の謎), then also '_', '.', '-'.
_NICKNAME = re.compile(r"^[^\W_][\w.-]{0,39}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


@dataclass
class Account:
    id: int
    platform: str
    nickname: str
    topic: str = ""
    language: str = "en"
    publisher: str = "outbox"
    approval: str = "auto"
    options: dict[str, Any] = field(default_factory=dict)
    external_id: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Account:
        data = dict(row)
        data["options"] = json.loads(data["options"] or "{}")
        return cls(**data)


def platform_name(platform: str) -> str:
    """'YouTube', 'TikTok': the platform as its users write it."""
    return _NAMES.get(platform, platform)


def platform_phrase(platform: str) -> str:
    """'a YouTube' / 'an X' / 'an Instagram': the platform named as a person would."""
    name = platform_name(platform)
    return f"an {name}" if name[0] in "AEIOX" else f"a {name}"


def normalize_platform(platform: str) -> str:
    value = platform.strip().lower()
    value = _ALIASES.get(value, value)
    if value not in PUBLISHERS:
        raise UsageError(f"unknown platform '{platform}'", hint="use one of: " + ", ".join(PLATFORMS))
    return value


def validate_fields(platform: str, fields: dict[str, Any]) -> None:
    if "nickname" in fields and not _NICKNAME.match(fields["nickname"] or ""):
        raise UsageError(
            f"invalid nickname '{fields['nickname']}'",
            hint="use 1-40 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )
    if "language" in fields and not _LANGUAGE.match(fields["language"] or ""):
        raise UsageError(f"invalid language '{fields['language']}'", hint="use a code like en, de or pt-BR")
    if "publisher" in fields and fields["publisher"] not in PUBLISHERS[platform]:
        raise UsageError(
            f"publisher '{fields['publisher']}' is not available for {platform}",
            hint="choose one of: " + ", ".join(PUBLISHERS[platform]),
        )
    if "approval" in fields and fields["approval"] not in APPROVALS:
        raise UsageError(f"invalid approval '{fields['approval']}'", hint="use 'auto' or 'manual'")
    if "topic" in fields and len(fields["topic"] or "") > 200:
        raise UsageError("topic is longer than 200 characters", hint="shorten it")


def add_account(
    db: Database,
    platform: str,
    nickname: str,
    *,
    topic: str = "",
    language: str = "en",
    publisher: str = "outbox",
    approval: str = "auto",
    options: dict[str, Any] | None = None,
    external_id: str | None = None,
) -> Account:
    platform = normalize_platform(platform)
    fields = dict(nickname=nickname, topic=topic.strip(), language=language, publisher=publisher, approval=approval)
    validate_fields(platform, fields)
    now = utcnow()
    with db.transaction() as conn:
        if _find(conn, platform, nickname):
            raise Conflict(
                f"{platform_phrase(platform)} account named '{nickname}' already exists",
                hint="choose another nickname or edit the existing account",
            )
        cur = conn.execute(
            """INSERT INTO accounts (platform, nickname, topic, language, publisher, approval, options,
                                     external_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (platform, nickname, fields["topic"], language, publisher, approval,
             json.dumps(options or {}), external_id, now, now),
        )
        account_id = cur.lastrowid
    return get_account_by_id(db, account_id)


def _find(conn: sqlite3.Connection, platform: str, nickname: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM accounts WHERE platform = ? AND nickname = ? COLLATE NOCASE", (platform, nickname)
    ).fetchone()


def get_account(db: Database, platform: str, nickname: str) -> Account:
    platform = normalize_platform(platform)
    row = _find(db.conn, platform, nickname)
    if row is None:
        names = ", ".join(a.nickname for a in list_accounts(db, platform)) or "none yet"
        raise NotFound(
            f"no {platform} account named '{nickname}'",
            hint=f"existing: {names}; add one with 'moneyprinter accounts add {platform} NAME'",
        )
    return Account.from_row(row)


def get_account_by_id(db: Database, account_id: int) -> Account:
    row = db.query_one("SELECT * FROM accounts WHERE id = ?", (account_id,))
    if row is None:
        raise NotFound(f"no account with id {account_id}")
    return Account.from_row(row)


def list_accounts(db: Database, platform: str | None = None) -> list[Account]:
    if platform:
        rows = db.query("SELECT * FROM accounts WHERE platform = ? ORDER BY nickname", (normalize_platform(platform),))
    else:
        rows = db.query("SELECT * FROM accounts ORDER BY platform, nickname")
    return [Account.from_row(r) for r in rows]


EDITABLE = frozenset({"nickname", "topic", "language", "publisher", "approval", "options", "external_id"})


def update_account(db: Database, account: Account, **changes: Any) -> Account:
    """Change some fields; ``options`` is merged into the existing options (a None value removes its key).

    Schedules, token files and browser profiles name the account by id, so a rename changes this row only.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise UsageError(f"cannot edit {', '.join(sorted(unknown))}", hint="editable: " + ", ".join(sorted(EDITABLE)))
    changes = {k: v for k, v in changes.items() if v is not None}
    validate_fields(account.platform, changes)
    if not changes:
        return account
    with db.transaction() as conn:
        if "options" in changes:  # merged with the options read under the write lock: no update is lost
            row = conn.execute("SELECT options FROM accounts WHERE id = ?", (account.id,)).fetchone()
            merged = {**json.loads(row["options"] or "{}"), **changes["options"]}
            changes["options"] = json.dumps({k: v for k, v in merged.items() if v is not None})
        if "nickname" in changes:
            other = _find(conn, account.platform, changes["nickname"])
            if other and other["id"] != account.id:
                raise Conflict(f"{platform_phrase(account.platform)} account named '{changes['nickname']}' already exists")
        update_columns(conn, "accounts", account.id, changes, EDITABLE)
        if "nickname" in changes:
            bump_revision(conn)  # the daemon shows and passes the schedules' new target name
    return get_account_by_id(db, account.id)


def remove_account(db: Database, account: Account) -> None:
    """Removes its content history, its schedules and its stored logins too.

    The login files go first: a crash in between leaves an account that must log in again,
    never a login file that a later account with the same id would inherit.
    """
    delete_logins(account.id)
    with db.transaction() as conn:
        conn.execute("DELETE FROM accounts WHERE id = ?", (account.id,))  # schedules and token rows cascade
        bump_revision(conn)


# --- cross-post destinations -------------------------------------------------------------


def cross_posts(db: Database, account_id: int) -> list[Account]:
    """The accounts every new Short or post of ``account_id`` also goes to, in the order they were given."""
    rows = db.query(
        """SELECT a.* FROM cross_posts c JOIN accounts a ON a.id = c.destination_id
           WHERE c.account_id = ? ORDER BY c.position""",
        (account_id,),
    )
    return [Account.from_row(r) for r in rows]


def set_cross_posts(db: Database, account_id: int, destination_ids: list[int]) -> None:
    """Replace the account's destinations (an empty list clears them) in one transaction."""
    with db.transaction() as conn:
        conn.execute("DELETE FROM cross_posts WHERE account_id = ?", (account_id,))
        conn.executemany(
            "INSERT INTO cross_posts (account_id, destination_id, position) VALUES (?, ?, ?)",
            [(account_id, dest, position) for position, dest in enumerate(destination_ids)],
        )
