"""The registry of health checks. Capabilities register theirs with ``@health_check``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from moneyprinter.config import AppConfig
    from moneyprinter.http_client import HTTPClient


class Status(str, Enum):
    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass
class CheckResult:
    status: Status
    message: str
    remediation: str = ""

    @classmethod
    def ok(cls, message: str) -> CheckResult:
        return cls(Status.PASS, message)

    @classmethod
    def warn(cls, message: str, fix: str = "") -> CheckResult:
        return cls(Status.WARN, message, fix)

    @classmethod
    def fail(cls, message: str, fix: str = "") -> CheckResult:
        return cls(Status.FAIL, message, fix)

    @classmethod
    def skip(cls, message: str, fix: str = "") -> CheckResult:
        return cls(Status.SKIP, message, fix)


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


_REGISTRY: dict[str, Check] = {}


def health_check(name: str, *, group: str = "core", critical: bool = True) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check. A FAIL of a critical check makes ``moneyprinter health`` exit 1."""

    def decorate(func: CheckFunc) -> CheckFunc:
        _REGISTRY[name] = Check(name=name, group=group, func=func, critical=critical)
        return func

    return decorate


def register(check: Check) -> None:
    _REGISTRY[check.name] = check


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def registered() -> list[Check]:
    return list(_REGISTRY.values())
