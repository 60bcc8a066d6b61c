"""HTTPClient: the one pooled, retrying session every network call goes through.

Thread safety: ``requests.Session`` is not documented as thread-safe (its cookie jar and
adapters are shared mutable state), so each thread gets its own lightweight Session, and
all of them mount one shared ``HTTPAdapter`` whose urllib3 ``PoolManager`` *is* thread-safe.
Connections are therefore pooled per host across threads, while no Session is shared.

Retries are decided here, not in urllib3, so that the rules are explicit:
- only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS), or a POST/PATCH that carries
  an idempotency key (sent unchanged on every attempt);
- only on connection errors, timeouts, 429 and 500/502/503/504;
- exponential backoff with jitter; ``Retry-After`` is honoured up to a cap, and a longer
  one surfaces as ``RateLimited(retry_after=...)`` so the caller can defer instead of hanging.
"""

from __future__ import annotations

import atexit
import email.utils
import logging
import random
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from moneyprinter import errors
from moneyprinter.redact import redact, redact_url, register_request_secrets
from moneyprinter.settings.core import HttpSettings

log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
DEFAULT_IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class ClientStats:
    """Counters for the health report and the benchmark."""

    requests: int = 0
    retries: int = 0
    connections: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + amount)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {"requests": self.requests, "retries": self.retries, "connections": self.connections}


def _counting_pool(base: type, on_new_connection: Callable[[], None]) -> type:
    class CountingPool(base):  # type: ignore[misc, valid-type]
        def _new_conn(self):
            on_new_connection()
            return super()._new_conn()

    return CountingPool


