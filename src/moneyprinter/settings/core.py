"""Sections of the foundation: general behaviour, the HTTP client, and the seed services' addresses."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from moneyprinter.settings.base import Section


class GeneralSettings(Section):
    timezone: str = Field("UTC", description="IANA timezone for schedules and reports, e.g. Europe/Berlin")
    min_free_disk_mb: int = Field(1024, ge=0, description="Health check warns below this much free disk space")
    health_deadline_s: float = Field(10.0, gt=0, description="All health checks together finish within this")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not a known IANA timezone such as UTC or Europe/Berlin") from None
        return value


class HttpSettings(Section):
    connect_timeout_s: float = Field(5.0, gt=0, description="Seconds to wait for a TCP/TLS connection")
    read_timeout_s: float = Field(30.0, gt=0, description="Seconds to wait for response data")
    max_retries: int = Field(4, ge=0, le=10, description="Retries of safe requests after the first attempt")
    backoff_base_s: float = Field(0.5, ge=0, description="First retry waits about this long, then doubles")
    backoff_max_s: float = Field(30.0, ge=0, description="Upper bound on one backoff wait")
    retry_after_cap_s: float = Field(60.0, ge=0, description="Longest Retry-After that is honoured")
    deadline_s: float = Field(90.0, gt=0, description="Total seconds one call may take, across all its retries")
    pool_maxsize: int = Field(16, ge=1, description="Connections kept per host")
    user_agent: str = Field("moneyprinter/0.1 (+https://github.com/moneyprinter)", description="User-Agent header")


class ServicesSettings(Section):
    """Base URLs of the seed services. Change them to point at a proxy or a test server."""

    mistral_base_url: str = Field("https://api.mistral.ai", description="Mistral API base URL")
    assemblyai_base_url: str = Field("https://api.assemblyai.com", description="AssemblyAI API base URL")
    venice_base_url: str = Field("https://api.venice.ai", description="Venice API base URL")

    @field_validator("*")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL such as https://api.example.com")
        return value
