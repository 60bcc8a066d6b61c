"""YouTube OAuth: the installed-app login (google-auth-oauthlib), the per-account token file, refresh.

The token lives in ``<data>/tokens/youtube/<account id>.json`` with mode 0600. Refreshing goes
through the shared HTTP client; a refresh the server refuses (``invalid_grant``: revoked or
expired) becomes one clear ``Unauthorized`` telling the user to log in again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moneyprinter.errors import ConfigError, Unauthorized
from moneyprinter.publishers import credentials
from moneyprinter.redact import register_secret
from moneyprinter.store.accounts import Account

if TYPE_CHECKING:
    from moneyprinter.app import App

PROVIDER = "youtube"
SCOPES = ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly"]
SERVICE = "YouTube OAuth"
_EARLY_S = 60  # refresh this long before the expiry the server gave


def client_config(app: App) -> dict[str, str]:
    """The OAuth client (id and secret) from YOUTUBE_CLIENT_ID/SECRET or the client secrets file."""
    settings = app.settings.publishing
    client_id = app.config.secrets.get("YOUTUBE_CLIENT_ID")
    client_secret = app.config.secrets.get("YOUTUBE_CLIENT_SECRET")
    if not (client_id and client_secret) and settings.youtube_client_secrets_file:
        path = Path(settings.youtube_client_secrets_file).expanduser()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            block = raw.get("installed") or raw.get("web") or {}
            client_id, client_secret = block["client_id"], block["client_secret"]
        except (OSError, ValueError, KeyError, AttributeError) as exc:
            raise ConfigError(
                f"{path}: not a Google OAuth client file ({exc.__class__.__name__})",
                hint="download the 'Desktop app' OAuth client JSON from Google Cloud Console",
            ) from exc
    if not (client_id and client_secret):
        raise ConfigError(
            "no YouTube OAuth client configured",
            hint="set YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET in .env, or publishing.youtube_client_secrets_file",
        )
    register_secret(client_secret)
    return {"client_id": client_id, "client_secret": client_secret}


def login_hint(account: Account) -> str:
    return f"log in again: moneyprinter youtube login --account {account.nickname}"


def login(app: App, account: Account, *, open_browser: bool = True, port: int = 0) -> Path:
    """Run the installed-app flow in the user's browser and store the token (mode 0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    client = client_config(app)
    settings = app.settings.publishing
    flow = InstalledAppFlow.from_client_config(
        {"installed": {**client, "auth_uri": settings.youtube_auth_uri, "token_uri": settings.youtube_token_uri,
                       "redirect_uris": ["http://localhost"]}},
        scopes=SCOPES,
    )
    try:
        creds = flow.run_local_server(
            port=port, open_browser=open_browser,
            authorization_prompt_message="Open this address in a browser and allow moneyprinter to upload:\n{url}",
            success_message="moneyprinter is logged in to YouTube. You can close this tab.",
            timeout_seconds=300,
        )
    except Exception as exc:  # oauthlib/requests errors: one line, no token material
        raise Unauthorized(SERVICE, f"the login did not complete ({exc.__class__.__name__})",
                           hint="run the login again and allow access in the browser") from None
    expiry = creds.expiry.replace(tzinfo=UTC) if creds.expiry else None
    return store_token(app, account, {
        "access_token": creds.token, "refresh_token": creds.refresh_token,
        "expiry": expiry.isoformat(timespec="seconds") if expiry else None,
        "scopes": list(creds.scopes or SCOPES), "client_id": client["client_id"],
    })


def store_token(app: App, account: Account, token: dict[str, Any]) -> Path:
    return credentials.save(app.db, PROVIDER, account, token, scopes=" ".join(token.get("scopes") or SCOPES),
                            expires_at=token.get("expiry"))


def access_token(app: App, account: Account, *, force_refresh: bool = False) -> str:
    """A valid access token, refreshed if it expires within a minute (or if ``force_refresh``)."""
    token = credentials.load(PROVIDER, account)
    if not token or not token.get("access_token"):
        raise Unauthorized(SERVICE, f"account '{account.nickname}' is not logged in to YouTube",
                           hint=f"run: moneyprinter youtube login --account {account.nickname}")
    if force_refresh or _expired(token):
        token = refresh(app, account, token)
    return token["access_token"]


def _expired(token: dict[str, Any]) -> bool:
    expiry = token.get("expiry")
    if not expiry:
        return False
    return datetime.fromisoformat(expiry) - timedelta(seconds=_EARLY_S) <= datetime.now(UTC)


def refresh(app: App, account: Account, token: dict[str, Any]) -> dict[str, Any]:
    if not token.get("refresh_token"):
        raise Unauthorized(SERVICE, "the saved login cannot be refreshed", hint=login_hint(account))
    client = client_config(app)
    response = app.http.post(
        app.settings.publishing.youtube_token_uri, service=SERVICE, raise_for_status=False,
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"], **client},
    )
    if response.status_code in (400, 401):
        error = _error_code(response)
        raise Unauthorized(SERVICE, f"the saved login was refused ({error}): it was revoked or has expired",
                           status=response.status_code, hint=login_hint(account))
    if response.status_code >= 400:
        from moneyprinter.http_client import translate_status

        raise translate_status(SERVICE, response)
    body = response.json()
    register_secret(body.get("access_token"))
    expires_in = int(body.get("expires_in") or 3600)
    token = {
        **token,
        "access_token": body["access_token"],
        "refresh_token": body.get("refresh_token") or token["refresh_token"],
        "expiry": (datetime.now(UTC) + timedelta(seconds=expires_in)).isoformat(timespec="seconds"),
    }
    store_token(app, account, token)
    return token


def _error_code(response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("error") or f"HTTP {response.status_code}") if isinstance(body, dict) else "refused"
