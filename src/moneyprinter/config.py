"""Loading and validating the configuration.

Sources, later ones winning:
1. defaults in the section models (``moneyprinter.settings``);
2. ``config.toml`` in the data directory (missing file = defaults);
3. environment variables ``MONEYPRINTER_<SECTION>__<KEY>`` (e.g. ``MONEYPRINTER_HTTP__READ_TIMEOUT_S=10``).

A section's old name (``[twitter]`` for ``[x]``) is still read, as if it were the new one; keys
under the new name win, so a half-migrated file keeps working without a warning on every run.

Secrets (API keys, passwords) come only from the environment and ``.env`` in the data
directory, which must not be readable by group or others.

Every problem becomes one ``ConfigError`` line naming the file (or variable), the key and the fix.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from moneyprinter import paths
from moneyprinter.errors import ConfigError
from moneyprinter.settings.core import GeneralSettings, HttpSettings, ServicesSettings
from moneyprinter.settings.outreach import OutreachSettings
from moneyprinter.settings.publishing import PublishingSettings
from moneyprinter.settings.render import RenderSettings, SubtitleSettings
from moneyprinter.settings.scheduler import SchedulerSettings
from moneyprinter.settings.secrets import Secrets
from moneyprinter.settings.shorts import ShortsSettings
from moneyprinter.settings.text import TextSettings
from moneyprinter.settings.x import XSettings

ENV_PREFIX = "MONEYPRINTER_"
SECTION_ALIASES = {"twitter": "x"}  # old section name -> current one


class Settings(BaseModel):
    """The effective configuration, one attribute per config-file section."""

    model_config = ConfigDict(extra="forbid")

    general: GeneralSettings = GeneralSettings()
    http: HttpSettings = HttpSettings()
    services: ServicesSettings = ServicesSettings()
    shorts: ShortsSettings = ShortsSettings()
    render: RenderSettings = RenderSettings()
    subtitles: SubtitleSettings = SubtitleSettings()
    publishing: PublishingSettings = PublishingSettings()
    x: XSettings = XSettings()
    scheduler: SchedulerSettings = SchedulerSettings()
    outreach: OutreachSettings = OutreachSettings()
    text: TextSettings = TextSettings()

    @model_validator(mode="after")
    def _one_setting_per_service(self) -> Settings:
        """AssemblyAI's address can be set in two tables; whichever is set is the one address that
        the pipeline, health and every other user see, and two different values are an error."""
        services, stt = self.services, self.shorts.stt_assemblyai
        in_services = "assemblyai_base_url" in services.model_fields_set
        in_stt = "base_url" in stt.model_fields_set
        if in_services and in_stt and services.assemblyai_base_url.rstrip("/") != stt.base_url.rstrip("/"):
            raise ValueError(
                "[services] assemblyai_base_url and [shorts.stt_assemblyai] base_url disagree "
                f"({services.assemblyai_base_url} vs {stt.base_url}); keep [services] assemblyai_base_url only"
            )
        if in_stt and not in_services:
            self.services = services.model_copy(update={"assemblyai_base_url": stt.base_url})
        elif stt.base_url != services.assemblyai_base_url:
            shorts = self.shorts.model_copy(update={
                "stt_assemblyai": stt.model_copy(update={"base_url": services.assemblyai_base_url})})
            self.shorts = shorts
        return self


@dataclass
class AppConfig:
    """Settings plus secrets plus where they came from."""

    settings: Settings
    secrets: Secrets
    config_file: Path
    env_file: Path
    config_file_exists: bool = False
    env_overrides: dict[str, str] = field(default_factory=dict)


def load_config(*, config_file: Path | None = None, env_file: Path | None = None) -> AppConfig:
    if config_file is None:
        _check_data_dir()
    config_file = config_file or paths.config_path()
    env_file = env_file or paths.env_path()
    data = _rename_old_sections(_read_toml(config_file), config_file)
    overrides = _env_overrides()
    for (section, key), (var, value) in overrides.items():
        data.setdefault(section, {})
        if not isinstance(data[section], dict):
            raise ConfigError(f"{config_file}: '{section}' must be a table like [{section}]")
        data[section][key] = value
    settings = _validate(data, config_file, overrides)
    secrets = load_secrets(env_file)
    return AppConfig(
        settings=settings,
        secrets=secrets,
        config_file=config_file,
        env_file=env_file,
        config_file_exists=config_file.exists(),
        env_overrides={var: value for (var, value) in overrides.values()},
    )


def load_secrets(env_file: Path) -> Secrets:
    """Secrets from the process environment, falling back to ``env_file``."""
    file_values: dict[str, str] = {}
    if env_file.is_dir():
        raise ConfigError(f"{env_file}: is a directory, not a secrets file",
                          hint="move it away; secrets go in a text file of NAME=value lines")
    if env_file.exists():
        check_env_file_permissions(env_file)
        try:
            raw = dotenv_values(env_file)
        except UnicodeDecodeError:
            raise ConfigError(f"{env_file}: secrets file is not UTF-8 text",
                              hint="save it as UTF-8 text with one NAME=value line per secret") from None
        except OSError as exc:
            raise ConfigError(f"{env_file}: cannot read secrets file ({exc.strerror or exc.__class__.__name__})",
                              hint=f"make it readable by you only: chown it to your user, then chmod 600 {env_file}") from None
        file_values = {k.lower(): v for k, v in raw.items() if v}
    env_values = {k.lower(): v for k, v in os.environ.items() if v}
    merged = {**file_values, **env_values}
    known = set(Secrets.model_fields)
    return Secrets(**{k: v for k, v in merged.items() if k in known})


def _check_data_dir() -> None:
    home = paths.data_dir()
    if home.exists() and not home.is_dir():
        source = f"{paths.HOME_ENV}={home}" if os.environ.get(paths.HOME_ENV) else str(home)
        raise ConfigError(f"{source} is a file, not a directory",
                          hint=f"set {paths.HOME_ENV} to a folder (it is created if missing)")


def check_env_file_permissions(env_file: Path) -> None:
    mode = env_file.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{env_file}: secrets file is readable by group or others (mode {stat.S_IMODE(mode):o})",
            hint=f"run: chmod 600 {env_file}",
        )


def _read_toml(path: Path) -> dict[str, Any]:
    if path.is_symlink() and not path.exists():  # a dangling link would otherwise mean silent defaults
        raise ConfigError(f"{path}: is a link to {os.readlink(path)}, which does not exist",
                          hint="fix or remove the link, or run 'moneyprinter config init'")
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except PermissionError as exc:
        raise ConfigError(f"{path}: cannot read config file (permission denied)", hint="check its owner and mode") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}", hint="fix the syntax or run 'moneyprinter config init --force'") from exc
    except IsADirectoryError as exc:
        raise ConfigError(
            f"{path}: is a directory, not a config file", hint="move it away, then run 'moneyprinter config init'"
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text", hint="save the file as UTF-8") from exc
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise ConfigError(f"{path}: cannot read config file ({reason})", hint="check its owner and mode") from exc


def _rename_old_sections(data: dict[str, Any], config_file: Path) -> dict[str, Any]:
    """Read ``[twitter]`` as ``[x]``: the keys of both tables, the new table's winning."""
    for old, new in SECTION_ALIASES.items():
        if old not in data:
            continue
        table = data.pop(old)
        if not isinstance(table, dict):
            raise ConfigError(f"{config_file}: '{old}' must be a table like [{new}]")
        current = data.get(new, {})
        data[new] = {**table, **current} if isinstance(current, dict) else current
    return data


