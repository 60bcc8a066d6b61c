"""``moneyprinter web`` as a user starts it: the address and the token once, loopback unless told otherwise."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import requests

from moneyprinter.web.token import token_path
from tests.conftest import subprocess_env


def _start(*args: str, until: str = "token") -> tuple[subprocess.Popen, list[str]]:
    """Start the server and read its output up to the line containing ``until``."""
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "web", "--port", "0", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=subprocess_env())
    lines: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if until in line:
            break
    return proc, lines


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(15)


def test_first_start_prints_the_address_and_the_token_once(home):
    proc, lines = _start()
    try:
        url = re.search(r"(http://127\.0\.0\.1:\d+)/", lines[0]).group(1)
        token = lines[1].rsplit(" ", 1)[1]
        assert token == token_path(home).read_text().strip()
        assert (token_path(home).stat().st_mode & 0o777) == 0o600
        assert requests.get(url + "/login").status_code == 200
    finally:
        _stop(proc)
    proc, lines = _start()
    try:
        assert not any(token in line for line in lines)
        assert "web/token" in lines[-1]
    finally:
        _stop(proc)


def test_binding_beyond_loopback_needs_the_explicit_flag(home):
    refused = subprocess.run([sys.executable, "-m", "moneyprinter", "web", "--host", "0.0.0.0"],
                             capture_output=True, text=True, env=subprocess_env(), timeout=60)
    assert refused.returncode == 2 and "--i-know-this-exposes-it" in refused.stderr
    proc, lines = _start("--host", "0.0.0.0", "--i-know-this-exposes-it")
    try:
        assert any(line.startswith("WARNING: listening on 0.0.0.0") for line in lines)
    finally:
        _stop(proc)


def test_public_unsubscribe_only_prints_no_token(home):
    proc, lines = _start("--public-unsubscribe-only", until="/u/TOKEN")
    try:
        url = re.search(r"(http://127\.0\.0\.1:\d+)/u/TOKEN", "\n".join(lines)).group(1)
        assert requests.get(url + "/login").status_code == 404
        assert not any("access token" in line for line in lines)
    finally:
        _stop(proc)
