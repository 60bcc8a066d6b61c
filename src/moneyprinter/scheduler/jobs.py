"""The job kinds a schedule (or ``moneyprinter run``) can start, and how each resolves to a function.

Each kind names ``module:function``; the function is called as ``func(app, target)`` (target = the
account nickname, or the campaign name for outreach) and returns a one-line summary. It raises
``MoneyPrinterError`` subclasses on failure. Resolution is lazy, so this registry does not import
platform code and a kind whose module has not landed yet is reported plainly instead of crashing.
The ``test.*`` kinds exist so the scheduler can be tried and tested without posting anything.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from moneyprinter.errors import MoneyPrinterError, UsageError


class JobUnavailable(MoneyPrinterError):
    """The job kind is known but the code behind it is not installed yet (exit 1: the run failed)."""


@dataclass(frozen=True)
class JobKind:
    name: str
    entry: str  # "module:function"
    target: str  # "account" or "campaign"
    platform: str | None  # account platform to check, None = no check
    description: str
    testing: bool = False


KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in (
        JobKind("youtube.short", "moneyprinter.platforms.youtube:scheduled_short", "account", "youtube",
                "make a YouTube Short for the account and hand it to its publisher"),
        JobKind("twitter.post", "moneyprinter.platforms.x:scheduled_post", "account", "x",
                "write a post for the X account and hand it to its publisher"),
        JobKind("affiliate.pitch", "moneyprinter.platforms.affiliate:scheduled_pitch", "account", "x",
                "pitch the next affiliate product from the X account"),
        JobKind("outreach.campaign", "moneyprinter.platforms.outreach:scheduled_campaign", "campaign", None,
                "send the next batch of an outreach campaign"),
        JobKind("publish.due", "moneyprinter.publishers.engine:scheduled_publish_due", "account", None,
                "publish items whose rate-limit or quota deferral has passed (target: all)"),
        JobKind("test.echo", "moneyprinter.scheduler.testjobs:echo", "account", None,
                "FOR TESTING: print a line and succeed", testing=True),
        JobKind("test.sleep", "moneyprinter.scheduler.testjobs:sleep", "account", None,
                "FOR TESTING: sleep N seconds (target = N) in a child process", testing=True),
        JobKind("test.fail", "moneyprinter.scheduler.testjobs:fail", "account", None,
                "FOR TESTING: fail (target 'defer' = rate-limited, exit 75)", testing=True),
    )
}


def get_kind(name: str) -> JobKind:
    kind = KINDS.get(name)
    if kind is None:
        real = ", ".join(k for k, v in KINDS.items() if not v.testing)
        raise UsageError(f"unknown job kind '{name}'", hint=f"use one of: {real} (or test.echo, test.sleep, test.fail for testing)")
    return kind


def resolve(kind: JobKind) -> Callable[[object, str], str]:
    """The function behind ``kind``; ``JobUnavailable`` if its module or function does not exist yet."""
    module_name, _, func_name = kind.entry.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only a missing module of our own means "not landed"; a missing dependency inside it is a real error.
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise JobUnavailable(
                f"job kind {kind.name} is not available yet", hint=f"this version has no {kind.entry}"
            ) from None
        raise
    func = getattr(module, func_name, None)
    if not callable(func):
        raise JobUnavailable(f"job kind {kind.name} is not available yet", hint=f"this version has no {kind.entry}")
    return func


def check_target(app, kind: JobKind, target: str) -> None:
    """The account must exist on the kind's platform, the campaign must exist (NotFound, exit 2)."""
    if not target.strip():
        raise UsageError(f"job kind {kind.name} needs --account NAME" if kind.target == "account" else f"job kind {kind.name} needs --campaign NAME")
    if kind.target == "campaign":
        from moneyprinter.outreach import campaigns

        campaigns.get(app.db, target)
        return
    if kind.platform is None:
        return
    from moneyprinter.store.accounts import get_account

    get_account(app.db, kind.platform, target)
