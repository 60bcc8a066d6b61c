"""A local peer speaking Meta's Graph APIs for Instagram (Instagram Login) and Threads, from Meta's docs.

Both networks publish in two steps: ``POST /{user}/media`` (Threads: ``/{user}/threads``) creates a
container, ``GET /{container}?fields=status_code`` (Threads: ``status``) reports IN_PROGRESS until the
video is processed, then FINISHED; ``POST /{user}/media_publish`` (Threads: ``threads_publish``) with
``creation_id`` publishes it (the container becomes PUBLISHED). ``GET /{user}/media`` (``threads``)
lists what is public, ``/{user}/content_publishing_limit`` (``threads_publishing_limit``) reports
``quota_usage`` and ``config.quota_total``. Errors use the Graph envelope
``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``.

Threads replies (Meta's "Create Replies"): a container made with ``reply_to_id`` (the id of a published
post) is published as a reply to it; ``GET /{user}/threads`` lists top-level posts only and
``GET /{user}/replies`` the user's replies, each with ``replied_to`` and ``root_post``.

``on_publish_received`` runs when a publish call arrives, which then is never acted on (unless the hook
returns False: "not this call").
``script[op]`` injects faults into the next calls of an operation (create, status, publish, list,
limit, me, permalink): "190" (token refused), "429", "rate" (code 4), "perm" (code 10), "500",
"drop" (the call is processed, then the connection is cut). ``on_created``/``on_published`` run
after the remote object exists and before the answer is sent (tests kill the publisher there).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.support.httpserver import LocalServer, Reply, Request

NETWORKS = {
    "instagram": {"prefix": "/v23.0", "create": "media", "publish": "media_publish", "list": "media",
                  "limit": "content_publishing_limit", "status_field": "status_code", "text": "caption",
                  "grant": "ig_exchange_token", "refresh": "ig_refresh_token", "quota": 50,
                  "scopes": "instagram_business_basic,instagram_business_content_publish",
                  "permalink": "https://www.instagram.com/reel/{id}/"},
    "threads": {"prefix": "/v1.0", "create": "threads", "publish": "threads_publish", "list": "threads",
                "limit": "threads_publishing_limit", "status_field": "status", "text": "text",
                "grant": "th_exchange_token", "refresh": "th_refresh_token", "quota": 250,
                "scopes": "threads_basic,threads_content_publish",
                "permalink": "https://www.threads.net/@meta_tester/post/{id}"},
}
APP_ID, APP_SECRET = "1234567890", "app-secret-xyz"


def graph_error(code: int, message: str, *, status: int = 400, subcode: int | None = None,
                kind: str = "OAuthException", headers: dict | None = None) -> Reply:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEfG123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return Reply(status, {"error": error}, headers=headers or {})


FAULTS = {
    "190": lambda: graph_error(190, "Error validating access token: Session has expired.", status=401),
    "429": lambda: graph_error(4, "Application request limit reached", status=429,
                               headers={"X-Business-Use-Case-Usage": '{"1": [{"estimated_time_to_regain_access": 7}]}'}),
    "rate": lambda: graph_error(4, "Application request limit reached",
                                headers={"X-Business-Use-Case-Usage": '{"1": [{"estimated_time_to_regain_access": 7}]}'}),
    "perm": lambda: graph_error(10, "Application does not have permission for this action", status=403),
    "500": lambda: graph_error(1, "An unknown error has occurred.", status=500),
}


class FakeMeta:
    def __init__(self, server: LocalServer, network: str, *, user_id: str = "17841400000000001",
                 media_files: Callable[[str], bytes | None] | None = None) -> None:
        self.server, self.network, self.user_id = server, network, user_id
        self.n = NETWORKS[network]
        self.prefix = self.n["prefix"]
        self.tokens = {"long-token-1"}
        self.codes: dict[str, str] = {}  # authorization code -> redirect_uri it was issued for
        self.media_files = media_files or (lambda url: None)  # what Meta's crawler finds at a video_url
        self.containers: dict[str, dict] = {}
        self.media: list[dict] = []  # published, newest last
        self.script: dict[str, list[str]] = {}
        self.polls_to_finish = 2
        self.container_error: str | None = None  # e.g. "ERROR" makes video containers fail
        self.quota_usage = 0
        self.list_hidden = False  # the media list lags: published media not shown yet
        self.on_created: Callable[[], None] | None = None
        self.on_published: Callable[[], None] | None = None
        self.on_publish_received: Callable[[], None] | None = None
        self.on_status: Callable[[], None] | None = None  # a container's status is asked for
        self.on_permalink: Callable[[], None] | None = None  # a published post's address is asked for
        self._ids = itertools.count(17900000000000001)
        self._lock = threading.Lock()
        server.route("GET", self.prefix + "/*", self._get)
        server.route("POST", self.prefix + "/*", self._post)
        server.route("GET", "/oauth/authorize", self._authorize)
        server.route("POST", "/oauth/access_token", self._code_exchange)
        server.route("GET", "/access_token", self._long_lived)
        server.route("GET", "/refresh_access_token", self._refresh)

    # --- what tests configure and read --------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.server.url(self.prefix)

    def settings(self) -> dict[str, str]:
        if self.network == "instagram":
            return {"instagram_graph_base_url": self.base_url, "instagram_oauth_url": self.server.url("/oauth/authorize"),
                    "instagram_token_url": self.server.url("/oauth/access_token")}
        return {"threads_graph_base_url": self.base_url, "threads_oauth_url": self.server.url("/oauth/authorize")}

    @property
    def api_requests(self) -> int:
        return len(self.server.requests)

    def published(self) -> list[dict]:
        return [m for m in self.media]

    # --- plumbing -------------------------------------------------------------------------------

    def _params(self, req: Request) -> dict[str, str]:
        params = {k: v[-1] for k, v in req.query.items()}
        kind = req.header("Content-Type") or ""
        if "json" in kind and req.body:
            params.update({k: str(v) for k, v in req.json().items()})
        elif req.body:
            params.update({k: v[-1] for k, v in parse_qs(req.body.decode()).items()})
        return params

    def _token_ok(self, params: dict, req: Request) -> bool:
        token = params.get("access_token") or (req.header("Authorization") or "").removeprefix("Bearer ")
        return token in self.tokens

    def _fault(self, op: str) -> str | None:
        queue = self.script.get(op)
        return queue.pop(0) if queue else None

    def _new_id(self) -> str:
        return str(next(self._ids))

    # --- Graph API ------------------------------------------------------------------------------

    def _get(self, req: Request) -> Reply:
        params = self._params(req)
        parts = req.path[len(self.prefix) + 1:].strip("/").split("/")
        if not self._token_ok(params, req):
            return FAULTS["190"]()
        if parts == ["me"]:
            return self._answer("me", lambda: {"id": self.user_id, "user_id": self.user_id, "username": "meta_tester"})
        if len(parts) == 2 and parts[0] == self.user_id and parts[1] == self.n["list"]:
            return self._answer("list", self._list)
        if len(parts) == 2 and parts[0] == self.user_id and parts[1] == "replies" and self.network == "threads":
            return self._answer("list", self._replies)
        if len(parts) == 2 and parts[0] == self.user_id and parts[1] == self.n["limit"]:
            return self._answer("limit", lambda: {"data": [{"quota_usage": self.quota_usage, "config": {
                "quota_total": self.n["quota"], "quota_duration": 86400}}]})
        if len(parts) == 1 and parts[0] in self.containers:
            return self._answer("status", lambda: self._status(parts[0]))
        if len(parts) == 1 and any(m["id"] == parts[0] for m in self.media):
            if self.on_permalink:
                self.on_permalink()
            return self._answer("permalink", lambda: {"id": parts[0], "permalink": self.n["permalink"].format(id=parts[0])})
        return graph_error(100, f"Unsupported get request. Object with ID '{parts[0]}' does not exist", kind="GraphMethodException")

    def _answer(self, op: str, body: Callable[[], dict]) -> Reply:
        fault = self._fault(op)
        if fault and fault != "drop":
            return FAULTS[fault]()
        return Reply(200, body(), drop=fault == "drop")

    def _list(self) -> dict:
        shown = [] if self.list_hidden else [m for m in reversed(self.media) if not m.get("reply_to")]
        return {"data": [{"id": m["id"], self.n["text"]: m["text"], "timestamp": m["timestamp"]} for m in shown]}

    def _replies(self) -> dict:
        shown = [] if self.list_hidden else [m for m in reversed(self.media) if m.get("reply_to")]
        return {"data": [{"id": m["id"], "text": m["text"], "timestamp": m["timestamp"], "is_reply": True,
                          "replied_to": {"id": m["reply_to"]}, "root_post": {"id": self._root(m)["id"]}}
                         for m in shown]}

    def _root(self, media: dict) -> dict:
        while media.get("reply_to"):
            media = next(m for m in self.media if m["id"] == media["reply_to"])
        return media

    def _status(self, cid: str) -> dict:
        if self.on_status:
            self.on_status()
        with self._lock:
            box = self.containers[cid]
            if box["status"] == "IN_PROGRESS":
                box["polls"] += 1
                if box["polls"] >= self.polls_to_finish:
                    box["status"] = box["final"]
            status = box["status"]
        body = {"id": cid, self.n["status_field"]: status}
        reason = "FAILED_DOWNLOADING_VIDEO" if box["video_missing"] else "FAILED_PROCESSING_VIDEO"
        if self.network == "instagram":
            body["status"] = f"Error: {reason}" if status == "ERROR" else status.title()
        elif status == "ERROR":
            body["error_message"] = reason
        return body

    def _post(self, req: Request) -> Reply:
        params = self._params(req)
        parts = req.path[len(self.prefix) + 1:].strip("/").split("/")
        if not self._token_ok(params, req):
            return FAULTS["190"]()
        if len(parts) != 2 or parts[0] != self.user_id:
            return graph_error(100, "Unsupported post request", kind="GraphMethodException")
        if parts[1] == self.n["create"]:
            return self._create(params)
        if parts[1] == self.n["publish"]:
            return self._publish(params)
        return graph_error(100, "Unsupported post request", kind="GraphMethodException")

    def _create(self, params: dict) -> Reply:
        fault = self._fault("create")
        if fault and fault != "drop":
            return FAULTS[fault]()
        kind = params.get("media_type", "")
        allowed = ("REELS",) if self.network == "instagram" else ("TEXT", "VIDEO", "IMAGE")
        if kind not in allowed:
            return graph_error(100, f"Invalid parameter: media_type {kind!r}")
        video_url = params.get("video_url")
        if kind in ("REELS", "VIDEO") and not (video_url or "").startswith("https://"):
            return graph_error(100, "Invalid parameter: video_url must be a public https URL", subcode=2207052)
        if kind == "TEXT" and not params.get("text"):
            return graph_error(100, "Invalid parameter: text is required for TEXT posts")
        reply_to = params.get("reply_to_id") if self.network == "threads" else None
        if reply_to and not any(m["id"] == reply_to for m in self.media):
            return graph_error(100, f"Invalid parameter: reply_to_id {reply_to!r} is not a published post")
        missing = kind != "TEXT" and self.media_files(video_url) is None
        with self._lock:
            cid = self._new_id()
            self.containers[cid] = {
                "id": cid, "media_type": kind, "video_url": video_url, "text": params.get(self.n["text"], ""),
                "status": "IN_PROGRESS" if kind != "TEXT" else "FINISHED", "polls": 0,
                "final": "ERROR" if (missing or self.container_error) else "FINISHED", "video_missing": missing,
                "reply_to": reply_to,
            }
        if self.on_created:
            self.on_created()
        return Reply(200, {"id": cid}, drop=fault == "drop")

    def _publish(self, params: dict) -> Reply:
        if self.on_publish_received and self.on_publish_received() is not False:
            return Reply(drop=True)  # the caller died before Meta acted on the call: nothing is published
        fault = self._fault("publish")
        if fault and fault != "drop":
            return FAULTS[fault]()
        cid = params.get("creation_id", "")
        with self._lock:
            box = self.containers.get(cid)
            if box is None:
                return graph_error(100, f"Invalid parameter: creation_id {cid!r} does not exist")
            if box["status"] == "PUBLISHED":
                return graph_error(9007, "The media has already been published", subcode=2207008)
            if box["status"] != "FINISHED":
                return graph_error(9007, "Media ID is not available", subcode=2207027)
            if self.quota_usage >= self.n["quota"]:
                return graph_error(9, "Application request limit reached", subcode=2207042)
            media = {"id": self._new_id(), "text": box["text"], "container": cid, "reply_to": box["reply_to"],
                     "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")}
            self.media.append(media)
            box["status"] = "PUBLISHED"
            self.quota_usage += 1
        if self.on_published:
            self.on_published()
        return Reply(200, {"id": media["id"]}, drop=fault == "drop")

    # --- OAuth ----------------------------------------------------------------------------------

    def _authorize(self, req: Request) -> Reply:
        """The authorization window, already approved: redirect to redirect_uri with a code (Meta appends #_)."""
        params = self._params(req)
        if params.get("client_id") != APP_ID or params.get("response_type") != "code":
            return Reply(400, "Invalid request: bad client_id or response_type")
        if not set(self.n["scopes"].split(",")) <= set(params.get("scope", "").split(",")):
            return Reply(400, f"scope must include {self.n['scopes']}")
        code = f"code-{self._new_id()}"
        self.codes[code] = params["redirect_uri"]
        query = urlencode({"code": code, "state": params.get("state", "")})
        return Reply(302, "", headers={"Location": f"{params['redirect_uri']}?{query}#_"})

    def _code_exchange(self, req: Request) -> Reply:
        params = self._params(req)
        if params.get("client_id") != APP_ID or params.get("client_secret") != APP_SECRET:
            return graph_error(101, "Error validating client secret.")
        code = params.get("code", "")
        if params.get("grant_type") != "authorization_code" or self.codes.pop(code, None) != params.get("redirect_uri"):
            return graph_error(100, "Invalid authorization code or redirect_uri", subcode=36009)
        self.tokens.add("short-token-1")
        if self.network == "instagram":  # Instagram Login answers in a data list
            return Reply(200, {"data": [{"access_token": "short-token-1", "user_id": self.user_id,
                                         "permissions": self.n["scopes"]}]})
        return Reply(200, {"access_token": "short-token-1", "user_id": self.user_id})

    def _long_lived(self, req: Request) -> Reply:
        params = self._params(req)
        if params.get("grant_type") != self.n["grant"] or params.get("client_secret") != APP_SECRET:
            return graph_error(100, "Invalid grant_type or client_secret")
        if params.get("access_token") != "short-token-1":
            return FAULTS["190"]()
        self.tokens.add("long-token-2")
        return Reply(200, {"access_token": "long-token-2", "token_type": "bearer", "expires_in": 5183944})

    def _refresh(self, req: Request) -> Reply:
        """A long-lived token, unexpired, for another 60 days."""
        params = self._params(req)
        if params.get("grant_type") != self.n["refresh"]:
            return graph_error(100, "Invalid grant_type")
        if params.get("access_token") not in self.tokens:
            return FAULTS["190"]()
        self.tokens.add("long-token-3")
        return Reply(200, {"access_token": "long-token-3", "token_type": "bearer", "expires_in": 5183944})


def media_files_under(root, public_base: str) -> Callable[[str], bytes | None]:
    """Meta's crawler: a video_url under ``public_base`` maps to the file under ``root`` (None: a 404)."""
    from pathlib import Path
    from urllib.parse import unquote

    def fetch(url: str | None) -> bytes | None:
        if not url or not url.startswith(public_base.rstrip("/") + "/"):
            return None
        relative = unquote(urlsplit(url).path[len(urlsplit(public_base).path.rstrip("/")) + 1:])
        path = Path(root) / relative
        return path.read_bytes() if path.is_file() else None

    return fetch
