"""Logging: a rotating file in the data directory, a concise console, -v for debug, secrets redacted."""

from __future__ import annotations

import logging
import logging.handlers

from moneyprinter.logging_setup import setup_logging
from moneyprinter.redact import register_secret
from tests.foundation.helpers import run_moneyprinter

SECRET = "venice-Lk29sX0pQw7m"


def test_log_file_rotates_in_the_data_directory(home, log_file):
    path = setup_logging(0)
    assert path == home / "logs" / "moneyprinter.log" == log_file
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    assert handler.maxBytes > 0 and handler.backupCount >= 1
    handler.maxBytes = 2000  # rotate quickly for the test
    log = logging.getLogger("moneyprinter.test")
    for i in range(100):
        log.debug("line %d %s", i, "x" * 50)  # debug goes to the file even without -v
    rotated = sorted(p.name for p in path.parent.iterdir())
    assert rotated[:2] == ["moneyprinter.log", "moneyprinter.log.1"]
    assert len(rotated) <= 1 + handler.backupCount
    assert "line 99" in path.read_text()


def test_secrets_registered_are_redacted_in_file_and_console(home, log_file, capsys):
    path = setup_logging(1)
    register_secret(SECRET)
    log = logging.getLogger("moneyprinter.test")
    log.info("calling Venice with key %s", SECRET)
    try:
        raise RuntimeError(f"upstream said: bad key {SECRET}")
    except RuntimeError:
        log.exception("request failed")
    logging.shutdown()
    text = path.read_text()
    console = capsys.readouterr().err
    assert "calling Venice with key ****" in text and "calling Venice with key ****" in console
    assert "RuntimeError: upstream said: bad key ****" in text  # the traceback is kept, redacted
    assert SECRET not in text and SECRET not in console
    assert "Traceback" not in console  # tracebacks stay in the file


def test_console_is_quiet_by_default_and_verbose_with_v(home):
    quiet = run_moneyprinter("accounts", "list")
    verbose = run_moneyprinter("-v", "accounts", "list")
    assert quiet.returncode == verbose.returncode == 0
    assert quiet.stderr == ""
    assert "debug: moneyprinter 0.1.0" in verbose.stderr and f"data directory {home}" in verbose.stderr
    text = (home / "logs" / "moneyprinter.log").read_text()
    assert "applied migration m001_core" in text  # the first run migrated the new database
    assert text.count("DEBUG moneyprinter: moneyprinter 0.1.0") == 2  # the file always gets debug lines


def test_key_from_env_file_never_reaches_the_log(home):
    home.mkdir(parents=True)
    env = home / ".env"
    env.write_text(f"VENICE_API_KEY={SECRET}\n")
    env.chmod(0o600)
    proc = run_moneyprinter("-vv", "health", env_extra={"MONEYPRINTER_SERVICES__VENICE_BASE_URL": "http://127.0.0.1:9"})
    text = (home / "logs" / "moneyprinter.log").read_text()
    assert "secrets set: VENICE_API_KEY" in text and "health check Venice: FAIL" in text
    assert SECRET not in text + proc.stdout + proc.stderr
