"""Every status column's enum and its transition table, in one place.

Each machine is a ``StateMachine`` over a ``StrEnum``: ``machine.check(old, new)`` refuses a
transition its table does not list with ``IllegalTransition``. The repositories call it before they
write a status; the schema's CHECK constraints list the same values (a test compares them).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Generic, TypeVar

from moneyprinter.errors import StoreError

S = TypeVar("S", bound=StrEnum)


class IllegalTransition(StoreError):
    """A status change that the machine's table does not allow: a bug or a stale read, never user input."""


class StateMachine(Generic[S]):
    def __init__(self, name: str, states: type[S], transitions: dict[S, frozenset[S] | set[S]]) -> None:
        missing = set(states) - set(transitions)
        if missing:
            raise ValueError(f"{name}: no transitions listed for {', '.join(sorted(missing))}")
        self.name = name
        self.states = states
        self.transitions = {k: frozenset(v) for k, v in transitions.items()}

    def allowed(self, old: S | str, new: S | str) -> bool:
        old_state, new_state = self.states(old), self.states(new)
        return old_state == new_state or new_state in self.transitions[old_state]

    def check(self, old: S | str, new: S | str) -> S:
        """The new state, or ``IllegalTransition`` naming both ends."""
        if not self.allowed(old, new):
            raise IllegalTransition(f"{self.name}: cannot go from '{old}' to '{new}'")
        return self.states(new)

    def values(self) -> list[str]:
        return [s.value for s in self.states]


# --- content items and publications --------------------------------------------------------


class ItemStatus(StrEnum):
    """Where a content item (a Short, post, thread or pitch) stands, from draft to published."""

    DRAFT = "draft"  # a post or pitch, stored before it is handed to its publisher
    GENERATING = "generating"  # a Short's stages are running
    READY = "ready"  # a Short is rendered and not handed over (--no-publish)
    FAILED = "failed"  # a stage or a publish attempt failed; resume or publish again
    REVIEW = "review"  # waits for a person's approval
    PENDING = "pending"  # deferred by a rate limit or quota; published after not_before
    OUTBOX = "outbox"  # written to the outbox for a manual upload
    PUBLISHED = "published"
    NEEDS_ATTENTION = "needs_attention"  # the outcome is unknown: a person looks before anything is retried
    REJECTED = "rejected"  # refused in review; never published


class PublicationStatus(StrEnum):
    """Where one publication (an item to one destination) stands."""

    REVIEW = "review"
    PENDING = "pending"
    PUBLISHING = "publishing"  # the side effect may have started: a rerun reconciles, never repeats blindly
    OUTBOX = "outbox"
    PUBLISHED = "published"
    FAILED = "failed"
    NEEDS_ATTENTION = "needs_attention"
    REJECTED = "rejected"


class AttemptOutcome(StrEnum):
    """How one attempt to publish ended (``publication_attempts.outcome``)."""

    RUNNING = "running"
    INTERRUPTED = "interrupted"  # its process died; found 'running' by the next attempt
    DEFERRED = "deferred"
    NEEDS_ATTENTION = "needs_attention"
    FAILED = "failed"
    PUBLISHED = "published"
    OUTBOX = "outbox"


class PaidRequestStatus(StrEnum):
    """A paid request (image, transcription): claimed before the call, never repeated once it may have cost."""

    STARTED = "started"  # claimed; if still so after the call, the outcome is unknown and it is never repeated
    DONE = "done"
    FAILED = "failed"  # the service refused it: nothing was charged, it may be claimed again


_I = ItemStatus
# What one publish attempt leaves on the item (the outcomes of publishers.engine).
_PUBLISH_RESULTS = {_I.PENDING, _I.OUTBOX, _I.PUBLISHED, _I.FAILED, _I.NEEDS_ATTENTION}

