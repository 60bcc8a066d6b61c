"""The application context shared by the CLI, the menu and the scheduler's job runner."""

from __future__ import annotations

import logging

from moneyprinter import paths
from moneyprinter.config import AppConfig, Settings, load_config
from moneyprinter.http_client import HTTPClient, configure_http_client, get_http_client
from moneyprinter.redact import register_secret
from moneyprinter.store import Database, open_database

log = logging.getLogger(__name__)


class App:
    """Loads the configuration and opens the database on first use."""

    def __init__(self, config: AppConfig | None = None) -> None:
        self._config = config
        self._db: Database | None = None
        if config is not None:
            self._apply(config)

    @property
    def config(self) -> AppConfig:
        if self._config is None:
            self._config = load_config()
            self._apply(self._config)
            cfg = self._config
            log.debug(
                "configuration from %s; overrides: %s; secrets set: %s",
                cfg.config_file if cfg.config_file_exists else "defaults",
                ", ".join(sorted(cfg.env_overrides)) or "none", ", ".join(cfg.secrets.configured()) or "none",
            )
        return self._config

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def db(self) -> Database:
        if self._db is None:
            paths.ensure_data_dir()
            self._db = open_database()
        return self._db

    @property
    def http(self) -> HTTPClient:
        self.config  # noqa: B018 - make sure the client is configured from settings
        return get_http_client()

    def _apply(self, config: AppConfig) -> None:
        for _, value in config.secrets:
            register_secret(value.get_secret_value() if value else None)
        configure_http_client(config.settings.http)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
