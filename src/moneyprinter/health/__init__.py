"""HealthChecker: cheap, real checks of keys, tools and storage, run concurrently under a deadline."""

from moneyprinter.health.checker import HealthChecker, HealthReport, load_checks, run_health
from moneyprinter.health.registry import CheckResult, HealthContext, Status, health_check

__all__ = ["CheckResult", "HealthChecker", "HealthContext", "HealthReport", "Status", "health_check", "load_checks", "run_health"]
