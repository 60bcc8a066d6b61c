"""The project's exception tree.

Every ``MoneyPrinterError`` carries a message that is safe to show a user (no secrets)
and, where there is one, a hint on how to fix it. The CLI and the menu catch it once and
print one line; anything else is a bug and its traceback goes to the log file.
"""

from __future__ import annotations


class MoneyPrinterError(Exception):
    """Base class: a failure the user can understand and usually fix."""

    exit_code = 1
    field: str | None = None  # the form or request field the error is about, where one is

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class Terminated(SystemExit):
    """SIGTERM arrived: unwind like Ctrl-C (outcomes recorded, locks released), then exit 143."""

    def __init__(self) -> None:
        super().__init__(143)


class ConfigError(MoneyPrinterError):
    """The configuration or a secrets file is invalid or unreadable."""

    exit_code = 2


class UsageError(MoneyPrinterError):
    """The user asked for something that does not make sense (unknown account, bad argument)."""

    exit_code = 2


class Conflict(UsageError):
    """The request clashes with the record's state: already exists, already published, being made."""


class FieldError(UsageError):
    """A value given for one field of a form or a request is refused; ``field`` names it."""

    def __init__(self, field: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class StoreError(MoneyPrinterError):
    """The database could not be opened, migrated or written."""


class NotFound(UsageError):
    """A named record (account, item, schedule) does not exist."""


class ImportFailed(MoneyPrinterError):
    """An import file is malformed; nothing was imported."""


# --- Remote services -------------------------------------------------------------------


class ServiceError(MoneyPrinterError):
    """A remote service failed. ``service`` names it, ``status`` is the HTTP status if any."""

    retryable = False

    def __init__(
        self,
        service: str,
        reason: str,
        *,
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(f"{service}: {reason}", hint=hint)
        self.service = service
        self.reason = reason
        self.status = status


class Unauthorized(ServiceError):
    """401/403: the key or token was rejected."""


class NotFoundRemote(ServiceError):
    """404 from a remote service."""


class BadRequest(ServiceError):
    """Any other 4xx: the request itself is wrong; retrying will not help."""


class RateLimited(ServiceError):
    """429: too many requests. ``retry_after`` is seconds to wait, if the service said."""

    retryable = True
    exit_code = 75

    def __init__(self, service: str, reason: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(service, reason, **kw)
        self.retry_after = retry_after


class ServiceUnavailable(ServiceError):
    """5xx, a refused or dropped connection, a DNS failure."""

    retryable = True


class RequestTimeout(ServiceUnavailable):
    """The service did not answer in time. For a side-effecting call the outcome is unknown."""


class ResponseTooLarge(ServiceError):
    """The response body exceeded the caller's size limit."""


# --- Providers and publishing ----------------------------------------------------------


class ProviderError(MoneyPrinterError):
    """A content provider (text, voice, images, subtitles) failed after its attempts."""


class NeedsKey(ProviderError):
    """A provider needs an API key that is not configured."""

    exit_code = 2

    def __init__(self, provider: str, env_var: str) -> None:
        super().__init__(
            f"{provider} needs an API key",
            hint=f"set {env_var} in the environment or in .env in the data directory",
        )
        self.provider = provider
        self.env_var = env_var


class QuotaExceeded(ProviderError):
    """A daily or monthly quota is spent; try again after ``resets_at`` (ISO time) if known."""

    exit_code = 75

    def __init__(self, message: str, *, resets_at: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.resets_at = resets_at


class PublishError(MoneyPrinterError):
    """Publishing failed; the publication record says whether it may be retried."""
