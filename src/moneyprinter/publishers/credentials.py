"""Per-account credential files (OAuth tokens, X keys): mode 0600 in ``<data>/tokens/<provider>/<account id>.json``.

Values are registered with the redactor as they are read or written, so they never reach
output or logs. The database keeps only metadata (path, scopes, expiry), never the secrets.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from moneyprinter.errors import ConfigError
from moneyprinter.redact import register_secret
from moneyprinter.store import tokens
from moneyprinter.store.accounts import Account
from moneyprinter.store.db import Database

SECRET_KEYS = ("access_token", "refresh_token", "consumer_key", "consumer_secret", "access_token_secret", "client_secret",
               "access_jwt", "refresh_jwt", "app_password")


def credential_path(provider: str, account: Account) -> Path:
    return tokens.token_path(provider, account.id)


def load(provider: str, account: Account) -> dict[str, Any] | None:
    path = credential_path(provider, account)
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path}: credentials readable by group or others (mode {mode:o})", hint=f"run: chmod 600 {path}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: unreadable credentials ({exc.__class__.__name__})", hint="log in again") from exc
    _register(data)
    return data


def save(db: Database, provider: str, account: Account, data: dict[str, Any], *, scopes: str = "",
         expires_at: str | None = None) -> Path:
    """Write atomically with mode 0600 (the file is created 0600; it is never world-readable, even briefly)."""
    _register(data)
    path = credential_path(provider, account)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_suffix(".json.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    tokens.record_token(db, account.id, provider, path, scopes=scopes, expires_at=expires_at)
    return path


def _register(data: dict[str, Any]) -> None:
    for key in SECRET_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            register_secret(value)
