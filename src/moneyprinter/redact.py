"""Keep secrets out of output and logs.

Known secret values are registered when the configuration is loaded; ``redact`` replaces
them anywhere in a string, and ``RedactingFilter`` does so for every log record. URLs lose
the values of key-like query parameters, and headers lose Authorization and cookies.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "****"
SENSITIVE_PARAMS = re.compile(r"(key|token|secret|password|passwd|signature|sig|auth|code)$", re.I)
SENSITIVE_HEADERS = {
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
    "api-key", "x-goog-api-key", "xi-api-key",
}

# A key-like query parameter inside any text, e.g. a URL that urllib3 logs at debug level.
_QUERY_SECRET = re.compile(
    r"([?&][\w.-]*?(?:key|token|secret|password|passwd|signature|sig|auth|code)=)[^&\s\"'#]+", re.I
)
_AUTH_SCHEME = re.compile(r"^(?:Bearer|Basic|Token|Bot|Key)\s+(\S+)$", re.I)

_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a secret value so that it is masked wherever it would be printed."""
    if value and len(value) >= 4:
        with _lock:
            _secrets.add(value)


def register_request_secrets(url: str, headers: Mapping[str, str] | None = None, params=None, auth=None) -> None:
    """Register the secrets a request is about to send (auth headers, key-like query parameters,
    basic-auth passwords), so that a service echoing them back cannot leak them into a message or log."""
    for name, value in (headers or {}).items():
        if name.lower() in SENSITIVE_HEADERS and isinstance(value, str):
            register_secret(value)
            scheme = _AUTH_SCHEME.match(value.strip())
            if scheme:
                register_secret(scheme.group(1))
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    if isinstance(params, Mapping):
        pairs += [(str(k), str(v)) for k, v in params.items()]
    elif isinstance(params, (list, tuple)):
        pairs += [(str(k), str(v)) for k, v in params]
    for name, value in pairs:
        if SENSITIVE_PARAMS.search(name):
            register_secret(value)
    if isinstance(auth, tuple) and len(auth) == 2:
        register_secret(str(auth[1]))


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    if "=" in text:
        text = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    return text


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.query:
        query = [(k, MASK if SENSITIVE_PARAMS.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
        parts = parts._replace(query=urlencode(query, safe="*"))
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", f":{MASK}@"))
    return redact(urlunsplit(parts))


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (MASK if k.lower() in SENSITIVE_HEADERS else redact(str(v))) for k, v in headers.items()}


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are rendered later by the handler; pre-render and redact them here.
            formatter = logging.Formatter()
            record.exc_text = redact(formatter.formatException(record.exc_info))
            record.exc_info = None
        return True
