"""Quota days in Pacific time, and the publishing schema."""

from datetime import UTC, datetime

import pytest
import time_machine

from moneyprinter import errors
from moneyprinter.publishers import quota


@pytest.mark.parametrize("now, day, reset", [
    ("2026-11-23T07:59:00+00:00", "2026-11-22", "2026-11-23T08:00:00+00:00"),  # PST, UTC-8
    ("2026-11-23T08:00:00+00:00", "2026-11-23", "2026-11-24T08:00:00+00:00"),
    ("2026-07-01T06:59:00+00:00", "2026-06-30", "2026-07-01T07:00:00+00:00"),  # PDT, UTC-7
])
def test_pacific_day_and_reset(now, day, reset):
    moment = datetime.fromisoformat(now)
    assert quota.pacific_day(moment) == day
    assert quota.next_reset(moment) == reset


def test_spend_is_counted_per_pacific_day(db):
    with time_machine.travel(datetime(2026, 11, 23, 7, 0, tzinfo=UTC), tick=False):
        quota.spend(db, "youtube", 1600)
        quota.check(db, "youtube", 1600, 3200)
        quota.spend(db, "youtube", 1600)
        with pytest.raises(errors.QuotaExceeded, match="3200 of 3200"):
            quota.check(db, "youtube", 1600, 3200)
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, 1, tzinfo=UTC), tick=False):  # midnight Pacific passed
        quota.check(db, "youtube", 1600, 3200)
        assert quota.spent(db, "youtube") == 0


def test_schema_has_the_publishing_tables(db):
    names = {r["name"] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"publications", "publication_attempts", "quota_spend", "x_rate_limits", "publisher_tokens"} <= names
    assert db.query_one("SELECT 1 FROM _migrations WHERE name = 'm003_publishing'")


def test_one_publication_per_item_even_when_submitted_twice(db):
    from moneyprinter.store import publications
    from moneyprinter.store.accounts import add_account
    from moneyprinter.store.content import create_item

    account = add_account(db, "x", "acc")
    item = create_item(db, account.id, "post", body="hi")
    first = publications.ensure(db, item.id, account.id, "outbox", "pending")
    second = publications.ensure(db, item.id, account.id, "outbox", "review")
    assert first.id == second.id and second.status == "pending"
    assert db.query_one("SELECT COUNT(*) AS n FROM publications")["n"] == 1
