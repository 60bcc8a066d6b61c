"""The seed services: each checked, when its key is set, by one authenticated and free GET."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from moneyprinter import errors
from moneyprinter.health.registry import CheckResult, HealthContext, health_check

SERVICE_TIMEOUT = (3.0, 5.0)


@dataclass(frozen=True)
class ServiceProbe:
    name: str
    env_var: str
    base_url_setting: str
    path: str
    auth: Callable[[str], dict[str, str]]
    needed_when: Callable[[HealthContext], str | None]  # returns the feature that needs it, or None


def probe_service(ctx: HealthContext, probe: ServiceProbe) -> CheckResult:
    key = ctx.config.secrets.get(probe.env_var)
    needed_by = probe.needed_when(ctx)
    if not key:
        if needed_by:  # one cause, one verdict: the feature's own check FAILs on the missing key
            return CheckResult.skip(f"{probe.env_var} not set; the check of the {needed_by} reports it")
        return CheckResult.skip("not configured (not needed by the current settings)")
    base = getattr(ctx.config.settings.services, probe.base_url_setting).rstrip("/")
    try:
        response = ctx.http.get(
            base + probe.path, service=probe.name, headers=probe.auth(key), timeout=SERVICE_TIMEOUT, max_retries=0
        )
    except errors.Unauthorized:
        return CheckResult.fail("key rejected", f"check {probe.env_var}; create a new key if it was revoked")
    except errors.RateLimited:
        return CheckResult.warn("rate limited, key accepted", "wait a moment; requests will be slowed down")
    except errors.RequestTimeout as exc:
        return CheckResult.fail(f"unreachable ({exc.reason})", f"check the network or {probe.base_url_setting}")
    except errors.ServiceUnavailable as exc:
        return CheckResult.fail(exc.reason, f"check the network or {probe.base_url_setting}")
    except errors.ServiceError as exc:
        return CheckResult.fail(exc.reason, f"check {probe.base_url_setting}")
    if not answers_json(response):
        return CheckResult.fail(f"{base} answered, but not as the {probe.name} API (a captive portal or proxy page?)",
                                f"sign in to the network or check {probe.base_url_setting}")
    return CheckResult.ok("key accepted")


def answers_json(response) -> bool:
    """A service's API answers JSON; a Wi-Fi sign-in page or a proxy's error page answers HTML with a 200."""
    if "json" not in response.headers.get("Content-Type", "").lower():
        return False
    try:
        return isinstance(response.json(), (dict, list))
    except ValueError:
        return False


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


PROBES = (
    ServiceProbe(
        "Mistral", "MISTRAL_API_KEY", "mistral_base_url", "/v1/models", _bearer,
        lambda ctx: "text provider 'mistral'" if ctx.config.settings.shorts.text_provider == "mistral" else None,
    ),
    ServiceProbe(
        "AssemblyAI", "ASSEMBLYAI_API_KEY", "assemblyai_base_url", "/v2/transcript?limit=1",
        lambda key: {"Authorization": key},
        lambda ctx: "subtitle provider 'assemblyai'" if ctx.config.settings.shorts.subtitle_provider == "assemblyai" else None,
    ),
    ServiceProbe(
        "Venice", "VENICE_API_KEY", "venice_base_url", "/api/v1/api_keys/rate_limits", _bearer,
        lambda ctx: "image provider 'venice'" if ctx.config.settings.shorts.image_provider == "venice" else None,
    ),
)

for _probe in PROBES:
    health_check(_probe.name, group="services")(lambda ctx, p=_probe: probe_service(ctx, p))
