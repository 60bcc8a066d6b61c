"""A local peer speaking TikTok's Login Kit (desktop, PKCE) and Content Posting API, from TikTok's docs.

- ``GET /v2/auth/authorize/`` answers like the consent page after the user allowed access: a redirect
  to the loopback ``redirect_uri`` with ``code`` and ``state``; ``POST /v2/oauth/token/`` exchanges the
  code (the PKCE verifier must hash, SHA-256 in hex as TikTok's desktop flow wants, to the challenge)
  and rotates refresh tokens.
- ``creator_info/query``, ``video/init`` (direct post), ``inbox/video/init`` (upload to the inbox),
  ``PUT`` of chunks to the ``upload_url`` (``Content-Range``, chunk sizes as the media transfer guide
  requires, sequential), ``status/fetch`` going PROCESSING_UPLOAD -> PUBLISH_COMPLETE (or
  SEND_TO_USER_INBOX), ``/v2/user/info/``.
- Errors in TikTok's envelope: ``{"data": {}, "error": {"code", "message", "log_id"}}``; 6 init
  requests a minute per token, then 429 ``rate_limit_exceeded``; an unaudited client may post only
  ``SELF_ONLY``.

Fault injection: ``script[endpoint]`` is a list of actions for the next calls ("429", "401", "403",
"500", "drop": processed, then the connection is cut; "cut": cut before anything is processed);
hooks ``on_creator_info``, ``on_init``, ``on_put`` (before storing), ``on_chunk`` and ``on_status`` run after the work is done and
before the answer is sent (tests SIGKILL the publishing process there).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from tests.support.httpserver import LocalServer, Reply, Request

MB = 1024 * 1024
CLIENT_KEY = "tt-client-key"
CLIENT_SECRET = "tt-client-secret"
ALL_PRIVACY = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
INIT_PATH = "/v2/post/publish/video/init/"
INBOX_INIT_PATH = "/v2/post/publish/inbox/video/init/"
STATUS_PATH = "/v2/post/publish/status/fetch/"
CREATOR_PATH = "/v2/post/publish/creator_info/query/"


@dataclass
class Publish:
    id: str
    mode: str  # "direct" or "inbox"
    size: int
    chunk_size: int
    chunks: int
    post_info: dict
    data: bytearray = field(default_factory=bytearray)
    puts: list[tuple[int, int]] = field(default_factory=list)  # (first byte, last byte) of every PUT received
    status: str = "PROCESSING_UPLOAD"
    fail_reason: str = ""
    polls_left: int = 1  # status fetches answered PROCESSING_UPLOAD after the upload, before the post exists
    post_id: int | None = None


def error(status: int, code: str, message: str = "") -> Reply:
    return Reply(status, {"data": {}, "error": {"code": code, "message": message or code, "log_id": "202611300000FAKE"}})


def ok(data: dict) -> Reply:
    return Reply(200, {"data": data, "error": {"code": "ok", "message": "", "log_id": "202611300000FAKE"}})


def chunk_rules_broken(size: int, chunk_size: int, count: int) -> str | None:
    """What the media transfer guide forbids in these numbers, or None."""
    if size < 5 * MB:
        return None if chunk_size == size and count == 1 else "a video under 5 MB is sent whole, as one chunk"
    if size > 64 * MB and count < 2:
        return "a video over 64 MB must be sent in several chunks"
    if not 5 * MB <= chunk_size <= 64 * MB and not (count == 1 and chunk_size == size):
        return "chunk_size must be 5-64 MB"
    if count != size // chunk_size or not 1 <= count <= 1000:
        return "total_chunk_count must be video_size / chunk_size rounded down (1-1000)"
    if size - (count - 1) * chunk_size > 128 * MB:
        return "the last chunk may be at most 128 MB"
    return None


class FakeTikTok:
    def __init__(self, server: LocalServer, *, audited: bool = False) -> None:
        self.server = server
        self.audited = audited
        self.creator = {"creator_avatar_url": "https://example.invalid/a.jpg", "creator_username": "owlfacts",
                        "creator_nickname": "Owl Facts", "comment_disabled": False, "duet_disabled": True,
                        "stitch_disabled": False, "max_video_post_duration_sec": 600}
        self.tokens: dict[str, dict] = {}  # access token -> {"open_id", "scope", "expires_at"}
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> scope
        self.codes: dict[str, dict] = {}
        self.publishes: dict[str, Publish] = {}
        self.posts: list[Publish] = []  # on the profile (PUBLISH_COMPLETE)
        self.inbox: list[Publish] = []  # in the creator's inbox (SEND_TO_USER_INBOX)
        self.script: dict[str, list[str]] = {}
        self.init_times: dict[str, list[float]] = {}
        self.on_creator_info: Callable[[], None] | None = None
        self.on_init: Callable[[Publish], None] | None = None
        self.on_put: Callable[[Publish], None] | None = None  # a PUT arrived, before anything is stored
        self.on_chunk: Callable[[Publish, int], None] | None = None
        self.on_status: Callable[[Publish], None] | None = None
        self.deny_login = False
        self._ids = itertools.count(1)
        self._token_ids = itertools.count(100)  # apart from the names tests grant by hand
        self._lock = threading.Lock()
        server.route("GET", "/v2/auth/authorize/", self._authorize)
        server.route("POST", "/v2/oauth/token/", self._token)
        server.route("POST", CREATOR_PATH, self._creator_info)
        server.route("POST", INIT_PATH, lambda req: self._init(req, "direct"))
        server.route("POST", INBOX_INIT_PATH, lambda req: self._init(req, "inbox"))
        server.route("PUT", "/upload/", self._put)
        server.route("POST", STATUS_PATH, self._status)
        server.route("GET", "/v2/user/info/", self._user_info)

    # --- setup ---------------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {"tiktok_api_base_url": self.server.base_url, "tiktok_auth_url": self.server.url("/v2/auth/authorize/")}

    def grant(self, access: str = "tt-access-1", refresh: str = "tt-refresh-1",
              scope: str = "user.info.basic,video.publish,video.upload", ttl: float = 86400) -> None:
        self.tokens[access] = {"open_id": "open-1", "scope": scope, "expires_at": time.time() + ttl}
        self.refresh_tokens[refresh] = scope

    @property
    def inits(self) -> int:
        return self.server.count("POST", INIT_PATH) + self.server.count("POST", INBOX_INIT_PATH)

    # --- helpers -------------------------------------------------------------------
    def _action(self, endpoint: str) -> str:
        queue = self.script.get(endpoint) or []
        return queue.pop(0) if queue else "ok"

    def _caller(self, req: Request, scope: str | None) -> tuple[dict | None, Reply | None]:
        auth = req.header("Authorization") or ""
        token = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if token is None or token["expires_at"] < time.time():
            return None, error(401, "access_token_invalid", "The access token is invalid or not found in the request.")
        if scope and scope not in token["scope"].split(","):
            return None, error(401, "scope_not_authorized", f"The user did not authorize the scope required: {scope}")
        return {**token, "access": auth[7:]}, None

    @staticmethod
    def _scripted(action: str) -> Reply | None:
        if action == "cut":
            return Reply(drop=True)
        if action == "429":
            return error(429, "rate_limit_exceeded", "The API rate limit was exceeded.")
        if action == "401":
            return error(401, "access_token_invalid")
        if action == "403":
            return error(403, "spam_risk_too_many_posts", "The daily post cap from the API is reached.")
        if action == "500":
            return error(500, "internal_error", "Something went wrong.")
        return None

    # --- Login Kit -----------------------------------------------------------------
    def _authorize(self, req: Request) -> Reply:
        q = {k: v[0] for k, v in req.query.items()}
        redirect = q.get("redirect_uri", "")
        if q.get("client_key") != CLIENT_KEY or q.get("response_type") != "code":
            return Reply(400, "client_key or response_type is wrong")
        if not re.match(r"^http://(127\.0\.0\.1|localhost):\d+/", redirect):
            return Reply(400, "desktop redirect URIs must be loopback with a port")
        if q.get("code_challenge_method") != "S256" or not re.fullmatch(r"[0-9a-f]{64}", q.get("code_challenge", "")):
            return Reply(400, "code_challenge must be the SHA-256 of the verifier in hex (S256)")
        if self.deny_login:
            answer = {"error": "access_denied", "error_description": "The user denied the request", "state": q["state"]}
        else:
            code = f"code-{next(self._ids)}"
            self.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": redirect, "scope": q.get("scope", "")}
            answer = {"code": code, "scopes": q.get("scope", ""), "state": q.get("state", "")}
        return Reply(302, b"", {"Location": f"{redirect}?{urlencode(answer)}"})

    def _token(self, req: Request) -> Reply:
        action = self._action("token")
        scripted = self._scripted(action)
        if scripted:
            return scripted
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        if form.get("client_key") != CLIENT_KEY or form.get("client_secret") != CLIENT_SECRET:
            return Reply(401, {"error": "invalid_client", "error_description": "Client key or secret is incorrect.",
                               "log_id": "x"})
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
                return Reply(400, {"error": "invalid_grant", "error_description": "Authorization code is expired.",
                                   "log_id": "x"})
            if hashlib.sha256(form.get("code_verifier", "").encode()).hexdigest() != grant["challenge"]:
                return Reply(400, {"error": "invalid_request",
                                   "error_description": "Code verifier or code challenge is invalid.", "log_id": "x"})
            scope = grant["scope"]
        elif form.get("grant_type") == "refresh_token":
            scope = self.refresh_tokens.pop(form.get("refresh_token", ""), None)  # rotated: the old one dies
            if scope is None:
                return Reply(400, {"error": "invalid_grant", "error_description": "Refresh token is invalid or expired.",
                                   "log_id": "x"})
        else:
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "", "log_id": "x"})
        n = next(self._token_ids)
        access, refresh = f"tt-access-{n}", f"tt-refresh-{n}"
        self.grant(access, refresh, scope)
        return Reply(200, {"open_id": "open-1", "scope": scope, "access_token": access, "expires_in": 86400,
                           "refresh_token": refresh, "refresh_expires_in": 31536000, "token_type": "Bearer"})

    def _user_info(self, req: Request) -> Reply:
        _, refused = self._caller(req, "user.info.basic")
        if refused:
            return refused
        return ok({"user": {"open_id": "open-1", "display_name": self.creator["creator_nickname"]}})

    # --- Content Posting API -------------------------------------------------------
    def _creator_info(self, req: Request) -> Reply:
        scripted = self._scripted(self._action("creator_info"))
        if scripted:
            return scripted
        _, refused = self._caller(req, "video.publish")
        if refused:
            return refused
        options = ALL_PRIVACY if self.audited else ["SELF_ONLY"]
        reply = ok({**self.creator, "privacy_level_options": options})
        if self.on_creator_info:
            self.on_creator_info()
        return reply

    def _init(self, req: Request, mode: str) -> Reply:
        action = self._action("init")
        if action not in ("ok", "drop"):
            return self._scripted(action) or error(500, "internal_error")
        caller, refused = self._caller(req, "video.publish" if mode == "direct" else "video.upload")
        if refused:
            return refused
        now = time.time()
        with self._lock:
            recent = [t for t in self.init_times.get(caller["access"], []) if now - t < 60]
            if len(recent) >= 6:
                return error(429, "rate_limit_exceeded", "6 requests per minute per access token")
            self.init_times[caller["access"]] = [*recent, now]
        body = req.json() or {}
        if "charset=UTF-8" not in (req.header("Content-Type") or ""):
            return error(400, "invalid_params", "Content-Type must be application/json; charset=UTF-8")
        source = body.get("source_info") or {}
        post_info = body.get("post_info") or {}
        if source.get("source") != "FILE_UPLOAD":
            return error(400, "invalid_params", "source must be FILE_UPLOAD here")
        size, chunk_size, count = (int(source.get(k) or 0) for k in ("video_size", "chunk_size", "total_chunk_count"))
        broken = chunk_rules_broken(size, chunk_size, count)
        if broken:
            return error(400, "invalid_params", broken)
        if mode == "direct":
            privacy = post_info.get("privacy_level")
            if privacy not in ALL_PRIVACY:
                return error(400, "invalid_params", "privacy_level is required")
            if not self.audited and privacy != "SELF_ONLY":
                return error(403, "unaudited_client_can_only_post_to_private_accounts",
                             "Unaudited clients can only post to a private account")
            if len(post_info.get("title", "").encode("utf-16-le")) // 2 > 2200:
                return error(400, "invalid_params", "title is longer than 2200 runes")
        elif post_info:
            return error(400, "invalid_params", "the inbox upload takes only source_info")
        with self._lock:
            number = next(self._ids)
            publish = Publish(f"v_{'inbox' if mode == 'inbox' else 'pub'}_file~v2-1.{number}", mode, size, chunk_size,
                              count, post_info)
            self.publishes[publish.id] = publish
        if self.on_init:
            self.on_init(publish)
        if action == "drop":
            return Reply(drop=True)
        upload_url = self.server.url(f"/upload/?upload_id={number}&upload_token=tok{number}")
        return ok({"publish_id": publish.id, "upload_url": upload_url})

    def _publish_for(self, req: Request) -> Publish | None:
        number = (req.query.get("upload_id") or [""])[0]
        return next((p for p in self.publishes.values() if p.id.endswith(f".{number}")), None)

    def _put(self, req: Request) -> Reply:
        scripted = self._scripted(self._action("put"))
        if scripted:
            return scripted
        publish = self._publish_for(req)
        if publish is None or (req.query.get("upload_token") or [""])[0] != f"tok{publish.id.rsplit('.', 1)[1]}":
            return error(404, "invalid_params", "upload_url is not valid")
        if self.on_put:
            self.on_put(publish)
        if not (req.header("Content-Type") or "").startswith("video/"):
            return error(400, "invalid_params", "Content-Type must be the video's MIME type")
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", req.header("Content-Range") or "")
        if not match:
            return error(400, "invalid_params", f"bad Content-Range {req.header('Content-Range')!r}")
        first, last, total = map(int, match.groups())
        if total != publish.size or last - first + 1 != len(req.body) or int(req.header("Content-Length") or -1) != len(req.body):
            return error(400, "invalid_params", "Content-Range does not match the body or the video size")
        index, rest = divmod(first, publish.chunk_size)
        final = index == publish.chunks - 1
        expected_last = publish.size - 1 if final else first + publish.chunk_size - 1
        if rest or index >= publish.chunks or last != expected_last:
            return error(416, "invalid_params", f"bytes {first}-{last} is not chunk {index} of this upload")
        with self._lock:
            held = len(publish.data)
            if first > held:
                return error(400, "invalid_params", "chunks must be uploaded sequentially")
            publish.puts.append((first, last))
            publish.data[first:last + 1] = req.body
            complete = len(publish.data) == publish.size
            if complete and publish.data[4:8] != b"ftyp":
                publish.status, publish.fail_reason = "FAILED", "file_format_check_failed"
        if self.on_chunk:
            self.on_chunk(publish, index)
        return Reply(201 if complete else 206, b"")

    def _status(self, req: Request) -> Reply:
        scripted = self._scripted(self._action("status"))
        if scripted:
            return scripted
        _, refused = self._caller(req, None)
        if refused:
            return refused
        publish = self.publishes.get((req.json() or {}).get("publish_id", ""))
        if publish is None:
            return error(400, "invalid_params", "publish_id does not exist")
        with self._lock:
            self._advance(publish)
            data = {"status": publish.status, "uploaded_bytes": len(publish.data)}
            if publish.fail_reason:
                data["fail_reason"] = publish.fail_reason
            if publish.post_id and publish.post_info.get("privacy_level") == "PUBLIC_TO_EVERYONE":
                data["publicaly_available_post_id"] = [publish.post_id]
        if self.on_status:
            self.on_status(publish)
        return ok(data)

    def _advance(self, publish: Publish) -> None:
        """After the last byte, a few polls of processing, then the post exists (once)."""
        if publish.status != "PROCESSING_UPLOAD" or len(publish.data) < publish.size:
            return
        if publish.polls_left > 0:
            publish.polls_left -= 1
            return
        if publish.mode == "inbox":
            publish.status = "SEND_TO_USER_INBOX"
            self.inbox.append(publish)
        else:
            publish.status, publish.post_id = "PUBLISH_COMPLETE", 7300000000000000000 + len(self.posts) + 1
            self.posts.append(publish)
