"""A second process writing to the database: ``python -m tests.foundation.store_worker DB PREFIX N START``.

Waits until the wall-clock time START so that two workers begin together, then adds N accounts,
each with one content item, every write in its own transaction (the worst case for lock contention).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from moneyprinter.store import open_database
from moneyprinter.store.accounts import add_account
from moneyprinter.store.content import create_item


def main(db_path: str, prefix: str, count: int, start_at: float) -> None:
    time.sleep(max(0.0, start_at - time.time()))
    began = time.time()
    with open_database(Path(db_path)) as db:  # a fresh file: both processes race to migrate it too
        for i in range(count):
            account = add_account(db, "youtube", f"{prefix}{i}", topic="concurrency")
            create_item(db, account.id, "short", title=f"{prefix} item {i}")
    print(f"{began} {time.time()}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
