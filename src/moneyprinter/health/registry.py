"""The registry of health checks. Capabilities register theirs with ``@health_check``.

``CHECKS`` holds the checks; ``CHECK_MODULES`` the modules whose import registers them (one per
capability, imported by ``load_checks``). Both are the project's one ``Registry``: a second check
or module with the same name is an error at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from moneyprinter.check_result import CheckResult, Status
from moneyprinter.registry import Registry

__all__ = ["CHECKS", "CHECK_MODULES", "Check", "CheckFunc", "CheckResult", "HealthContext", "Status", "health_check",
           "load_checks", "register", "unregister"]

if TYPE_CHECKING:
    from moneyprinter.config import AppConfig
    from moneyprinter.http_client import HTTPClient


@dataclass
class HealthContext:
    """What a check may use. ``config_error`` is set when the configuration could not load."""

    config: AppConfig
    http: HTTPClient
    data_dir: Path
    config_error: str | None = None


CheckFunc = Callable[[HealthContext], CheckResult]


@dataclass
class Check:
    name: str
    group: str
    func: CheckFunc
    critical: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)


CHECKS: Registry[Check] = Registry("health check", expected=Check, subclass=False)

CHECK_MODULES: Registry[ModuleType] = Registry("health check module", expected=ModuleType, subclass=False)
for _capability in ("core", "services", "shorts", "render", "publishing", "x", "scheduler", "outreach"):
    CHECK_MODULES.register(_capability, f"moneyprinter.health.checks_{_capability}")


def health_check(name: str, *, group: str = "core", critical: bool = True) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check. A FAIL of a critical check makes ``moneyprinter health`` exit 1."""

    def decorate(func: CheckFunc) -> CheckFunc:
        register(Check(name=name, group=group, func=func, critical=critical))
        return func

    return decorate


def register(check: Check) -> None:
    CHECKS.register(check.name, check)


def unregister(name: str) -> None:
    CHECKS.unregister(name)


def load_checks() -> list[Check]:
    """Import every check module (which registers its checks), then every check in order."""
    CHECK_MODULES.values()  # resolving an entry imports the module, whose @health_check lines register
    return CHECKS.values()
