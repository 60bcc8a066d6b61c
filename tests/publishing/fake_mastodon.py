"""A local Mastodon instance: app registration, OAuth 2 (authorization code, PKCE S256), the instance's
configuration, media v2 with asynchronous processing, statuses honouring ``Idempotency-Key``, and an
account's statuses -- written from docs.joinmastodon.org (methods/apps, methods/oauth, methods/instance,
methods/media, methods/statuses, methods/accounts).

It keeps the remote truth (``statuses``) so tests can count what exists after crashes. Keys are kept for
``KEY_TTL_S`` by its own clock (``advance`` moves it, as if an hour passed). Fault injection:
``status_script`` / ``media_script`` / ``lookup_script`` (one action per request: "429", "401", "403", "422",
"500", "drop" = processed then the connection cut), ``on_received`` (the POST arrived; when the hook returns
true, the connection is cut before anything is created) and ``on_created`` / ``on_media`` (the object exists; the hook
runs before the answer).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import html
import itertools
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode

from tests.support.httpserver import LocalServer, Reply, Request

KEY_TTL_S = 3600
OUTSIDE_SCOPES = {"error": "This action is outside the authorized scopes"}
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]'}]")
TAG = re.compile(r"(?<![\w/#])#(\w+)")


def mastodon_length(text: str) -> int:
    """As Mastodon's StatusLengthValidator counts: every URL 23, grapheme clusters otherwise."""
    import grapheme

    return grapheme.length(URL.sub("x" * 23, text))


