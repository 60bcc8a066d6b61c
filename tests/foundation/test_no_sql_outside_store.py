"""SQL lives in store/ only: every other module calls repository functions."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "moneyprinter"
# A SQL statement in a string literal, or a call that runs one.
SQL = re.compile(
    r"""(\.(execute|executemany|executescript|query|query_one)\(|\b(SELECT\s+[\w*]|INSERT\s+(OR\s+[A-Z]+\s+)?INTO\s|"""
    r"""UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(TABLE|INDEX|UNIQUE)|ALTER\s+TABLE|PRAGMA\s))""",
)  # keywords upper case, as every statement in this codebase is written


def _offenders() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "store":
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line) and not line.lstrip().startswith("#"):
                found.append(f"{rel}:{lineno}: {line.strip()}")
    return found


def test_no_sql_outside_store():
    assert _offenders() == []


def test_the_check_sees_sql(tmp_path):
    """The pattern must match the statements it guards against, or the test above proves nothing."""
    for line in ('conn.execute("UPDATE publications SET status = ?")', '"SELECT * FROM accounts"', 'db.query_one("SELECT 1")',
                 '"INSERT OR IGNORE INTO suppression (email) VALUES (?)"', '"DELETE FROM schedules WHERE id = ?"'):
        assert SQL.search(line), line
    for line in ('"Select a video to upload"', '"update the account settings"', '"delete from the outbox"'):
        assert not SQL.search(line), line
