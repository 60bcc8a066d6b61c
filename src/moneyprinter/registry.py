"""The one registration mechanism: providers, publishers, job kinds, health checks and CLI command modules.

A ``Registry`` maps an id to an entry. An entry is registered either directly (a class, a function,
a dataclass) or lazily as ``"module:attribute"`` (or ``"module"`` for the module itself) so that
heavy modules (Selenium, llama.cpp) load only when used. Registering an id twice is an error at import time; resolving an id checks the
entry against the registry's expected type, so a typo in a lazy path or a wrong class is reported
where it is made, not as an AttributeError three calls later.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class DuplicateRegistration(RuntimeError):
    """Two entries claimed one id: a programming error, raised while the second module is imported."""


class NotRegistered(LookupError):
    """No entry has this id. ``names`` lists the ids that exist, for the caller's error message."""

    def __init__(self, kind: str, name: str, names: list[str]) -> None:
        super().__init__(f"unknown {kind} '{name}'")
        self.kind, self.name, self.names = kind, name, names


class Registry(Generic[T]):
    """Ids to entries of one kind. ``expected`` is a base class (entries must subclass it) or a type
    (entries must be instances of it); ``None`` accepts anything callable or not."""

    def __init__(self, kind: str, *, expected: type | None = None, subclass: bool = True) -> None:
        self.kind = kind
        self._expected = expected
        self._subclass = subclass
        self._entries: dict[str, T | str] = {}

    def register(self, name: str, entry: T | str) -> T | str:
        if name in self._entries:
            raise DuplicateRegistration(f"{self.kind} '{name}' is registered twice")
        if not isinstance(entry, str):
            self._check(name, entry)
        self._entries[name] = entry
        return entry

    def unregister(self, name: str) -> None:
        """For tests that register a double through the public registry and remove it after."""
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        try:
            entry = self._entries[name]
        except KeyError:
            raise NotRegistered(self.kind, name, self.names()) from None
        if isinstance(entry, str):
            entry = self._resolve(name, entry)
            self._entries[name] = entry
        return entry  # type: ignore[return-value]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def names(self) -> list[str]:
        return sorted(self._entries)

    def items(self) -> list[tuple[str, T]]:
        """Every entry, resolved, in registration order."""
        return [(name, self.get(name)) for name in list(self._entries)]

    def values(self) -> list[T]:
        return [entry for _, entry in self.items()]

    def _resolve(self, name: str, target: str) -> T:
        try:
            entry = load(target)
        except AttributeError as exc:
            raise TypeError(f"{self.kind} '{name}': {exc}") from None
        self._check(name, entry)
        return entry

    def _check(self, name: str, entry: Any) -> None:
        if self._expected is None:
            return
        ok = (isinstance(entry, type) and issubclass(entry, self._expected)) if self._subclass \
            else isinstance(entry, self._expected)
        if not ok:
            raise TypeError(f"{self.kind} '{name}' is {entry!r}, not a {self._expected.__name__}")


def load(target: str) -> Any:
    """``"module:attribute"`` -> the attribute, ``"module"`` -> the module (imported on first use)."""
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    if not attr:
        return module
    try:
        return getattr(module, attr)
    except AttributeError:
        raise AttributeError(f"{module_name} has no {attr}") from None
