"""A local Bluesky: a PDS speaking XRPC (sessions, identity, blobs, service auth, records) and the video
service (upload limits, uploadVideo, getJobStatus), as the AT Protocol lexicons and Bluesky's docs describe.

It keeps the network's truth (``records``, ``video_uploads``) so tests can count what exists after crashes.
The PDS refuses a second record under a taken record key (bsky.social answers that with a 500
InternalServerError; ``duplicate_error`` picks it or a newer PDS's 400). Faults are scripted per method:
``fail("com.atproto.repo.createRecord", "503", "drop-after")`` - one action per call, then normal again.
Actions: a status ("400", "401", "429", "500", "503"), "expired"/"expired401" (ExpiredToken as a 400 - what
bsky.social answers - or a 401), "lagging" (getRecord does not see the newest record yet), "drop" (cut
before processing), "drop-after" (processed, then the connection cut: the answer is lost).
Hooks ``on_created`` / ``on_video`` / ``on_poll`` / ``on_received`` run at those moments (tests kill
the publishing process there).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import grapheme

from tests.support.httpserver import LocalServer, Reply, Request

HANDLE = "poster.bsky.social"
DID = "did:plc:poster0000000000000000"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
FRIEND = ("friend.bsky.social", "did:plc:friend0000000000000000")
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
XRPC = "/xrpc/"


def _err(status: int, error: str, message: str = "", headers: dict | None = None) -> Reply:
    return Reply(status, {"error": error, "message": message or error}, headers or {})


class FakeBluesky:
    def __init__(self, pds: LocalServer, video: LocalServer) -> None:
        self.pds, self.video = pds, video
        self.access: dict[str, str] = {}  # token -> did
        self.refresh: dict[str, str] = {}
        self.expired: set[str] = set()
        self.service_tokens: dict[str, dict] = {}
        self.handles = {HANDLE: DID, FRIEND[0]: FRIEND[1]}
        self.records: dict[str, dict] = {}  # rkey -> {"uri", "cid", "value"}
        self.blobs: dict[str, bytes] = {}
        self.jobs: dict[str, dict] = {}
        self.video_uploads = 0
        self.processing_polls = 1  # polls a job answers "in process" before it completes
        self.limits = {"canUpload": True, "remainingDailyVideos": 25, "remainingDailyBytes": 10 * 1024**3}
        self.duplicate_error = "500"  # or "400": how the PDS refuses a taken record key
        self.email_confirmed = True
        self.script: dict[str, list[str]] = {}
        self.on_created: Callable[[], None] | None = None
        self.on_received: Callable[[], bool | None] | None = None  # createRecord arrived; True: store nothing
        self.on_video: Callable[[], None] | None = None  # a video job exists, before the answer
        self.on_poll: Callable[[], None] | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        for nsid, method, handler in (
            ("com.atproto.server.createSession", "POST", self._create_session),
            ("com.atproto.server.refreshSession", "POST", self._refresh_session),
            ("com.atproto.server.getSession", "GET", self._get_session),
            ("com.atproto.server.getServiceAuth", "GET", self._service_auth),
            ("com.atproto.identity.resolveHandle", "GET", self._resolve),
            ("com.atproto.repo.uploadBlob", "POST", self._upload_blob),
            ("com.atproto.repo.createRecord", "POST", self._create_record),
            ("com.atproto.repo.getRecord", "GET", self._get_record),
            ("com.atproto.repo.listRecords", "GET", self._list_records),
        ):
            pds.route(method, XRPC + nsid, self._scripted(nsid, handler))
        for nsid, method, handler in (
            ("app.bsky.video.getUploadLimits", "GET", self._upload_limits),
            ("app.bsky.video.uploadVideo", "POST", self._upload_video),
            ("app.bsky.video.getJobStatus", "GET", self._job_status),
        ):
            video.route(method, XRPC + nsid, self._scripted(nsid, handler))

    # --- setup --------------------------------------------------------------------------------------

    def settings(self) -> dict[str, str | float]:
        return {"bluesky_pds_url": self.pds.base_url, "bluesky_video_url": self.video.base_url,
                "bluesky_video_poll_s": 0.0, "bluesky_post_timeout_s": 2.0}

    def fail(self, nsid: str, *actions: str) -> None:
        self.script.setdefault(nsid, []).extend(actions)

    def issue_session(self, did: str = DID) -> dict[str, str]:
        """A session as createSession makes one (for tests that start logged in)."""
        n = next(self._ids)
        access, refresh = f"access-{n}-{'x' * 8}", f"refresh-{n}-{'y' * 8}"
        self.access[access], self.refresh[refresh] = did, did
        return {"access_jwt": access, "refresh_jwt": refresh, "did": did, "handle": HANDLE}

    def expire_access_tokens(self) -> None:
        self.expired |= set(self.access)

    def posts(self) -> list[dict]:
        """The records in creation order (a TID key sorts by time)."""
        return [self.records[k] for k in sorted(self.records)]

    def count(self, nsid: str) -> int:
        server = self.video if nsid.startswith("app.bsky.video") else self.pds
        return sum(1 for r in server.requests if r.path == XRPC + nsid)

    # --- plumbing -----------------------------------------------------------------------------------

    def _scripted(self, nsid: str, handler: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
        def run(req: Request) -> Reply:
            with self._lock:
                queue = self.script.get(nsid) or []
                action = queue.pop(0) if queue else "ok"
            if action == "drop":
                return Reply(drop=True)
            if action in ("expired", "expired401"):
                return _err(401 if action == "expired401" else 400, "ExpiredToken", "Token has expired")
            if action == "lagging":  # a read that does not see the newest write yet
                return _err(400, "RecordNotFound", "Could not locate record")
            if action == "429":
                return _err(429, "RateLimitExceeded", "Rate Limit Exceeded",
                            {"ratelimit-limit": "3000", "ratelimit-remaining": "0",
                             "ratelimit-reset": str(int(time.time()) + 120), "ratelimit-policy": "3000;w=300"})
            if action.isdigit():
                names = {"400": "InvalidRequest", "401": "AuthenticationRequired", "403": "Forbidden",
                         "500": "InternalServerError", "503": "UpstreamFailure"}
                return _err(int(action), names.get(action, "Error"), f"scripted {action}")
            reply = handler(req)
            return Reply(drop=True) if action == "drop-after" else reply

        return run

    def _did(self, req: Request) -> str | Reply:
        auth = req.header("Authorization") or ""
        token = auth[7:] if auth.startswith("Bearer ") else ""
        if token in self.expired:
            return _err(400, "ExpiredToken", "Token has expired")
        if token not in self.access:
            return _err(401, "AuthenticationRequired", "Invalid identifier or password" if not token else "Bad token")
        return self.access[token]

    def _service(self, req: Request, aud: str, lxm: str) -> str | Reply:
        auth = req.header("Authorization") or ""
        grant = self.service_tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        if not grant:
            return _err(401, "AuthenticationRequired", "invalid service token")
        if grant["aud"] != aud or grant["lxm"] != lxm or grant["exp"] < time.time():
            return _err(401, "BadJwt", f"token for {grant['aud']} {grant['lxm']}, not {aud} {lxm}")
        return grant["did"]

    def _session_body(self, did: str) -> dict:
        n = next(self._ids)
        access, refresh = f"access-{n}-{'x' * 8}", f"refresh-{n}-{'y' * 8}"
        self.access[access], self.refresh[refresh] = did, did
        handle = next(h for h, d in self.handles.items() if d == did)
        doc = {"id": did, "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                                       "serviceEndpoint": self.pds.base_url}]}
        return {"accessJwt": access, "refreshJwt": refresh, "did": did, "handle": handle, "didDoc": doc,
                "email": "me@example.com", "emailConfirmed": self.email_confirmed, "active": True}

    # --- the PDS ------------------------------------------------------------------------------------

    def _create_session(self, req: Request) -> Reply:
        body = req.json() or {}
        did = self.handles.get(str(body.get("identifier", "")).lower())
        if not did or body.get("password") != APP_PASSWORD:
            return _err(401, "AuthenticationRequired", "Invalid identifier or password")
        return Reply(200, self._session_body(did))

    def _refresh_session(self, req: Request) -> Reply:
        auth = req.header("Authorization") or ""
        did = self.refresh.pop(auth[7:], None) if auth.startswith("Bearer ") else None  # rotated: used once
        if not did:
            return _err(400, "ExpiredToken", "Token has been revoked")
        return Reply(200, self._session_body(did))

    def _get_session(self, req: Request) -> Reply:
        did = self._did(req)
        if isinstance(did, Reply):
            return did
        handle = next(h for h, d in self.handles.items() if d == did)
        return Reply(200, {"did": did, "handle": handle, "email": "me@example.com",
                           "emailConfirmed": self.email_confirmed, "active": True})

    def _service_auth(self, req: Request) -> Reply:
        did = self._did(req)
        if isinstance(did, Reply):
            return did
        aud, lxm, exp = (req.query.get(k, [""])[0] for k in ("aud", "lxm", "exp"))
        if not aud.startswith("did:") or not lxm:
            return _err(400, "InvalidRequest", "aud and lxm are required")
        token = f"svc-{next(self._ids)}-{'z' * 8}"
        self.service_tokens[token] = {"aud": aud, "lxm": lxm, "did": did, "exp": int(exp or time.time() + 60)}
        return Reply(200, {"token": token})

    def _resolve(self, req: Request) -> Reply:
        handle = req.query.get("handle", [""])[0].lower()
        if handle not in self.handles:
            return _err(400, "InvalidRequest", "Unable to resolve handle")
        return Reply(200, {"did": self.handles[handle]})

    def _upload_blob(self, req: Request) -> Reply:
        did = self._did(req)
        if isinstance(did, Reply):
            return did
        return Reply(200, {"blob": self._store_blob(req.body, req.header("Content-Type") or "")})

    def _store_blob(self, data: bytes, mime: str) -> dict:
        cid = "bafkrei" + hashlib.sha256(data).hexdigest()[:52]
        self.blobs[cid] = data
        return {"$type": "blob", "ref": {"$link": cid}, "mimeType": mime, "size": len(data)}

    def _create_record(self, req: Request) -> Reply:
        did = self._did(req)
        if isinstance(did, Reply):
            return did
        if self.on_received and self.on_received():  # the process died before the PDS stored anything
            return Reply(drop=True)
        body = req.json() or {}
        problem = self._invalid(body, did)
        if problem:
            return _err(400, "InvalidRequest", problem)
        rkey = body["rkey"]
        with self._lock:
            if rkey in self.records:
                if self.duplicate_error == "500":
                    return _err(500, "InternalServerError", "Internal Server Error")
                return _err(400, "RecordAlreadyExists", f"Record already exists at rkey {rkey}")
            uri = f"at://{did}/{body['collection']}/{rkey}"
            cid = "bafyrei" + hashlib.sha256(repr(body["record"]).encode()).hexdigest()[:52]
            self.records[rkey] = {"uri": uri, "cid": cid, "value": body["record"]}
        if self.on_created:
            self.on_created()
        return Reply(200, {"uri": uri, "cid": cid, "validationStatus": "valid"})

    def _invalid(self, body: dict, did: str) -> str | None:
        """What app.bsky.feed.post validation would refuse."""
        record = body.get("record") or {}
        if body.get("repo") != did or body.get("collection") != "app.bsky.feed.post":
            return "repo must be the session's DID and collection app.bsky.feed.post"
        if not TID.match(str(body.get("rkey", ""))):
            return f"Invalid record key: {body.get('rkey')!r} is not a TID"
        if record.get("$type") != "app.bsky.feed.post" or not isinstance(record.get("createdAt"), str):
            return "Record/$type and Record/createdAt are required"
        text = record.get("text", "")
        if grapheme.length(text) > 300:
            return "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"
        size = len(text.encode("utf-8"))
        for facet in record.get("facets") or []:
            start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
            if not 0 <= start < end <= size:
                return f"Invalid facet range {start}-{end} for a text of {size} bytes"
        for ref in (record.get("reply") or {}).values():
            if ref["uri"] not in {r["uri"] for r in self.records.values()}:
                return f"reply to an unknown record {ref['uri']}"
        embed = record.get("embed") or {}
        blobs = [embed.get("video")] + [i.get("image") for i in embed.get("images") or []]
        for blob in filter(None, blobs):
            if blob["ref"]["$link"] not in self.blobs:
                return f"Could not find blob: {blob['ref']['$link']}"
        return None

    def _get_record(self, req: Request) -> Reply:
        rkey = req.query.get("rkey", [""])[0]
        found = self.records.get(rkey)
        if not found or req.query.get("repo", [""])[0] not in (DID, HANDLE):
            return _err(400, "RecordNotFound", f"Could not locate record: at://{DID}/app.bsky.feed.post/{rkey}")
        return Reply(200, found)

    def _list_records(self, req: Request) -> Reply:
        return Reply(200, {"records": list(reversed(self.posts()))})

    # --- the video service --------------------------------------------------------------------------

    def _upload_limits(self, req: Request) -> Reply:
        did = self._service(req, f"did:web:{urlsplit(self.video.base_url).hostname}", "app.bsky.video.getUploadLimits")
        if isinstance(did, Reply):
            return did
        return Reply(200, dict(self.limits))

    def _upload_video(self, req: Request) -> Reply:
        did = self._service(req, f"did:web:{urlsplit(self.pds.base_url).hostname}", "com.atproto.repo.uploadBlob")
        if isinstance(did, Reply):
            return did
        if req.query.get("did", [""])[0] != did or req.header("Content-Type") != "video/mp4":
            return _err(400, "InvalidRequest", "did and a video/mp4 body are required")
        self.video_uploads += 1
        digest = hashlib.sha256(req.body).hexdigest()
        with self._lock:
            done = next((j for j in self.jobs.values() if j["digest"] == digest and j.get("blob")), None)
            if done:  # processed before: the service answers with the earlier job
                return Reply(409, {"did": did, "jobId": done["jobId"], "state": "JOB_STATE_COMPLETED",
                                   "error": "already_exists", "message": "Video already processed"})
            job_id = f"job{next(self._ids)}"
            valid = req.body[4:8] == b"ftyp"
            self.jobs[job_id] = {"jobId": job_id, "did": did, "digest": digest, "polls": 0, "data": req.body,
                                 "valid": valid}
        if self.on_video:
            self.on_video()
        return Reply(200, {"did": did, "jobId": job_id, "state": "JOB_STATE_CREATED"})  # bare, as the service does

    def _job_status(self, req: Request) -> Reply:
        job = self.jobs.get(req.query.get("jobId", [""])[0])
        if not job:
            return _err(404, "NotFound", "job not found")
        if self.on_poll:
            self.on_poll()
        status = {"jobId": job["jobId"], "did": job["did"]}
        with self._lock:
            job["polls"] += 1
            if not job["valid"]:
                status.update(state="JOB_STATE_FAILED", failureCode="validation_failure", error="invalid video",
                              message="Failed to process video")
            elif job["polls"] <= self.processing_polls:
                status.update(state="JOB_STATE_ENCODING", progress=50)
            else:
                job.setdefault("blob", self._store_blob(job["data"], "video/mp4"))
                status.update(state="JOB_STATE_COMPLETED", progress=100, blob=job["blob"])
        return Reply(200, {"jobStatus": status})
