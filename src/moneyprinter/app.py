"""The application context shared by the CLI, the menu and the scheduler's job runner.

One ``App`` is built per process (by the CLI, a test or a bench script) and passed down as the
first argument of domain functions. Its parts are fixed when it is built; ``__slots__`` makes
adding an attribute later an error, so a reader finds everything an ``app`` carries here.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from moneyprinter import paths
from moneyprinter.config import AppConfig, Settings, load_config
from moneyprinter.http_client import HTTPClient, configure_http_client, get_http_client
from moneyprinter.redact import register_secret
from moneyprinter.store import Database, open_database

log = logging.getLogger(__name__)


class App:
    """Configuration, database, HTTP client, data directory and log file of one process.

    The configuration is loaded and the database opened on first use, so that commands which
    need neither (``config init``, ``--help``) work with a broken config file. ``config``,
    ``db`` and ``http`` may be given (tests, health checks); a given HTTP client is used as is.
    """

    __slots__ = ("_config", "_db", "_http", "data_dir", "log_file", "log")

    def __init__(self, config: AppConfig | None = None, *, db: Database | None = None, http: HTTPClient | None = None,
                 log_file: Path | None = None) -> None:
        self._config = config
        self._db = db
        self._http = http
        self.data_dir: Path = paths.data_dir()
        self.log_file = log_file  # where a command's traceback goes; None without a log file
        self.log = logging.getLogger("moneyprinter")
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
        if self._http is not None:
            return self._http
        self.config  # noqa: B018 - make sure the client is configured from settings
        return get_http_client()

    def _apply(self, config: AppConfig) -> None:
        for _, value in config.secrets:
            register_secret(value.get_secret_value() if value else None)
        if self._http is None:  # a given client is the caller's; the process-wide one follows [http]
            configure_http_client(config.settings.http)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class ThreadApps:
    """One ``App`` per thread over a base ``App``, for servers whose handlers run on worker threads.

    A SQLite connection serves the thread that opened it, so each thread gets its own ``App`` (and
    database); all of them share the base's configuration, log file and HTTP client. Sharing the
    client matters: an ``App`` built from a configuration alone would replace (and close) the
    process-wide client while other threads are using it.
    """

    def __init__(self, base: App) -> None:
        self.base = base
        self._local = threading.local()
        self._first = threading.Lock()  # the base loads its configuration (and configures the client) once

    def get(self) -> App:
        """The calling thread's ``App``, made on its first call."""
        own = getattr(self._local, "app", None)
        if own is None:
            base = self.base
            with self._first:
                base.config  # noqa: B018
            own = self._local.app = App(base.config, http=base.http, log_file=base.log_file)
        return own
