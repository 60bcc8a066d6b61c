"""The access token of the web app, the REST API and the MCP server over HTTP.

One random token per data directory, in ``<data>/web/token`` with mode 0600, created on first
start. It is registered with the redactor so it never reaches logs; it is printed once, when made.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from moneyprinter.redact import register_secret

TOKEN_BYTES = 32


def token_path(data_dir: Path) -> Path:
    return data_dir / "web" / "token"


def load_or_create(data_dir: Path) -> tuple[str, bool]:
    """The token, and whether it was created just now (then the caller prints it once)."""
    path = token_path(data_dir)
    if path.exists():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            register_secret(token)
            return token, False
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    tmp = path.with_suffix(".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.replace(tmp, path)
    register_secret(token)
    return token, True


def matches(given: str | None, token: str) -> bool:
    """Constant-time comparison, so the answer's timing tells nothing about the token."""
    return bool(given) and hmac.compare_digest(given.encode(), token.encode())