class _SharedAdapter(HTTPAdapter):
    """An adapter whose pools count the TCP connections they open."""

    def __init__(self, stats: ClientStats, pool_maxsize: int) -> None:
        self._stats = stats
        super().__init__(pool_connections=32, pool_maxsize=pool_maxsize, max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        count = lambda: self._stats.add("connections")  # noqa: E731
        self.poolmanager.pool_classes_by_scheme = {
            "http": _counting_pool(HTTPConnectionPool, count),
            "https": _counting_pool(HTTPSConnectionPool, count),
        }


class HTTPClient:
    def __init__(self, settings: HttpSettings | None = None, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings or HttpSettings()
        self.stats = ClientStats()
        self._sleep = sleep
        self._adapter = _SharedAdapter(self.stats, self.settings.pool_maxsize)
        self._local = threading.local()
        # Weak: a thread's session goes away with its thread (a daemon starts many short-lived threads).
        self._sessions: weakref.WeakSet[requests.Session] = weakref.WeakSet()
        self._sessions_lock = threading.Lock()
        self._closed = False

    # --- sessions -----------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            if self._closed:
                raise RuntimeError("HTTPClient is closed")
            session = requests.Session()
            session.mount("http://", self._adapter)
            session.mount("https://", self._adapter)
            session.headers["User-Agent"] = self.settings.user_agent
            self._local.session = session
            with self._sessions_lock:
                self._sessions.add(session)
        return session

    def close(self) -> None:
        self._closed = True
        with self._sessions_lock:
            sessions, self._sessions = list(self._sessions), weakref.WeakSet()
        for session in sessions:
            session.close()
        self._adapter.close()

    # --- requests -----------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        service: str | None = None,
        timeout: float | tuple[float, float] | None = None,
        idempotency_key: str | None = None,
        idempotency_header: str = DEFAULT_IDEMPOTENCY_HEADER,
        max_retries: int | None = None,
        max_bytes: int | None = None,
        raise_for_status: bool = True,
        **kwargs: Any,
    ) -> requests.Response:
        """Send a request; retry it only where that is safe; translate failures.

        ``service`` names the remote side in errors (default: the host). ``max_bytes`` caps
        the body size (``ResponseTooLarge``). With ``raise_for_status=False`` HTTP error
        statuses are returned instead of raised (after the retries).
        """
        method = method.upper()
        service = service or urlsplit(url).hostname or "remote service"
        timeout = timeout if timeout is not None else (self.settings.connect_timeout_s, self.settings.read_timeout_s)
        headers = dict(kwargs.pop("headers", None) or {})
        if idempotency_key:
            headers[idempotency_header] = idempotency_key
        register_request_secrets(url, headers, kwargs.get("params"), kwargs.get("auth"))
        rewind = _body_rewinder(kwargs.get("data"), kwargs.get("files"))
        # A body that cannot be replayed (a generator) is sent once, whatever the method.
        retryable = (method in IDEMPOTENT_METHODS or idempotency_key is not None) and rewind is not None
        attempts = 1 + (self.settings.max_retries if max_retries is None else max_retries) if retryable else 1
        if max_bytes is not None:
            kwargs["stream"] = True
        session = self._session()
        for attempt in range(attempts):
            last = attempt == attempts - 1
            self.stats.add("requests")
            if attempt and rewind:
                rewind()
            try:
                response = session.request(method, url, headers=headers, timeout=timeout, **kwargs)
            except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                    requests.exceptions.InvalidSchema) as exc:
                raise errors.BadRequest(service, f"invalid URL '{redact_url(url)}' ({exc.__class__.__name__})",
                                        hint="check the base URL in the configuration") from None
            except requests.exceptions.SSLError as exc:  # a bad certificate does not heal on retry
                raise _translate_exception(service, exc) from None
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if last:
                    raise _translate_exception(service, exc) from None
                self._wait(attempt, None, service, f"{exc.__class__.__name__}", url)
                continue
            except requests.RequestException as exc:
                raise _translate_exception(service, exc) from None
            if response.status_code in RETRY_STATUSES and not last:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if retry_after is not None and retry_after > self.settings.retry_after_cap_s:
                    response.close()
                    raise errors.RateLimited(
                        service, f"asked to wait {retry_after:.0f} s (HTTP {response.status_code})",
                        retry_after=retry_after, status=response.status_code,
                    )
                response.close()
                self._wait(attempt, retry_after, service, f"HTTP {response.status_code}", url)
                continue
            break
        if max_bytes is not None:
            _read_limited(response, max_bytes, service)
        if raise_for_status and response.status_code >= 400:
            raise translate_status(service, response)
        return response

    def _wait(self, attempt: int, retry_after: float | None, service: str, why: str, url: str) -> None:
        self.stats.add("retries")
        if retry_after is None:
            ceiling = min(self.settings.backoff_max_s, self.settings.backoff_base_s * (2**attempt))
            delay = ceiling / 2 + random.uniform(0, ceiling / 2)
        else:
            delay = retry_after
        log.info("%s: %s from %s; retry %d in %.2f s", service, why, redact_url(url), attempt + 1, delay)
        self._sleep(delay)

    def get(self, url: str, **kw: Any) -> requests.Response:
        return self.request("GET", url, **kw)

    def head(self, url: str, **kw: Any) -> requests.Response:
        return self.request("HEAD", url, **kw)

    def post(self, url: str, **kw: Any) -> requests.Response:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> requests.Response:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> requests.Response:
        return self.request("PATCH", url, **kw)

    def delete(self, url: str, **kw: Any) -> requests.Response:
        return self.request("DELETE", url, **kw)


# --- translation -------------------------------------------------------------------------


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _short_reason(response: requests.Response) -> str:
    """A short, secret-free reason from the body: a JSON message if there is one."""
    text = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("message", "error", "detail", "title", "error_description"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str) and value:
                text = value
                break
    reason = f"HTTP {response.status_code}" + (f": {text}" if text else "")
    return redact(reason)[:200]


def translate_status(service: str, response: requests.Response) -> errors.ServiceError:
    status = response.status_code
    reason = _short_reason(response)
    if status in (401, 403):
        return errors.Unauthorized(service, f"key rejected ({reason})", status=status)
    if status == 404:
        return errors.NotFoundRemote(service, f"not found ({reason})", status=status)
    if status == 429:
        return errors.RateLimited(
            service, f"rate limited ({reason})",
            retry_after=parse_retry_after(response.headers.get("Retry-After")), status=status,
        )
    if status >= 500:
        return errors.ServiceUnavailable(service, f"service error ({reason})", status=status)
    return errors.BadRequest(service, f"request refused ({reason})", status=status)


def error_for_status(service: str, status: int | None, reason: str, *, retry_after: str | None = None,
                     hint: str | None = None) -> errors.ServiceError:
    """The error class for an HTTP status reported by a vendor SDK (None = no answer at all)."""
    if status in (401, 403):
        return errors.Unauthorized(service, f"key rejected (HTTP {status})", status=status, hint=hint)
    if status == 429:
        return errors.RateLimited(service, "rate limited (HTTP 429)", retry_after=parse_retry_after(retry_after), status=429)
    if status is None or status >= 500:
        return errors.ServiceUnavailable(service, reason if status is None else f"server error (HTTP {status})", status=status)
    return errors.BadRequest(service, f"{reason} (HTTP {status})", status=status)


