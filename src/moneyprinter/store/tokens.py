"""Where an account's logins live, and the token metadata rows (``publisher_tokens``, migration m003).

Login files are named by the account's id, never its nickname, so renaming an account moves
nothing: ``<data>/tokens/<provider>/<account id>.json`` (written by ``publishers/credentials.py``)
and ``<data>/browser-profiles/<browser>/<account id>/`` (YouTube Studio's browser profile).
The database keeps only metadata (path, scopes, expiry), never the secrets.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from moneyprinter import paths
from moneyprinter.store.db import Database, upsert, utcnow


def tokens_dir() -> Path:
    return paths.data_dir() / "tokens"


def profiles_dir() -> Path:
    return paths.data_dir() / "browser-profiles"


def token_path(provider: str, account_id: int) -> Path:
    return tokens_dir() / provider / f"{account_id}.json"


def profile_path(browser: str, account_id: int) -> Path:
    return profiles_dir() / browser / str(account_id)


@dataclass
class TokenRecord:
    account_id: int
    provider: str
    path: str
    scopes: str
    expires_at: str | None
    created_at: str
    updated_at: str


def record_token(db: Database, account_id: int, provider: str, path: Path, *, scopes: str = "",
                 expires_at: str | None = None) -> None:
    """Remember that ``account_id`` has a ``provider`` login stored at ``path``."""
    now = utcnow()
    with db.transaction() as conn:
        upsert(conn, "publisher_tokens", key=("account_id", "provider"),
               values={"account_id": account_id, "provider": provider, "path": str(path), "scopes": scopes,
                       "expires_at": expires_at, "created_at": now, "updated_at": now},
               keep=("created_at",))


def get_token(db: Database, account_id: int, provider: str) -> TokenRecord | None:
    row = db.query_one("SELECT * FROM publisher_tokens WHERE account_id = ? AND provider = ?", (account_id, provider))
    return TokenRecord(**dict(row)) if row else None


def delete_logins(account_id: int) -> None:
    """Delete the account's token files and browser profiles, so a later account never inherits a login.

    The rows in ``publisher_tokens`` go with the account row (ON DELETE CASCADE).
    """
    for path in tokens_dir().glob(f"*/{account_id}.json"):
        path.unlink(missing_ok=True)
    for path in profiles_dir().glob(f"*/{account_id}"):
        shutil.rmtree(path, ignore_errors=True)