class FakeMastodon:
    def __init__(self, server: LocalServer, *, max_characters: int = 500) -> None:
        self.server = server
        self.max_characters = max_characters
        self.video_size_limit = 99 * 1024 * 1024
        self.pkce = True  # Mastodon 4.3+ publishes its OAuth metadata; older ones answer 404 there
        self.apps: dict[str, dict] = {}
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.statuses: list[dict] = []  # newest first, as the API lists them
        self.media: dict[str, dict] = {}
        self.keys: dict[tuple[str, str], tuple[str, float]] = {}
        self.offset = 0.0
        self.processing_polls = 2  # GET /api/v1/media/:id answers 206 this many times before the url is set
        self.status_script: list[str] = []
        self.media_script: list[str] = []
        self.lookup_script: list[str] = []
        self.on_received: Callable[[], bool] | None = None
        self.on_created: Callable[[], None] | None = None
        self.on_media: Callable[[], None] | None = None
        self.instance_calls = 0
        self.account = {"id": "109", "username": "owlbot", "acct": "owlbot", "display_name": "Owl bot",
                        "url": f"{server.base_url}/@owlbot"}
        self._ids = itertools.count(110000)
        self._lock = threading.Lock()
        routes = {
            ("GET", "/.well-known/oauth-authorization-server"): self._metadata,
            ("POST", "/api/v1/apps"): self._apps,
            ("GET", "/oauth/authorize"): self._authorize,
            ("POST", "/oauth/token"): self._token,
            ("GET", "/api/v1/accounts/verify_credentials"): self._verify_credentials,
            ("GET", "/api/v2/instance"): self._instance,
            ("POST", "/api/v2/media"): self._upload,
            ("GET", "/api/v1/media/*"): self._media_status,
            ("POST", "/api/v1/statuses"): self._post_status,
            ("GET", "/api/v1/accounts/*"): self._account_statuses,
        }
        for (method, path), handler in routes.items():
            server.route(method, path, handler)

    # --- test helpers ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the instance's clock: keys older than an hour are forgotten, as Mastodon's are."""
        self.offset += seconds

    def issue_token(self, scopes: str = "read:accounts read:statuses write:statuses write:media") -> str:
        token = "tok-" + secrets.token_hex(8)
        self.tokens[token] = {"scopes": set(scopes.split())}
        return token

    def texts(self) -> list[str]:
        """The statuses' text, oldest first."""
        return [s["text"] for s in reversed(self.statuses)]

    # --- OAuth ----------------------------------------------------------------------------------------

    def _metadata(self, req: Request) -> Reply:
        if not self.pkce:
            return Reply(404, {"error": "Not Found"})
        base = self.base_url
        return Reply(200, {"issuer": base + "/", "authorization_endpoint": base + "/oauth/authorize",
                           "token_endpoint": base + "/oauth/token", "app_registration_endpoint": base + "/api/v1/apps",
                           "response_types_supported": ["code"], "grant_types_supported": ["authorization_code"],
                           "code_challenge_methods_supported": ["S256"],
                           "scopes_supported": ["read", "write", "read:accounts", "read:statuses",
                                                "write:statuses", "write:media", "profile"]})

    def _apps(self, req: Request) -> Reply:
        form = _form(req)
        redirect = form.get("redirect_uris")
        if not form.get("client_name") or not redirect:
            return Reply(422, {"error": "Validation failed: Application name can't be blank"})
        uris = redirect if isinstance(redirect, list) else str(redirect).split()
        client_id = secrets.token_urlsafe(16)
        app = {"id": str(len(self.apps) + 1), "name": form["client_name"], "client_id": client_id,
               "client_secret": secrets.token_urlsafe(24), "redirect_uris": uris, "redirect_uri": "\n".join(uris),
               "scopes": str(form.get("scopes") or "read").split(), "website": form.get("website"),
               "client_secret_expires_at": 0}
        self.apps[client_id] = app
        return Reply(200, app)

    def _authorize(self, req: Request) -> Reply:
        """The person signs in and presses Authorize: the browser is sent back with a code."""
        q = {k: v[0] for k, v in req.query.items()}
        app = self.apps.get(q.get("client_id", ""))
        if app is None or q.get("redirect_uri") not in app["redirect_uris"] or q.get("response_type") != "code":
            return Reply(400, "<p>The redirect URI included is not valid.</p>")
        scopes = set(q.get("scope", "read").split())
        if not scopes <= set(app["scopes"]):
            return Reply(400, "<p>The requested scope is invalid, unknown, or malformed.</p>")
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"client_id": app["client_id"], "redirect_uri": q["redirect_uri"], "scopes": scopes,
                            "challenge": q.get("code_challenge"), "method": q.get("code_challenge_method")}
        target = q["redirect_uri"] + "?" + urlencode({"code": code, **({"state": q["state"]} if "state" in q else {})})
        return Reply(302, "", {"Location": target})

    def _token(self, req: Request) -> Reply:
        form = _form(req)
        app = self.apps.get(form.get("client_id", ""))
        if app is None or form.get("client_secret") != app["client_secret"]:
            return Reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        grant = self.codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None or grant["client_id"] != app["client_id"] \
                or form.get("redirect_uri") != grant["redirect_uri"]:
            return Reply(400, {"error": "invalid_grant", "error_description": "The provided authorization grant is invalid"})
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant["method"] != "S256" or digest != grant["challenge"]:
                return Reply(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
        scope = " ".join(sorted(grant["scopes"]))
        token = self.issue_token(scope)
        return Reply(200, {"access_token": token, "token_type": "Bearer", "scope": scope, "created_at": int(self.now())})

    def _scoped(self, req: Request, *needed: str) -> Reply | None:
        auth = req.header("Authorization") or ""
        token = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if token is None:
            return Reply(401, {"error": "The access token is invalid"})
        if not any(s in token["scopes"] or s.split(":")[0] in token["scopes"] for s in needed):
            return Reply(403, OUTSIDE_SCOPES)
        return None

    def _verify_credentials(self, req: Request) -> Reply:
        refused = self._scoped(req, "read:accounts", "profile")
        return refused or Reply(200, self.account, self._limits())

    # --- instance -------------------------------------------------------------------------------------

    def _instance(self, req: Request) -> Reply:
        self.instance_calls += 1
        return Reply(200, {
            "domain": "127.0.0.1", "title": "Fake instance", "version": "4.3.0",
            "configuration": {
                "urls": {"streaming": "wss://127.0.0.1"},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                "statuses": {"max_characters": self.max_characters, "max_media_attachments": 4,
                             "characters_reserved_per_url": 23},
                "media_attachments": {"supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp",
                                                               "video/mp4", "video/quicktime", "video/webm"],
                                      "image_size_limit": 16777216, "image_matrix_limit": 33177600,
                                      "video_size_limit": self.video_size_limit, "video_frame_rate_limit": 120,
                                      "video_matrix_limit": 8294400},
            }})

    # --- media ----------------------------------------------------------------------------------------

    def _upload(self, req: Request) -> Reply:
        refused = self._scoped(req, "write:media")
        if refused:
            return refused
        action = self.media_script.pop(0) if self.media_script else "ok"
        if action != "ok" and action != "drop":
            return _fault(action, self._limits(remaining=0))
        fields, files = _multipart(req)
        if "file" not in files:
            return Reply(422, {"error": "Validation failed: File can't be blank"})
        name, content_type, data = files["file"]
        media_id = str(next(self._ids))
        with self._lock:
            self.media[media_id] = {"id": media_id, "type": "video" if content_type.startswith("video/") else "image",
                                    "bytes": data, "content_type": content_type,
                                    "description": fields.get("description"), "polls": self.processing_polls,
                                    "attached": False}
        if self.on_media:
            self.on_media()
        if action == "drop":
            return Reply(drop=True)
        return Reply(202 if self.media[media_id]["polls"] > 0 else 200, self._media_json(media_id))

    def _media_status(self, req: Request) -> Reply:
        refused = self._scoped(req, "write:media")
        if refused:
            return refused
        media = self.media.get(req.path.rsplit("/", 1)[-1])
        if media is None:
            return Reply(404, {"error": "Record not found"})
        if media["polls"] > 0:
            body = self._media_json(media["id"])  # still processing: no url yet
            media["polls"] -= 1
            return Reply(206, body)
        return Reply(200, self._media_json(media["id"]))

    def _media_json(self, media_id: str) -> dict:
        media = self.media[media_id]
        ready = media["polls"] <= 0
        url = f"{self.base_url}/system/media_attachments/{media_id}/original.{media['content_type'].split('/')[1]}"
        return {"id": media_id, "type": media["type"], "url": url if ready else None,
                "preview_url": f"{self.base_url}/system/media_attachments/{media_id}/small.png",
                "remote_url": None, "meta": {}, "description": media["description"], "blurhash": "UFBWY:8_0Jxv"}

    # --- statuses -------------------------------------------------------------------------------------

    def _post_status(self, req: Request) -> Reply:
        refused = self._scoped(req, "write:statuses")
        if refused:
            return refused
        action = self.status_script.pop(0) if self.status_script else "ok"
        if action not in ("ok", "drop"):
            return _fault(action, self._limits(remaining=0))
        if self.on_received and self.on_received():  # it arrived; the sender dies before anything is stored
            return Reply(drop=True)
        key = req.header("Idempotency-Key")
        with self._lock:
            kept = self.keys.get(("109", key)) if key else None
            if kept and self.now() - kept[1] < KEY_TTL_S:
                return Reply(200, self._status_json(self._find(kept[0])), self._limits())
            form = _form(req)
            text = str(form.get("status") or "")
            media_ids = [str(m) for m in form.get("media_ids") or []]
            problem = self._invalid(text, media_ids, form.get("in_reply_to_id"))
            if problem:
                return Reply(422, {"error": problem})
            status = {"id": str(next(self._ids)), "text": text, "created": self.now(),
                      "in_reply_to_id": form.get("in_reply_to_id"), "media_ids": media_ids,
                      "visibility": form.get("visibility") or "public", "key": key,
                      "language": form.get("language")}
            for media_id in media_ids:
                self.media[media_id]["attached"] = True
            self.statuses.insert(0, status)
            if key:
                self.keys[("109", key)] = (status["id"], self.now())
        if self.on_created:
            self.on_created()
        if action == "drop":  # created, and the answer never arrives
            return Reply(drop=True)
        return Reply(200, self._status_json(status), self._limits())

    def _invalid(self, text: str, media_ids: list[str], reply_to) -> str | None:
        if not text.strip() and not media_ids:
            return "Validation failed: Text can't be blank"
        if mastodon_length(text) > self.max_characters:
            return f"Validation failed: Text character limit of {self.max_characters} exceeded"
        for media_id in media_ids:
            media = self.media.get(media_id)
            if media is None or media["attached"]:
                return "Validation failed: Media attachments are invalid"
            if media["polls"] > 0:
                return "Cannot attach files that have not finished processing. Try again in a moment!"
        if reply_to and self._find(str(reply_to)) is None:
            return "Validation failed: In reply to is invalid"
        return None

    def _find(self, status_id: str) -> dict | None:
        return next((s for s in self.statuses if s["id"] == status_id), None)

    def _status_json(self, status: dict) -> dict:
        created = datetime.fromtimestamp(status["created"], UTC).isoformat(timespec="milliseconds")
        return {"id": status["id"], "created_at": created.replace("+00:00", "Z"),
                "in_reply_to_id": status["in_reply_to_id"], "visibility": status["visibility"],
                "uri": f"{self.base_url}/users/owlbot/statuses/{status['id']}",
                "url": f"{self.base_url}/@owlbot/{status['id']}", "content": as_html(status["text"], self.base_url),
                "account": self.account, "language": status["language"],
                "media_attachments": [self._media_json(m) for m in status["media_ids"]]}

    def _account_statuses(self, req: Request) -> Reply:
        if req.path == "/api/v1/accounts/verify_credentials":
            return self._verify_credentials(req)
        match = re.fullmatch(r"/api/v1/accounts/(\w+)/statuses", req.path)
        if not match:
            return Reply(404, {"error": "Record not found"})
        refused = self._scoped(req, "read:statuses")
        if refused:
            return refused
        action = self.lookup_script.pop(0) if self.lookup_script else "ok"
        if action != "ok":
            return _fault(action, self._limits(remaining=0))
        if match.group(1) != self.account["id"]:
            return Reply(404, {"error": "Record not found"})
        limit = min(int(req.query.get("limit", ["20"])[0]), 40)
        found = self.statuses
        if "max_id" in req.query:
            found = [s for s in found if int(s["id"]) < int(req.query["max_id"][0])]
        return Reply(200, [self._status_json(s) for s in found[:limit]], self._limits())

    def _limits(self, remaining: int = 299) -> dict[str, str]:
        reset = datetime.fromtimestamp(self.now() + 300, UTC).isoformat(timespec="milliseconds")
        return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": reset.replace("+00:00", "Z")}


