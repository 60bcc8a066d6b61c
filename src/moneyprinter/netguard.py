"""Fetch URLs that came from third parties without reaching into the user's own network.

Website addresses come from OpenStreetMap tags anyone can edit, scraped listings and links on
pages, so a URL may point at ``127.0.0.1``, the router, or a name that resolves to a private
address. ``GuardedFetcher`` therefore, at every hop (redirects are followed here, one at a time):

- resolves the host name and refuses unless every address it resolves to is public
  (``ipaddress.is_global``: no loopback, private, link-local, shared, reserved or multicast range);
- connects to the very IP it checked, sending the name only as ``Host`` and TLS SNI (the
  certificate is still verified for the name), so a second DNS answer cannot swap in another
  address (DNS rebinding);
- reads the body in small pieces against one deadline for the whole job (a server trickling a
  byte every few seconds cannot hold it past the deadline) and a size cap.

``allow_private=True`` lifts the address rule, for a LAN service or for tests on loopback; a list
of networks allows just those.
This is built on urllib3 connection pools keyed by (scheme, IP, port, name) instead of the
shared ``HTTPClient``, because requests cannot be told which resolved address to connect to.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from moneyprinter import errors

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 16_384


class BlockedAddress(errors.ServiceError):
    """The URL's host is, or resolves to, an address that is not public."""


class DeadlineReached(errors.RequestTimeout):
    """The job's time is up (connecting, waiting, or while the body was still coming in)."""


class Deadline:
    """One point in time for a whole job (all pages of one website, say)."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return self.at - time.monotonic()

    def check(self, service: str) -> float:
        left = self.left()
        if left <= 0.02:
            raise DeadlineReached(service, "time cap reached")
        return left


def is_public(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
    return address.is_global and not address.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


Policy = bool | Sequence[str]


def allowed(ip: str, allow_private: Policy) -> bool:
    """Public addresses always; ``allow_private`` True = any address, a list of networks = those too."""
    if allow_private is True or is_public(ip):
        return True
    if not allow_private:
        return False
    address = ipaddress.ip_address(ip)
    return any(address in ipaddress.ip_network(net, strict=False) for net in allow_private)


def resolve(host: str, port: int, *, allow_private: Policy, resolver=system_resolver) -> str:
    """The address to connect to, checked; ``BlockedAddress`` if the host is or resolves to a
    non-public one (every answer is checked: one private answer is enough to refuse)."""
    try:
        ips = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise errors.ServiceUnavailable(host, f"cannot resolve the name ({exc})") from None
    if not ips:
        raise errors.ServiceUnavailable(host, "the name has no address")
    if allow_private is not True:
        blocked = [ip for ip in ips if not allowed(ip, allow_private)]
        if blocked:
            raise BlockedAddress(host, f"refused: resolves to a non-public address ({blocked[0]})",
                                 hint="only public websites are fetched (a setting allows a LAN)")
    return ips[0]


@dataclass
class Page:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    hops: list[str] = field(default_factory=list)  # every URL requested, in order

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class GuardedFetcher:
    """GET with the address rule, one deadline, a size cap and hop-by-hop redirects. Thread-safe."""

    def __init__(self, *, allow_private: Policy = False, user_agent: str = "moneyprinter",
                 max_redirects: int = 5, pool_size: int = 4, resolver=system_resolver) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.user_agent = user_agent
        self.max_redirects = max_redirects
        self._pool_size = pool_size
        self._pools: dict[tuple, urllib3.HTTPConnectionPool] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def __enter__(self) -> GuardedFetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _pool(self, scheme: str, ip: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
        key = (scheme, ip, port, host)
        with self._lock:
            pool = self._pools.get(key)
            if pool is None:
                if scheme == "https":
                    pool = urllib3.HTTPSConnectionPool(ip, port, maxsize=self._pool_size, block=False, retries=False,
                                                       server_hostname=host, assert_hostname=host,
                                                       cert_reqs="CERT_REQUIRED")
                else:
                    pool = urllib3.HTTPConnectionPool(ip, port, maxsize=self._pool_size, block=False, retries=False)
                self._pools[key] = pool
        return pool

    def get(self, url: str, *, deadline: Deadline, max_bytes: int, page_timeout_s: float = 10.0,
            headers: dict[str, str] | None = None, may_follow: Callable[[str], str | None] = lambda url: None) -> Page:
        """Fetch ``url``. ``may_follow(next_url)`` returns why a redirect must not be followed (say,
        robots.txt of the target host), or None. Raises ``BlockedAddress``, ``DeadlineReached``,
        ``ResponseTooLarge`` or ``ServiceUnavailable``."""
        hops: list[str] = []
        while True:
            hops.append(url)
            status, head, body = self._one(url, deadline, max_bytes, page_timeout_s, headers or {})
            location = head.get("location")
            if status not in REDIRECTS or not location:
                return Page(url, status, head, body, hops)
            if len(hops) > self.max_redirects:
                raise errors.ServiceUnavailable(_service(url), f"more than {self.max_redirects} redirects")
            target = urljoin(url, location)
            if urlsplit(target).scheme not in ("http", "https"):
                raise errors.BadRequest(_service(url), f"redirect to a non-web address ({target[:80]})")
            why = may_follow(target)
            if why:
                raise errors.NotFoundRemote(_service(target), f"redirect not followed: {why}")
            url = target

    def _one(self, url: str, deadline: Deadline, max_bytes: int, page_timeout_s: float,
             headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise errors.BadRequest(url[:80], "not an http(s) URL")
        service = _service(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = resolve(parts.hostname, port, allow_private=self.allow_private, resolver=self.resolver)
        host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        left = deadline.check(service)
        timeout = urllib3.Timeout(connect=min(5.0, left), read=min(page_timeout_s, left))
        try:
            response = self._pool(parts.scheme, ip, port, parts.hostname).urlopen(
                "GET", path, headers={"Host": host_header, "User-Agent": self.user_agent, **headers},
                timeout=timeout, redirect=False, preload_content=False, assert_same_host=False,
            )
        except urllib3.exceptions.TimeoutError:
            deadline.check(service)
            raise errors.RequestTimeout(service, "no answer in time") from None
        except (Urllib3Error, OSError) as exc:
            raise errors.ServiceUnavailable(service, f"cannot connect ({exc.__class__.__name__})") from None
        try:
            body = _read(response, deadline, max_bytes, page_timeout_s, service)
        finally:
            response.release_conn()
        return response.status, {k.lower(): v for k, v in response.headers.items()}, body


def _read(response, deadline: Deadline, max_bytes: int, page_timeout_s: float, service: str) -> bytes:
    """The body in pieces, each read waiting at most until the deadline (a trickle cannot outlast it)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise errors.ResponseTooLarge(service, f"larger than {max_bytes} bytes ({declared} declared)")
    chunks, size = [], 0
    while True:
        left = deadline.check(service)
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:
            sock.settimeout(min(page_timeout_s, left))
        try:
            chunk = response.read1(CHUNK)
        except urllib3.exceptions.TimeoutError:
            response.close()
            deadline.check(service)
            raise errors.RequestTimeout(service, "the page stopped arriving") from None
        except (Urllib3Error, OSError) as exc:
            response.close()
            if deadline.left() <= 0.02:
                raise DeadlineReached(service, "time cap reached") from None
            raise errors.ServiceUnavailable(service, f"connection lost ({exc.__class__.__name__})") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise errors.ResponseTooLarge(service, f"larger than {max_bytes} bytes")
        chunks.append(chunk)


def _service(url: str) -> str:
    return urlsplit(url).netloc or url[:60]