def _env_overrides() -> dict[tuple[str, str], tuple[str, str]]:
    """``MONEYPRINTER_SECTION__KEY=value`` variables, keyed by (section, key)."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for var, value in os.environ.items():
        if not var.startswith(ENV_PREFIX) or "__" not in var:
            continue
        section, _, key = var[len(ENV_PREFIX):].lower().partition("__")
        section = SECTION_ALIASES.get(section, section)
        if (section, key) in found and found[(section, key)][0].startswith(f"{ENV_PREFIX}{section.upper()}__"):
            continue  # MONEYPRINTER_X__KEY wins over the old MONEYPRINTER_TWITTER__KEY
        found[(section, key)] = (var, value)
    return found


def _validate(data: dict[str, Any], config_file: Path, overrides: dict) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        raise _translate(exc, config_file, overrides) from None


def _translate(exc: ValidationError, config_file: Path, overrides: dict) -> ConfigError:
    """Turn pydantic's first error into one line that names the source, the key and the fix."""
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"]]
    key = ".".join(loc)
    source, fix_default = str(config_file), "remove the key to use the default"
    env_var = _override_var(loc, overrides)
    if env_var:
        source, fix_default = f"environment variable {env_var}", f"unset {env_var} to use the default"
    kind = err["type"]
    if kind == "extra_forbidden":
        if len(loc) == 1:
            return ConfigError(
                f"{source}: unknown section [{key}]",
                hint=_did_you_mean(loc[0], Settings.model_fields) + "valid sections: "
                + ", ".join(Settings.model_fields),
            )
        table = ".".join(loc[:-1])
        table_model = _model_at(loc[:-1])
        fields = table_model.model_fields if table_model else {}
        choices = ", ".join(fields) or "(none yet)"
        return ConfigError(
            f"{source}: unknown key '{key}'",
            hint=_did_you_mean(loc[-1], fields) + f"valid keys in [{table}]: {choices}",
        )
    got = err.get("input")
    got_text = f" (got {json.dumps(got)})" if isinstance(got, (str, int, float, bool)) else ""
    more = f"; {len(exc.errors()) - 1} more problem(s)" if len(exc.errors()) > 1 else ""
    msg = err["msg"].removeprefix("Value error, ")
    if not loc:  # a rule across tables
        return ConfigError(f"{source}: {msg}", hint="make the settings agree (see 'moneyprinter config show')")
    return ConfigError(
        f"{source}: '{key}' {msg[:1].lower()}{msg[1:]}{got_text}{more}",
        hint=f"fix the value or {fix_default} (see 'moneyprinter config init')",
    )


