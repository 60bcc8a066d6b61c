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