def as_html(text: str, base: str) -> str:
    """The status text as Mastodon renders it: paragraphs, line breaks, linked URLs with hidden parts, hashtags."""
    def render(part: str) -> str:
        out, last = [], 0
        for match in URL.finditer(part):
            out.append(_tags(html.escape(part[last:match.start()]), base))
            url = match.group(0)
            scheme, rest = url.split("://", 1)
            out.append(f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
                       f'<span class="invisible">{scheme}://</span><span class="ellipsis">{html.escape(rest[:30])}</span>'
                       f'<span class="invisible">{html.escape(rest[30:])}</span></a>')
            last = match.end()
        out.append(_tags(html.escape(part[last:]), base))
        return "".join(out).replace("\n", "<br />")

    return "".join(f"<p>{render(p)}</p>" for p in re.split(r"\n\s*\n", text.strip()))


def _tags(escaped: str, base: str) -> str:
    return TAG.sub(lambda m: f'<a href="{base}/tags/{m.group(1).lower()}" class="mention hashtag" rel="tag">'
                             f'#<span>{m.group(1)}</span></a>', escaped)


def _fault(action: str, headers: dict[str, str]) -> Reply:
    bodies = {"401": {"error": "The access token is invalid"}, "403": OUTSIDE_SCOPES,
              "422": {"error": "Validation failed: Text character limit of 500 exceeded"},
              "429": {"error": "Too many requests"}}
    status = int(action)
    body = bodies.get(action, {"error": "We're sorry, but something went wrong on our end."})
    return Reply(status, body, headers if status == 429 else {})


def _form(req: Request) -> dict:
    """A JSON or form-encoded body (Mastodon takes either); ``name[]`` keys become lists."""
    content_type = req.header("Content-Type") or ""
    if "json" in content_type:
        return req.json() or {}
    out: dict = {}
    for key, values in parse_qs(req.body.decode()).items():
        if key.endswith("[]"):
            out[key[:-2]] = values
        else:
            out[key] = values[0]
    return out


def _multipart(req: Request) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
    head = b"Content-Type: " + (req.header("Content-Type") or "").encode() + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + req.body)
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename:
            files[name] = (filename, part.get_content_type(), data)
        else:
            fields[name] = data.decode()
    return fields, files


def authorize_in_browser(authorize_url: str) -> str:
    """What the person's browser does: open the authorize page, press Authorize, follow the redirect to the
    loopback address; returns the loopback page's text."""
    import requests

    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = requests.get(answer.headers["Location"], timeout=10)
    return back.text