ITEM_STATES = StateMachine("content item", ItemStatus, {
    # A post or pitch goes to its publisher (or to review) straight from draft.
    _I.DRAFT: {_I.GENERATING, _I.REVIEW, *_PUBLISH_RESULTS},
    # The stages end in ready or failed, in draft when they stop early for a person to read the script
    # (--script-only, --preview), or give a rerun of a handed-over Short back the status it had;
    # 'moneyprinter publish ID' may also be run on an unfinished item.
    _I.GENERATING: {s for s in ItemStatus if s is not _I.GENERATING},
    _I.READY: {_I.GENERATING, _I.REVIEW, *_PUBLISH_RESULTS},
    _I.FAILED: {_I.GENERATING, _I.REVIEW, *_PUBLISH_RESULTS},
    _I.REVIEW: {_I.GENERATING, _I.REJECTED, *_PUBLISH_RESULTS},
    _I.PENDING: {_I.GENERATING, *_PUBLISH_RESULTS},
    _I.OUTBOX: {_I.GENERATING, *_PUBLISH_RESULTS},
    _I.NEEDS_ATTENTION: {_I.GENERATING, *_PUBLISH_RESULTS},
    # Final for publishing; --resume may still rerun a Short's stages, which restores 'published'.
    _I.PUBLISHED: {_I.GENERATING},
    _I.REJECTED: {_I.GENERATING},
})

_P = PublicationStatus
PUBLICATION_STATES = StateMachine("publication", PublicationStatus, {
    _P.REVIEW: {_P.PENDING, _P.REJECTED, _P.PUBLISHED},  # approve, reject, or mark a manual upload
    _P.PENDING: {_P.PUBLISHING, _P.OUTBOX, _P.PUBLISHED, _P.FAILED, _P.NEEDS_ATTENTION},
    # Only a publisher that has begun its side effect is here, so it never ends in the outbox.
    _P.PUBLISHING: {_P.PUBLISHED, _P.PENDING, _P.FAILED, _P.NEEDS_ATTENTION},
    _P.FAILED: {_P.PUBLISHING, _P.OUTBOX, _P.PUBLISHED, _P.PENDING, _P.NEEDS_ATTENTION},
    _P.NEEDS_ATTENTION: {_P.PUBLISHING, _P.PUBLISHED, _P.PENDING, _P.FAILED},
    _P.OUTBOX: {_P.PUBLISHING, _P.PUBLISHED, _P.PENDING, _P.FAILED, _P.NEEDS_ATTENTION},
    _P.PUBLISHED: set(),
    _P.REJECTED: set(),
})

_A = AttemptOutcome
ATTEMPT_OUTCOMES = StateMachine("publication attempt", AttemptOutcome, {
    _A.RUNNING: {o for o in AttemptOutcome if o is not _A.RUNNING},
    **{o: set() for o in AttemptOutcome if o is not _A.RUNNING},
})

_R = PaidRequestStatus
PAID_REQUEST_STATES = StateMachine("paid request", PaidRequestStatus, {
    _R.STARTED: {_R.DONE, _R.FAILED},
    _R.FAILED: {_R.STARTED},
    _R.DONE: set(),
})


def item_transition(old: ItemStatus | str, new: ItemStatus | str) -> ItemStatus:
    """The item's new status, or ``IllegalTransition``; the content repository calls it before every write."""
    return ITEM_STATES.check(old, new)


def publication_transition(old: PublicationStatus | str, new: PublicationStatus | str) -> PublicationStatus:
    """The publication's new status, or ``IllegalTransition``; the publications repository calls it before
    every write."""
    return PUBLICATION_STATES.check(old, new)


# --- schedules, runs and outreach -----------------------------------------------------------


class RunOutcome(StrEnum):
    """``schedule_runs.outcome`` (and its copy ``schedules.last_outcome``)."""

    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    DEFERRED = "deferred"
    TIMED_OUT = "timed_out"
    SKIPPED_OVERLAP = "skipped_overlap"
    MISSED = "missed"  # written once, already ended: the slot was older than the grace window


# A daemon run is recorded twice: the job writes the outcome it knows (success, failed, deferred,
# skipped_overlap), then the daemon closes the row and may overrule it: timed_out when it killed the
# group at the deadline, failed when it killed the job at shutdown (or the job saw its daemon die).
RUN_OUTCOMES = StateMachine("run outcome", RunOutcome, {
    RunOutcome.RUNNING: {RunOutcome.SUCCESS, RunOutcome.FAILED, RunOutcome.DEFERRED, RunOutcome.TIMED_OUT,
                         RunOutcome.SKIPPED_OVERLAP},
    RunOutcome.SUCCESS: {RunOutcome.FAILED, RunOutcome.TIMED_OUT},
    RunOutcome.DEFERRED: {RunOutcome.FAILED, RunOutcome.TIMED_OUT},
    RunOutcome.FAILED: {RunOutcome.TIMED_OUT},
    RunOutcome.SKIPPED_OVERLAP: {RunOutcome.FAILED, RunOutcome.TIMED_OUT},
    RunOutcome.TIMED_OUT: set(),
    RunOutcome.MISSED: set(),
})


