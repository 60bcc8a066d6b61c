"""Errors as JSON: the CLI's one-line message and hint, with an HTTP status chosen in one place.

``ApiRoute`` turns a ``MoneyPrinterError`` (and a request that fails validation) raised anywhere in
a route into that JSON, so no route catches errors itself.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from moneyprinter import errors
from moneyprinter.redact import redact
from moneyprinter.store.states import IllegalTransition

log = logging.getLogger(__name__)


class RedactedJSONResponse(JSONResponse):
    """JSON with every known secret masked, as ``print_json`` does for the CLI: a key pasted into a post
    or an error text never travels back over HTTP."""

    def render(self, content: Any) -> bytes:
        return redact(json.dumps(content, ensure_ascii=False, separators=(",", ":"))).encode("utf-8")


class NotAuthenticated(errors.MoneyPrinterError):
    """No access token, or a wrong one."""


# First match wins, so a subclass comes before its base.
STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (NotAuthenticated, 401),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (IllegalTransition, 409),
    (errors.RateLimited, 429),
    (errors.QuotaExceeded, 429),
    (errors.NeedsKey, 503),
    (errors.ConfigError, 503),
    (errors.UsageError, 400),
    (errors.ImportFailed, 400),
    (errors.ServiceError, 503),
    (errors.ProviderError, 503),
    (errors.StoreError, 503),
    (errors.PublishError, 503),
)


def status_of(exc: BaseException) -> int:
    return next((status for kind, status in STATUS if isinstance(exc, kind)), 500)


def error_body(status: int, message: str, hint: str | None, kind: str) -> dict[str, Any]:
    """The CLI's one line (``print_error``), and its parts."""
    line = f"error: {message}" + (f" - {hint}" if hint else "")
    return {"error": {"status": status, "type": kind, "message": message, "hint": hint, "line": line}}


def error_response(exc: errors.MoneyPrinterError) -> RedactedJSONResponse:
    status = status_of(exc)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    retry_after = getattr(exc, "retry_after", None)
    if status == 429 and retry_after:
        headers["Retry-After"] = str(max(1, round(retry_after)))
    body = error_body(status, exc.message, exc.hint, exc.__class__.__name__)
    if exc.field:
        body["error"]["field"] = exc.field
    return RedactedJSONResponse(body, status, headers=headers)


def validation_response(exc: RequestValidationError) -> RedactedJSONResponse:
    """The first problem as the one line, every problem listed (pydantic's wording, input values left out)."""
    problems = [{"where": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")}
                for e in exc.errors()]
    first = problems[0] if problems else {"where": "request", "problem": "invalid"}
    body = error_body(422, f"{first['where'] or 'request'}: {first['problem']}",
                      "see the operation's schema at /docs", "ValidationError")
    body["error"]["problems"] = problems
    return RedactedJSONResponse(body, 422)


class ApiRoute(APIRoute):
    """A route whose user-facing failures come back as JSON errors with a matching status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except errors.MoneyPrinterError as exc:
                log.debug("API %s %s: %s", request.method, request.url.path, exc)
                return error_response(exc)
            except RequestValidationError as exc:
                return validation_response(exc)

        return handle


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/json": {"example": error_body(status, text, None, kind)}}}
    for status, text, kind in (
        (400, "the request does not make sense (the CLI's exit code 2)", "UsageError"),
        (401, "no access token, or a wrong one", "NotAuthenticated"),
        (404, "no such record", "NotFound"),
        (409, "clashes with the record's state", "Conflict"),
        (422, "the body or a parameter fails validation", "ValidationError"),
        (429, "rate-limited or quota spent; Retry-After when known", "RateLimited"),
        (503, "not configured, or a service is unavailable", "ServiceUnavailable"),
    )
}
