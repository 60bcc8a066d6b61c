"""Running the registered checks concurrently under one overall deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
import threading
import time
from dataclasses import dataclass, field

from moneyprinter import paths
from moneyprinter.config import AppConfig, Settings, load_secrets
from moneyprinter.errors import ConfigError, MoneyPrinterError
from moneyprinter.health.registry import Check, CheckResult, HealthContext, Status, load_checks
from moneyprinter.http_client import get_http_client
from moneyprinter.settings.secrets import Secrets

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

@dataclass
class CheckOutcome:
    check: Check
    result: CheckResult
    seconds: float


@dataclass
class HealthReport:
    outcomes: list[CheckOutcome] = field(default_factory=list)
    seconds: float = 0.0
    http: dict[str, int] = field(default_factory=dict)

    @property
    def critical_failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if o.result.status is Status.FAIL and o.check.critical]

    @property
    def ok(self) -> bool:
        return not self.critical_failures

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for o in self.outcomes:
            counts[o.result.status.value] += 1
        return counts

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "http": self.http,
            "checks": [
                {
                    "name": o.check.name,
                    "group": o.check.group,
                    "critical": o.check.critical,
                    "status": o.result.status.value,
                    "message": o.result.message,
                    "remediation": o.result.remediation,
                    "seconds": round(o.seconds, 3),
                }
                for o in self.outcomes
            ],
        }


class HealthChecker:
    """Runs checks in daemon threads so that a hanging one cannot stall startup or exit."""

    def __init__(self, context: HealthContext, checks: list[Check] | None = None, deadline_s: float | None = None):
        self.context = context
        self.checks = checks if checks is not None else load_checks()
        self.deadline_s = deadline_s or context.config.settings.general.health_deadline_s

    def run(self) -> HealthReport:
        start = time.monotonic()
        results: dict[str, CheckOutcome] = {}
        threads = []
        for check in self.checks:
            thread = threading.Thread(target=self._run_one, args=(check, results), name=f"health:{check.name}", daemon=True)
            thread.start()
            threads.append(thread)
        deadline = start + self.deadline_s
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        outcomes = []
        for check in self.checks:
            outcome = results.get(check.name)
            if outcome is None:
                outcome = CheckOutcome(
                    check,
                    CheckResult.fail(f"no answer within the {self.deadline_s:g} s deadline", "check the network or the service"),
                    self.deadline_s,
                )
            outcomes.append(outcome)
        return HealthReport(outcomes, time.monotonic() - start, self.context.http.stats.snapshot())

    def _run_one(self, check: Check, results: dict[str, CheckOutcome]) -> None:
        began = time.monotonic()
        try:
            result = check.func(self.context)
        except MoneyPrinterError as exc:  # a known failure (a read-only database) is a verdict, not a crash
            log.debug("health check %s: %s", check.name, exc)
            result = CheckResult.fail(exc.message, exc.hint or "see the log file")
        except Exception as exc:  # a broken check must not break the report
            log.exception("health check %s crashed", check.name)
            result = CheckResult.fail(f"check crashed: {exc.__class__.__name__}: {exc}", "see the log file")
        seconds = time.monotonic() - began
        log.debug("health check %s: %s %s (%.2f s)", check.name, result.status.value, result.message, seconds)
        results[check.name] = CheckOutcome(check, result, seconds)


def run_health(app: App) -> HealthReport:
    """Run every registered check. A broken config is reported as a failed check, not raised."""
    config_error = None
    try:
        config = app.config
    except ConfigError as exc:
        config_error = str(exc)
        try:
            secrets = load_secrets(paths.env_path())
        except ConfigError:
            secrets = Secrets()
        config = AppConfig(Settings(), secrets, paths.config_path(), paths.env_path())
    context = HealthContext(config=config, http=get_http_client(), data_dir=paths.data_dir(), config_error=config_error)
    return HealthChecker(context).run()
