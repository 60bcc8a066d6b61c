"""Content items, publications, products, paid requests and X rate limits are read and written only in ``store/``."""

from __future__ import annotations

import re
from pathlib import Path

import moneyprinter

TABLES = ("content_items", "publications", "publication_attempts", "products", "product_pitches", "paid_requests",
          "x_rate_limits")
# SQL in this code base is written in capitals, which keeps 'from ... import publications' out.
SQL = re.compile(rf"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO)\s+[^\"']*?\b({'|'.join(TABLES)})\b")


def test_no_sql_on_these_tables_outside_the_store():
    package = Path(moneyprinter.__file__).parent
    offenders = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] == "store":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_check_finds_sql():
    assert SQL.search('rows = db.query("SELECT item_id FROM publications WHERE status = ?")')
    assert SQL.search("conn.execute('UPDATE content_items SET status = ?')")
    assert not SQL.search("publications.due(app.db, now, limit)")
    assert not SQL.search("from moneyprinter.store import content, publications")
