"""Signed one-click unsubscribe tokens (RFC 8058) and what the HTTPS endpoint does with one.

A token is ``<address, base64url>.<HMAC-SHA256 of it, base64url>``: the endpoint learns the address
from the token and, because only this installation holds the key, nobody can unsubscribe someone
else by guessing. The key is 32 random bytes in ``<data dir>/outreach-unsubscribe.key`` (mode 600),
made on first use.

The web app's unsubscribe endpoint (``POST`` for one-click, ``GET`` for a link in the footer)
calls ``unsubscribe_by_token(db, token)``; the address is suppressed at once, for every campaign.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from moneyprinter import paths
from moneyprinter.errors import ConfigError, UsageError
from moneyprinter.outreach import suppression
from moneyprinter.store.db import Database

KEY_FILE = "outreach-unsubscribe.key"


class BadToken(UsageError):
    """A token that was not made here or was changed (the endpoint answers 400 and suppresses nothing)."""


def key_path() -> Path:
    return paths.data_dir() / KEY_FILE


def load_key() -> bytes:
    """The signing key, created (mode 600, never overwritten) when missing."""
    path = key_path()
    if not path.exists():
        _create_key(path)
    try:
        key = bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a readable unsubscribe key ({exc})",
                          hint="restore it from a backup; deleting it makes every sent unsubscribe link invalid") from None
    if len(key) < 16:
        raise ConfigError(f"{path}: the unsubscribe key is too short", hint="restore it from a backup")
    return key


def _create_key(path: Path) -> None:
    """Write the key to a private temporary file, then link it into place: another process sees either
    no key file or a complete one, and the first to link wins."""
    paths.ensure_data_dir()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        tmp.unlink()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(key: bytes, payload: str) -> str:
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())


def make_token(address: str, key: bytes | None = None) -> str:
    payload = _b64(address.lower().encode())
    return f"{payload}.{_sign(key or load_key(), payload)}"


def address_of(token: str, key: bytes | None = None) -> str:
    """The address a valid token names; ``BadToken`` otherwise."""
    payload, _, signature = token.strip().partition(".")
    if not payload or not hmac.compare_digest(signature, _sign(key or load_key(), payload)):
        raise BadToken("this unsubscribe link is not valid", hint="use the link from the email as it is")
    try:
        return _unb64(payload).decode()
    except (ValueError, UnicodeDecodeError):
        raise BadToken("this unsubscribe link is not valid") from None


def unsubscribe_by_token(db: Database, token: str) -> str:
    """Suppress the token's address at once; returns it. Repeating it is harmless."""
    address = address_of(token)
    suppression.add(db, address, "one-click unsubscribe")
    return address


def url_for(url_template: str, recipient: str, key: bytes | None = None) -> str:
    """The HTTPS unsubscribe URL of one recipient: ``{token}`` and ``{email}`` are filled in; a
    template without ``{token}`` gets a ``token`` query parameter, so the endpoint can always verify."""
    if not url_template.startswith("https://"):
        return ""
    token = make_token(recipient, key)
    url = url_template.replace("{email}", quote(recipient, safe=""))
    if "{token}" in url:
        return url.replace("{token}", token)
    return f"{url}{'&' if '?' in url else '?'}token={token}"