class RunSource(StrEnum):
    """``schedule_runs.source``: who started the run (not a state: it never changes)."""

    DAEMON = "daemon"
    CLI = "cli"


class ScheduleManager(StrEnum):
    """``schedules.managed_by``: who starts a schedule's runs (not a state: a person switches it)."""

    DAEMON = "daemon"
    CRON = "cron"  # crontab lines from 'scheduler install --cron'; the daemon skips it


class SendStatus(StrEnum):
    """``outreach_sends.status``: a send is reserved as ``sending`` before SMTP DATA."""

    SENDING = "sending"  # reserved; stays so when the outcome is unknown, until a person resolves it
    SENT = "sent"
    DEFERRED = "deferred"  # may be reserved again after retry_after
    FAILED = "failed"


SEND_STATUSES = StateMachine("outreach send", SendStatus, {
    SendStatus.SENDING: {SendStatus.SENT, SendStatus.FAILED, SendStatus.DEFERRED},
    SendStatus.DEFERRED: {SendStatus.SENDING},
    SendStatus.SENT: set(),
    SendStatus.FAILED: {SendStatus.DEFERRED},  # only by hand: 'outreach retry NAME --failed' after a person looked
})


class CampaignStatus(StrEnum):
    """``outreach_campaigns.status``: stopped by a rejected SMTP login (active again after a good one);
    paused after too many recipient errors in a row (active again only by hand: 'outreach retry')."""

    ACTIVE = "active"
    STOPPED = "stopped"
    PAUSED = "paused"


CAMPAIGN_STATUSES = StateMachine("outreach campaign", CampaignStatus, {
    CampaignStatus.ACTIVE: {CampaignStatus.STOPPED, CampaignStatus.PAUSED},
    CampaignStatus.STOPPED: {CampaignStatus.ACTIVE, CampaignStatus.PAUSED},
    CampaignStatus.PAUSED: {CampaignStatus.ACTIVE},
})


class SuppressionKind(StrEnum):
    """``outreach_suppressions.kind`` (not a state: an entry never changes kind)."""

    ADDRESS = "address"
    DOMAIN = "domain"


class ReplyKind(StrEnum):
    """``outreach_replies.kind``: what an answer to one of our messages was (not a state: it never changes)."""

    REPLY = "reply"  # a person answered: no more mail to them in that campaign, they are answered by hand
    AUTO_REPLY = "auto_reply"  # an out-of-office or other automatic answer: counted, stops nothing
    UNSUBSCRIBE = "unsubscribe"  # a person asked to stop: the address is suppressed


def advance_run(old: RunOutcome | str, new: RunOutcome | str) -> RunOutcome:
    return RUN_OUTCOMES.check(old, new)


def advance_send(old: SendStatus | str, new: SendStatus | str) -> SendStatus:
    return SEND_STATUSES.check(old, new)


def advance_campaign(old: CampaignStatus | str, new: CampaignStatus | str) -> CampaignStatus:
    return CAMPAIGN_STATUSES.check(old, new)


# --- background tasks (a Short made for the web app, the API or an MCP client) --------------


class TaskStatus(StrEnum):
    """``tasks.status``: a background task's life, from queued to an end."""

    QUEUED = "queued"  # recorded; its process is starting
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process died (kill -9, reboot): found so by the next reader


TASK_STATES = StateMachine("background task", TaskStatus, {
    TaskStatus.QUEUED: {TaskStatus.RUNNING, TaskStatus.FAILED, TaskStatus.INTERRUPTED},
    TaskStatus.RUNNING: {TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.INTERRUPTED},
    TaskStatus.DONE: set(),
    TaskStatus.FAILED: set(),
    TaskStatus.INTERRUPTED: set(),  # a resume is a new task
})


def advance_task(old: TaskStatus | str, new: TaskStatus | str) -> TaskStatus:
    return TASK_STATES.check(old, new)