def _body_rewinder(data: Any, files: Any) -> Callable[[], None] | None:
    """A function that puts file-like request bodies back where they started, for a retry;
    None if the body is a one-shot iterable (a generator) that cannot be sent again."""
    parts = list(files.values()) if isinstance(files, dict) else list(files or [])
    parts = [p[1] if isinstance(p, tuple) and len(p) > 1 and not isinstance(p[1], (str, bytes)) else p for p in parts]
    streams = []
    for body in [data, *parts]:
        if body is None or isinstance(body, (str, bytes, bytearray, dict, list, tuple)):
            continue
        if hasattr(body, "seek") and hasattr(body, "tell"):
            try:
                streams.append((body, body.tell()))
                continue
            except (OSError, ValueError):
                return None
        if hasattr(body, "read") or hasattr(body, "__iter__"):
            return None

    def rewind() -> None:
        for stream, start in streams:
            stream.seek(start)

    return rewind


class RequestNotSent(errors.ServiceUnavailable):
    """No byte of the request left this machine: the name did not resolve, the connection was refused,
    or connecting timed out. Whatever the request would have done did not happen, so a caller may
    send it again even when it posts, uploads or sends."""


class ConnectTimedOut(RequestNotSent, errors.RequestTimeout):
    """Connecting timed out: nothing was sent. Also a ``RequestTimeout``, like every timeout."""


def _never_connected(exc: Exception) -> bool:
    """urllib3 raises NewConnectionError (NameResolutionError is one) only while opening a new connection,
    before any byte of the request is written; requests wraps it in MaxRetryError's ``reason``."""
    wrapped = exc.args[0] if exc.args else None
    return any(isinstance(e, NewConnectionError) for e in (exc, wrapped, getattr(wrapped, "reason", None)))


def _translate_exception(service: str, exc: Exception) -> errors.ServiceError:
    if isinstance(exc, requests.exceptions.SSLError):
        why = "certificate not trusted" if "CERTIFICATE_VERIFY_FAILED" in str(exc) else "TLS handshake failed"
        return errors.ServiceUnavailable(service, f"unreachable ({why})", hint="check the URL, the clock and any proxy")
    if isinstance(exc, requests.ConnectTimeout):
        return ConnectTimedOut(service, "unreachable (connect timed out)")
    if isinstance(exc, requests.Timeout):
        return errors.RequestTimeout(service, "timed out waiting for a response")
    text = str(exc)
    cls = RequestNotSent if _never_connected(exc) else errors.ServiceUnavailable
    if "Name or service not known" in text or "NameResolutionError" in text or "getaddrinfo" in text:
        return cls(service, "unreachable (DNS lookup failed)")
    if "Connection refused" in text:
        return cls(service, "unreachable (connection refused)")
    return cls(service, f"unreachable ({exc.__class__.__name__})")


def _read_limited(response: requests.Response, max_bytes: int, service: str) -> None:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise errors.ResponseTooLarge(service, f"response of {int(declared)} bytes exceeds the {max_bytes}-byte limit")
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                response.close()
                raise errors.ResponseTooLarge(service, f"response exceeds the {max_bytes}-byte limit")
            chunks.append(chunk)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise _translate_exception(service, exc) from None
    response._content = b"".join(chunks)  # the body is now in memory, as without stream=True


# --- the process-wide client -------------------------------------------------------------

_client: HTTPClient | None = None
_client_lock = threading.Lock()


def get_http_client() -> HTTPClient:
    """The process-wide client, created on first use and closed at exit."""
    global _client
    with _client_lock:
        if _client is None:
            _client = HTTPClient()
            atexit.register(_client.close)
        return _client


def configure_http_client(settings: HttpSettings) -> HTTPClient:
    """Replace the process-wide client with one built from ``settings`` (called at startup)."""
    global _client
    with _client_lock:
        old, _client = _client, HTTPClient(settings)
        atexit.register(_client.close)
    if old is not None:
        old.close()
    return _client


def reset_http_client() -> None:
    """Close and forget the process-wide client (tests)."""
    global _client
    with _client_lock:
        old, _client = _client, None
    if old is not None:
        old.close()
