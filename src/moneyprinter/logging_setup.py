"""Logging: everything to a rotating file in the data directory, a concise console on stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from moneyprinter import paths
from moneyprinter.redact import RedactingFilter

LOG_FILE = "moneyprinter.log"
LIBRARY_LOGGERS = ("urllib3", "requests")


class _ConsoleFormatter(logging.Formatter):
    """One line per record; tracebacks stay in the log file."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def setup_logging(verbosity: int = 0) -> Path | None:
    """Configure the root logger once per process; returns the log file path if there is one."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_moneyprinter", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(logging.DEBUG)
    redactor = RedactingFilter()

    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbosity else logging.WARNING)
    console.setFormatter(_ConsoleFormatter())
    console.addFilter(redactor)
    console.addFilter(lambda record: getattr(record, "console", True))  # extra={"console": False}: file only
    if not verbosity:  # library chatter (urllib3's "pool is full") is for the log file, not the user
        console.addFilter(lambda record: not record.name.startswith(LIBRARY_LOGGERS))
    console._moneyprinter = True  # type: ignore[attr-defined]
    root.addHandler(console)

    log_path = paths.logs_dir() / LOG_FILE
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)
    handler._moneyprinter = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    for noisy in ("urllib3", "selenium", "PIL", "asyncio", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)
    return log_path
