"""The job kinds a schedule (or ``moneyprinter run``) can start, and how each resolves to a function.

Each kind names ``module:function``; the function is called as ``func(app, target)`` (target = the
account nickname, or the campaign name for outreach) and returns a one-line summary. It raises
``MoneyPrinterError`` subclasses on failure. The function is imported when a run starts, so this
registry does not load platform code. The ``test.*`` kinds exist so the scheduler can be tried
and tested without posting anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable
from dataclasses import dataclass

from moneyprinter.errors import UsageError
from moneyprinter.registry import NotRegistered, Registry, load

if TYPE_CHECKING:
    from moneyprinter.app import App


@dataclass(frozen=True)
class JobKind:
    name: str
    entry: str  # "module:function"
    target: str  # "account" or "campaign"
    platform: str | None  # account platform to check, None = no check
    description: str
    testing: bool = False


KINDS: Registry[JobKind] = Registry("job kind", expected=JobKind, subclass=False)


def register(kind: JobKind) -> JobKind:
    KINDS.register(kind.name, kind)
    return kind


register(JobKind("youtube.short", "moneyprinter.platforms.youtube:scheduled_short", "account", "youtube",
                 "make a YouTube Short for the account and hand it to its publisher"))
register(JobKind("twitter.post", "moneyprinter.platforms.x:scheduled_post", "account", "x",
                 "write a post for the X account and hand it to its publisher"))
register(JobKind("affiliate.pitch", "moneyprinter.platforms.affiliate:scheduled_pitch", "account", "x",
                 "pitch the next affiliate product from the X account"))
register(JobKind("outreach.campaign", "moneyprinter.platforms.outreach:scheduled_campaign", "campaign", None,
                 "send the next batch of an outreach campaign"))
register(JobKind("publish.due", "moneyprinter.publishers.engine:scheduled_publish_due", "account", None,
                 "publish items whose rate-limit or quota deferral has passed (target: all)"))
register(JobKind("outreach.inbox", "moneyprinter.platforms.outreach:scheduled_inbox_poll", "account", None,
                 "record answers to campaigns, suppress stop requests and bounces (target: all)"))
register(JobKind("test.echo", "moneyprinter.scheduler.testjobs:echo", "account", None,
                 "FOR TESTING: print a line and succeed", testing=True))
register(JobKind("test.sleep", "moneyprinter.scheduler.testjobs:sleep", "account", None,
                 "FOR TESTING: sleep N seconds (target = N) in a child process", testing=True))
register(JobKind("test.fail", "moneyprinter.scheduler.testjobs:fail", "account", None,
                 "FOR TESTING: fail (target 'defer' = rate-limited, exit 75)", testing=True))


def get_kind(name: str) -> JobKind:
    try:
        return KINDS.get(name)
    except NotRegistered:
        real = ", ".join(k.name for k in KINDS.values() if not k.testing)
        raise UsageError(
            f"unknown job kind '{name}'", hint=f"use one of: {real} (or test.echo, test.sleep, test.fail for testing)"
        ) from None


def resolve(kind: JobKind) -> Callable[[object, str], str]:
    """The function behind ``kind``; a wrong path is a programming error, named with the kind."""
    try:
        func = load(kind.entry)
    except AttributeError as exc:
        raise TypeError(f"job kind {kind.name}: {exc}") from None
    if not callable(func):
        raise TypeError(f"job kind {kind.name}: {kind.entry} is not a function")
    return func


def check_target(app: App, kind: JobKind, target: str) -> None:
    """The account must exist on the kind's platform, the campaign must exist (NotFound, exit 2)."""
    if not target.strip():
        raise UsageError(f"job kind {kind.name} needs --account NAME" if kind.target == "account" else f"job kind {kind.name} needs --campaign NAME")
    if kind.target == "campaign":
        from moneyprinter.outreach import campaigns

        campaigns.get(app.db, target)
        return
    target_account_id(app.db, kind, target)


def target_account_id(db, kind: JobKind, target: str) -> int | None:
    """The id of the account an account job runs for (NotFound if none), None for other jobs.

    A schedule stores this id, not the nickname, so renaming the account keeps its schedules.
    """
    if kind.target != "account" or kind.platform is None:
        return None
    from moneyprinter.store.accounts import get_account

    return get_account(db, kind.platform, target).id
