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
    SendStatus.FAILED: set(),
})


class CampaignStatus(StrEnum):
    """``outreach_campaigns.status``: stopped by a rejected SMTP login, active again after a good one."""

    ACTIVE = "active"
    STOPPED = "stopped"


CAMPAIGN_STATUSES = StateMachine("outreach campaign", CampaignStatus, {
    CampaignStatus.ACTIVE: {CampaignStatus.STOPPED},
    CampaignStatus.STOPPED: {CampaignStatus.ACTIVE},
})


class SuppressionKind(StrEnum):
    """``outreach_suppressions.kind`` (not a state: an entry never changes kind)."""

    ADDRESS = "address"
    DOMAIN = "domain"


def advance_run(old: RunOutcome | str, new: RunOutcome | str) -> RunOutcome:
    return RUN_OUTCOMES.check(old, new)


def advance_send(old: SendStatus | str, new: SendStatus | str) -> SendStatus:
    return SEND_STATUSES.check(old, new)


def advance_campaign(old: CampaignStatus | str, new: CampaignStatus | str) -> CampaignStatus:
    return CAMPAIGN_STATUSES.check(old, new)
