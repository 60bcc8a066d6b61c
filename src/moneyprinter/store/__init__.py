"""SQLite storage: one file in the data directory, WAL mode, numbered migrations."""

from moneyprinter.store.db import Database, open_database

__all__ = ["Database", "open_database"]
