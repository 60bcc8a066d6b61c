"""Where moneyprinter keeps its data: ``./.moneyprinter`` unless MONEYPRINTER_HOME says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "MONEYPRINTER_HOME"
DEFAULT_HOME = ".moneyprinter"


def data_dir() -> Path:
    """The data directory (not created here; see ``ensure_data_dir``)."""
    raw = os.environ.get(HOME_ENV)
    return Path(raw).expanduser().resolve() if raw else (Path.cwd() / DEFAULT_HOME).resolve()


def ensure_data_dir() -> Path:
    path = data_dir()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from moneyprinter.errors import ConfigError

        raise ConfigError(
            f"{path}: cannot create the data directory ({exc.strerror or exc.__class__.__name__})",
            hint=f"set {HOME_ENV} to a folder you can write to",
        ) from None
    return path


def config_path() -> Path:
    return data_dir() / "config.toml"


def env_path() -> Path:
    return data_dir() / ".env"


def db_path() -> Path:
    return data_dir() / "moneyprinter.db"


def logs_dir() -> Path:
    return data_dir() / "logs"