def _model_at(path: list[str]) -> type[BaseModel] | None:
    """The model of the table at ``path`` (e.g. ["shorts", "llm_mistral"]), following nested models."""
    model: type[BaseModel] = Settings
    for part in path:
        info = model.model_fields.get(part)
        annotation = info.annotation if info else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        model = annotation
    return model


def _override_var(loc: list[str], overrides: dict) -> str | None:
    """The MONEYPRINTER_* variable behind an error location, if the value came from the environment."""
    if len(loc) >= 2 and (loc[0], loc[1]) in overrides:
        return overrides[(loc[0], loc[1])][0]
    if len(loc) == 1:  # an unknown section: it came from a variable only if no file table has that name
        matches = [var for (section, _), (var, _) in overrides.items() if section == loc[0]]
        return matches[0] if matches else None
    return None


def _did_you_mean(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


# --- Presentation ------------------------------------------------------------------------


def masked_settings(config: AppConfig) -> dict[str, Any]:
    """Effective settings plus secrets, every secret value masked, for ``config show``."""
    shown: dict[str, Any] = _mask_urls(config.settings.model_dump(mode="json"))
    shown["secrets"] = {name.upper(): "**** (set)" if value else None for name, value in config.secrets}
    return shown


def _mask_urls(value: Any) -> Any:
    """URL settings may carry a password (``https://user:pw@proxy``) or a key in the query: mask both."""
    from moneyprinter.redact import redact_url

    if isinstance(value, dict):
        return {key: _mask_urls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_urls(item) for item in value]
    if isinstance(value, str) and "://" in value:
        return redact_url(value)
    return value


def render_template() -> str:
    """A commented config.toml listing every key with its default, all commented out."""
    lines = [
        "# moneyprinter configuration. Every key is optional: remove the '#' to change a default.",
        "# Secrets (API keys, passwords) do not belong here: put them in .env beside this file",
        "# (mode 600) or in the environment, e.g. MISTRAL_API_KEY=...",
        "# Any key can also be set as MONEYPRINTER_<SECTION>__<KEY>, e.g. MONEYPRINTER_HTTP__READ_TIMEOUT_S=10",
        "",
    ]
    for section, info in Settings.model_fields.items():
        model = info.annotation
        lines.append(f"[{section}]")
        doc = (model.__doc__ or "").strip().splitlines()
        if doc and not doc[0].startswith("A config section"):
            lines.append(f"# {doc[0]}")
        for key, finfo in model.model_fields.items():
            if finfo.description:
                lines.append(f"# {finfo.description}")
            lines.append(f"# {key} = {_toml_value(finfo.get_default(call_default_factory=True))}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if value is None:
        return '""'
    return json.dumps(value)
