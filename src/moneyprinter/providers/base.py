"""What every provider shares: an id, whether it needs a key, typed options, a health check.

A capability keeps a ``ProviderRegistry`` of provider classes (the project's one ``Registry``,
with the config's error messages); the config names one. Adding a provider is one class with an
``id`` and one ``@registry.register`` line.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from moneyprinter.check_result import CheckResult
from moneyprinter.errors import ConfigError, NeedsKey
from moneyprinter.registry import NotRegistered, Registry
from moneyprinter.settings.core import ServicesSettings
from moneyprinter.settings.secrets import Secrets


class ProviderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provider:
    id: ClassVar[str]
    needs_key: ClassVar[bool] = False
    key_env_var: ClassVar[str | None] = None
    Options: ClassVar[type[ProviderOptions]] = ProviderOptions

    def __init__(self, options: ProviderOptions | None = None, secrets: Secrets | None = None,
                 services: ServicesSettings | None = None) -> None:
        self.options = options or self.Options()
        self.secrets = secrets or Secrets()
        self.services = services or ServicesSettings()  # [services]: base URLs of the seed services

    def key(self) -> str:
        """The API key, or ``NeedsKey`` naming the variable to set."""
        value = self.secrets.get(self.key_env_var) if self.key_env_var else None
        if not value:
            raise NeedsKey(self.id, self.key_env_var or "an API key")
        return value

    def health_check(self) -> CheckResult:
        if self.needs_key and not (self.key_env_var and self.secrets.get(self.key_env_var)):
            return CheckResult.fail(f"{self.id} needs {self.key_env_var}", f"set {self.key_env_var} in .env")
        return CheckResult.ok(f"{self.id} ready")


P = TypeVar("P", bound=Provider)


class ProviderRegistry(Generic[P]):
    """The providers of one capability (text, voice, image, subtitle), keyed by their ``id``."""

    def __init__(self, capability: str) -> None:
        self.capability = capability
        self._registry: Registry[type[P]] = Registry(f"{capability} provider", expected=Provider)

    def register(self, cls: type[P]) -> type[P]:
        """``@registry.register`` on the class; a second class with the same ``id`` is refused."""
        self._registry.register(cls.id, cls)
        return cls

    def unregister(self, name: str) -> None:
        self._registry.unregister(name)

    def names(self) -> list[str]:
        return self._registry.names()

    def get_class(self, name: str) -> type[P]:
        try:
            return self._registry.get(name)
        except NotRegistered:
            raise ConfigError(
                f"unknown {self.capability} provider '{name}'", hint="choose one of: " + ", ".join(self.names())
            ) from None

    def create(self, name: str, options: dict | None = None, secrets: Secrets | None = None,
               services: ServicesSettings | None = None, **settings: Any) -> P:
        """The provider ``name`` with its options validated; ``settings`` are the capability's own
        constructor arguments (a voice's ``speech_rate``)."""
        cls = self.get_class(name)
        try:
            opts = cls.Options.model_validate(options or {})
        except ValidationError as exc:
            err = exc.errors()[0]
            key = ".".join(str(p) for p in err["loc"])
            raise ConfigError(f"{self.capability} provider '{name}': option '{key}' {err['msg'].lower()}") from None
        return cls(opts, secrets, services, **settings)
