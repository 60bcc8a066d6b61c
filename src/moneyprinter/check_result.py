"""What a health check returns: a status and a message, with the fix when something is wrong.

It sits below the domain so that providers and publishers can report their health without
importing the ``health`` package, which in turn imports them to run their checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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
