"""Schedules and runs, outreach, quotas and tokens, and accounts speak SQL only in ``store/``."""

from __future__ import annotations

import re
from pathlib import Path

import moneyprinter

SRC = Path(moneyprinter.__file__).parent
SQL = re.compile(r"\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA\s+\w|BEGIN\s+IMMEDIATE)")
MODULES = [
    *sorted((SRC / "scheduler").glob("*.py")),
    *sorted((SRC / "outreach").glob("*.py")),
    SRC / "publishers" / "quota.py",
    SRC / "publishers" / "credentials.py",
    SRC / "health" / "checks_scheduler.py",
    SRC / "health" / "checks_outreach.py",
    SRC / "health" / "checks_core.py",
]


def test_no_sql_outside_the_store_in_these_modules():
    found = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
             for path in MODULES
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if SQL.search(line)]
    assert found == []


def test_the_pattern_finds_sql():
    assert SQL.search('db.query("SELECT * FROM schedules")') and SQL.search("INSERT OR IGNORE INTO x")
    assert not SQL.search("select which schedule to remove")
