"""Local peers speaking YouTube's resumable upload protocol and the X API v2 (with OAuth 1.0a checks).

They run on tests.support.httpserver.LocalServer. Each keeps the remote side's truth (videos,
posts) so tests can assert that exactly one remote item exists after crashes and retries.
``on_created`` is called after the remote item exists and before the answer is sent: tests use it
to kill the publishing process in that window.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, quote, unquote, urlencode

from oauthlib.oauth1.rfc5849 import signature as oauth_sig

from tests.support.httpserver import LocalServer, Reply, Request

YOUTUBE_SCOPES = ("https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly")
QUOTA_BODY = {"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your quota.",
                        "errors": [{"reason": "quotaExceeded", "domain": "youtube.quota"}]}}


class FakeYouTube:
    def __init__(self, server: LocalServer, *, chunk_ok: int = 256 * 1024) -> None:
        self.server = server
        self.valid_tokens = {"access-1"}
        self.refresh_tokens = {"refresh-1": "access-2"}
        self.sessions: dict[str, dict] = {}
        self.videos: list[dict] = []
        self.put_script: list[str] = []  # actions for the next data PUTs: "503", "cut", "400", "ok"
        self.query_script: list[str] = []
        self.init_script: list[str] = []  # "quota", "401"
        self.list_script: list[str] = []  # answers for the next playlistItems lookups: "403", "503"
        self.on_created: Callable[[], None] | None = None
        self.on_session: Callable[[], None] | None = None  # after a session is created, before its answer
        self.on_chunk: Callable[[int], None] | None = None  # after a chunk is stored (bytes held), before its answer
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        server.route("POST", "/upload/youtube/v3/videos", self._init)
        server.route("PUT", "/upload/session/*", self._put)
        server.route("POST", "/token", self._token)
        server.route("GET", "/youtube/v3/channels", self._channels)
        server.route("GET", "/youtube/v3/playlistItems", self._playlist_items)
        server.route("GET", "/youtube/v3/videos", self._videos)

    def expire_sessions(self) -> None:
        """Every upload session is gone: a status query answers 404 (as after about a week)."""
        self.sessions.clear()

    @property
    def upload_url(self) -> str:
        return self.server.url("/upload/youtube/v3/videos")

    def settings(self) -> dict[str, str]:
        return {"youtube_upload_url": self.upload_url, "youtube_token_uri": self.server.url("/token"),
                "youtube_api_base_url": self.server.url("/youtube/v3")}

    def _authorized(self, req: Request) -> bool:
        auth = req.header("Authorization") or ""
        return auth.startswith("Bearer ") and auth[7:] in self.valid_tokens

    def _init(self, req: Request) -> Reply:
        action = self.init_script.pop(0) if self.init_script else "ok"
        if action == "401" or not self._authorized(req):
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        if action == "quota":
            return Reply(403, QUOTA_BODY)
        if req.query.get("uploadType") != ["resumable"]:
            return Reply(400, {"error": {"message": "uploadType must be resumable"}})
        size = int(req.header("X-Upload-Content-Length"))
        with self._lock:
            sid = f"s{next(self._ids)}"
            self.sessions[sid] = {"size": size, "data": bytearray(), "video": None, "resource": req.json()}
        if self.on_session:
            self.on_session()
        return Reply(200, b"", {"Location": self.server.url(f"/upload/session/{sid}"), "X-GUploader-UploadID": f"up-{sid}"})

    def _put(self, req: Request) -> Reply:
        if not self._authorized(req):
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        session = self.sessions.get(req.path.rsplit("/", 1)[-1])
        if session is None:
            return Reply(404, {"error": {"message": "no such session"}})
        content_range = req.header("Content-Range") or ""
        if content_range.startswith("bytes */"):
            action = self.query_script.pop(0) if self.query_script else "ok"
            if action != "ok":
                return Reply(int(action))
            return self._state(session)
        match = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", content_range)
        if not match:
            return Reply(400, {"error": {"message": f"bad Content-Range {content_range!r}"}})
        start = int(match.group(1))
        action = self.put_script.pop(0) if self.put_script else "ok"
        if action in ("503", "500", "400", "401"):
            return Reply(int(action), {"error": {"message": f"scripted {action}"}})
        with self._lock:
            if start != len(session["data"]):  # not contiguous: report what we hold
                return self._state(session)
            if action == "cut":  # keep half of the chunk, then drop the connection
                session["data"] += req.body[: len(req.body) // 2]
                return Reply(drop=True)
            session["data"] += req.body
            if len(session["data"]) >= session["size"] and session["video"] is None:
                session["video"] = {"id": f"vid{len(self.videos) + 1}",
                                    "snippet": {**session["resource"]["snippet"], "publishedAt": _rfc3339()},
                                    "status": session["resource"]["status"],
                                    "fileDetails": {"fileSize": str(session["size"])}}
                self.videos.append(session["video"])
                created = True
            else:
                created = False
        if not created and self.on_chunk:
            self.on_chunk(len(session["data"]))
        if created and self.on_created:
            self.on_created()
        return self._state(session)

    @staticmethod
    def _state(session) -> Reply:
        if session["video"] is not None:
            return Reply(200, session["video"])
        held = len(session["data"])
        return Reply(308, b"", {"Range": f"bytes=0-{held - 1}"} if held else {})

    def _token(self, req: Request) -> Reply:
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        if form.get("grant_type") == "authorization_code":  # the installed-app login's code exchange
            basic = req.header("Authorization") or ""
            secret = form.get("client_secret") or (
                base64.b64decode(basic[6:]).decode().split(":", 1)[1] if basic.startswith("Basic ") else "")
            if form.get("code") != "auth-code-1" or secret != "csecret":
                return Reply(400, {"error": "invalid_grant"})
            self.valid_tokens.add("access-1")
            return Reply(200, {"access_token": "access-1", "refresh_token": "refresh-1", "expires_in": 3599,
                               "token_type": "Bearer", "scope": " ".join(YOUTUBE_SCOPES)})
        access = self.refresh_tokens.get(form.get("refresh_token", ""))
        if form.get("grant_type") != "refresh_token" or access is None or form.get("client_secret") != "csecret":
            return Reply(400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."})
        self.valid_tokens.add(access)
        return Reply(200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer"})

    def _channels(self, req: Request) -> Reply:
        if not self._authorized(req):
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        if req.query.get("mine") != ["true"]:
            return Reply(400, {"error": {"message": "mine=true expected"}})
        return Reply(200, {"items": [{"id": "UC123", "snippet": {"title": "Test Channel"},
                                      "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU123"}}}]})

    def _playlist_items(self, req: Request) -> Reply:
        """playlistItems.list: the channel's uploads playlist, newest first (snippet, contentDetails)."""
        if not self._authorized(req):
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        action = self.list_script.pop(0) if self.list_script else "ok"
        if action != "ok":
            return Reply(int(action), {"error": {"code": int(action), "message": f"scripted {action}"}})
        if req.query.get("playlistId") != ["UU123"]:
            return Reply(404, {"error": {"code": 404, "errors": [{"reason": "playlistNotFound"}]}})
        limit = int(req.query.get("maxResults", ["5"])[0])
        items = [{"kind": "youtube#playlistItem", "id": f"pi-{v['id']}",
                  "snippet": {"title": v["snippet"]["title"], "publishedAt": v["snippet"]["publishedAt"],
                              "resourceId": {"kind": "youtube#video", "videoId": v["id"]}},
                  "contentDetails": {"videoId": v["id"], "videoPublishedAt": v["snippet"]["publishedAt"]}}
                 for v in reversed(self.videos)]
        return Reply(200, {"kind": "youtube#playlistItemListResponse", "items": items[:limit],
                           "pageInfo": {"totalResults": len(items), "resultsPerPage": limit}})

    def _videos(self, req: Request) -> Reply:
        """videos.list by id; fileDetails (the uploaded file's size) is shown to the owner."""
        if not self._authorized(req):
            return Reply(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
        wanted = set(",".join(req.query.get("id", [""])).split(","))
        parts = set(",".join(req.query.get("part", [""])).split(","))
        items = [{"id": v["id"], **{k: v[k] for k in ("snippet", "status", "fileDetails") if k in parts}}
                 for v in self.videos if v["id"] in wanted]
        return Reply(200, {"kind": "youtube#videoListResponse", "items": items})


def _rfc3339() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


X_KEYS = {"consumer_key": "ck-test", "consumer_secret": "cs-test-secret",
          "access_token": "at-test", "access_token_secret": "ats-test-secret"}


def _as_x_shows(text: str) -> str:
    """X returns texts HTML-escaped and with every link replaced by a t.co link."""
    from twitter_text import extract_urls_with_indices

    out, last = [], 0
    for n, (start, end) in enumerate(u["indices"] for u in extract_urls_with_indices(text)):
        out += [text[last:start], f"https://t.co/Ab{n}Cd{n}"]
        last = end
    return ("".join(out) + text[last:]).replace("&", "&amp;")


# X API v2 problem bodies for a refused POST /2/tweets (403 Forbidden), by cause.
def _forbidden(detail: str, **extra) -> dict:
    return {"detail": detail, "type": "about:blank", "title": "Forbidden", "status": 403, **extra}


FORBIDDEN = {
    "duplicate": _forbidden("You are not allowed to create a Tweet with duplicate content."),
    "too-long": _forbidden("Your Tweet text is too long. For more information on how Twitter determines text "
                           "length see https://github.com/twitter/twitter-text."),
    "tier": _forbidden("You are not permitted to perform this action.", reason="client-not-enrolled"),
    "suspended": _forbidden("Your account is suspended and is not permitted to access this feature."),
    "locked": _forbidden("Your account is temporarily locked. Please log in to https://x.com to unlock."),
    "oauth": {"title": "Unsupported Authentication", "type": "https://api.twitter.com/2/problems/unsupported-authentication",
              "status": 403, "detail": "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."},
}
CLIENT_NOT_ENROLLED = {
    "client_id": "123", "title": "Client Forbidden", "reason": "client-not-enrolled",
    "type": "https://api.twitter.com/2/problems/client-forbidden", "required_enrollment": "Appropriate Level of API Access",
    "detail": "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a "
              "Twitter developer App that is attached to a Project.",
}


class FakeX:
    """X API v2: users/me, tweets, user timeline, chunked media upload; OAuth 1.0a HMAC-SHA1 verified."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.posts: list[dict] = []
        self.media: dict[str, dict] = {}
        self.post_script: list[str] = []  # "429", "401", "slow", "hang", "500", "403-<kind>" (see FORBIDDEN)
        self.timeline_script: list[str] = []  # answers for the next timeline lookups: "403", "429", "503"
        self.timeline_lag_s = 0.0  # a post shows in the timeline only this long after it was created
        self.slow_s = 3.0
        self.on_created: Callable[[], None] | None = None
        self.on_received: Callable[[], None] | None = None
        self.bad_signatures = 0
        self._ids = itertools.count(1000)
        server.route("GET", "/2/users/me", self._me)
        server.route("POST", "/2/tweets", self._tweet)
        server.route("GET", "/2/users/42/tweets", self._timeline)
        server.route("POST", "/2/media/upload/*", self._media)

    def settings(self) -> dict[str, str]:
        return {"x_api_base_url": self.server.base_url}

    def _verify(self, req: Request) -> bool:
        auth = req.header("Authorization") or ""
        if not auth.startswith("OAuth "):
            return False
        fields = dict(re.findall(r'(\w+)="([^"]*)"', auth))
        if unquote(fields.get("oauth_consumer_key", "")) != X_KEYS["consumer_key"]:
            return False
        if unquote(fields.get("oauth_token", "")) != X_KEYS["access_token"]:
            return False
        content_type = req.header("Content-Type") or ""
        body = req.body.decode() if content_type.startswith("application/x-www-form-urlencoded") else None
        query = urlencode([(k, v) for k, vs in req.query.items() for v in vs])
        params = oauth_sig.collect_parameters(uri_query=query, body=body, headers={"Authorization": auth},
                                              exclude_oauth_signature=True)
        base = oauth_sig.signature_base_string(req.method, oauth_sig.base_string_uri(self.server.url(req.path)),
                                               oauth_sig.normalize_parameters(params))
        key = f"{quote(X_KEYS['consumer_secret'], safe='')}&{quote(X_KEYS['access_token_secret'], safe='')}"
        expected = base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()
        ok = oauth_sig.safe_string_equals(expected, unquote(fields.get("oauth_signature", "")))
        self.bad_signatures += not ok
        return ok

    def _limits(self, remaining: int = 99, reset_in: int = 900) -> dict[str, str]:
        return {"x-rate-limit-limit": "100", "x-rate-limit-remaining": str(remaining),
                "x-rate-limit-reset": str(int(time.time()) + reset_in)}

    def _unauthorized(self) -> Reply:
        return Reply(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})

    def _me(self, req: Request) -> Reply:
        if not self._verify(req):
            return self._unauthorized()
        return Reply(200, {"data": {"id": "42", "name": "Bot", "username": "testbot"}}, self._limits())

    def _tweet(self, req: Request) -> Reply:
        if not self._verify(req):
            return self._unauthorized()
        action = self.post_script.pop(0) if self.post_script else "ok"
        if action == "429":
            return Reply(429, {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                         self._limits(remaining=0, reset_in=120))
        if action == "401":
            return self._unauthorized()
        if action == "hang":  # the server never created anything and never answers in time
            return Reply(503, delay=self.slow_s)
        if action.startswith("403-"):
            return Reply(403, FORBIDDEN[action[4:]])
        if self.on_received:  # the POST arrived and is dropped: nothing is created
            self.on_received()
            return Reply(drop=True)
        payload = req.json()
        post = {"id": str(next(self._ids)), "text": payload["text"], "media": payload.get("media"),
                "reply": payload.get("reply"), "created": time.time()}
        self.posts.insert(0, post)
        if self.on_created:
            self.on_created()
        if action == "slow":  # created, but the answer comes after the client gave up
            return Reply(201, {"data": {"id": post["id"], "text": post["text"]}}, self._limits(), delay=self.slow_s)
        if action == "500":
            return Reply(500, {"title": "Internal Error"})
        return Reply(201, {"data": {"id": post["id"], "text": post["text"], "edit_history_tweet_ids": [post["id"]]}},
                     self._limits())

    def _timeline(self, req: Request) -> Reply:
        if not self._verify(req):
            return self._unauthorized()
        action = self.timeline_script.pop(0) if self.timeline_script else "ok"
        if action == "403":  # X's Free tier may not read timelines
            return Reply(403, CLIENT_NOT_ENROLLED)
        if action == "429":
            return Reply(429, {"title": "Too Many Requests", "detail": "Too Many Requests", "status": 429},
                         self._limits(remaining=0, reset_in=60))
        if action != "ok":
            return Reply(int(action), {"title": "Service Unavailable", "status": int(action)})
        limit = int(req.query.get("max_results", ["10"])[0])
        visible = [p for p in self.posts if time.time() - p["created"] >= self.timeline_lag_s]
        data = [{"id": p["id"], "text": _as_x_shows(p["text"])} for p in visible[:limit]]
        return Reply(200, {"data": data, "meta": {"result_count": len(data)}}, self._limits())

    def _media(self, req: Request) -> Reply:
        if not self._verify(req):
            return self._unauthorized()
        parts = req.path.split("/")
        if req.path.endswith("/initialize"):
            media_id = str(next(self._ids))
            self.media[media_id] = {"info": req.json(), "segments": {}, "final": False}
            return Reply(200, {"data": {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}})
        media = self.media.get(parts[-2])
        if media is None:
            return Reply(400, {"errors": [{"message": "unknown media id"}]})
        if parts[-1] == "append":
            index = int(re.search(rb'name="segment_index"\r\n\r\n(\d+)', req.body).group(1))
            media["segments"][index] = len(req.body)
            return Reply(200, {"meta": {}})
        if parts[-1] == "finalize":
            media["final"] = True
            return Reply(200, {"data": {"id": parts[-2], "size": media["info"]["total_bytes"]}})
        return Reply(404, {"errors": [{"message": "no such command"}]})
