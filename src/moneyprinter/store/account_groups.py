"""Named groups of accounts: members whose new content also goes to the group's destinations."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from moneyprinter.errors import Conflict, NotFound, UsageError
from moneyprinter.store.accounts import Account
from moneyprinter.store.db import Database, utcnow

_NAME = re.compile(r"^[^\W_][\w.-]{0,39}$")  # as an account's nickname


@dataclass
class AccountGroup:
    id: int
    name: str
    members: list[Account] = field(default_factory=list)
    destinations: list[Account] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


def validate_name(name: str) -> None:
    if not _NAME.match(name or ""):
        raise UsageError(f"invalid group name '{name}'",
                         hint="use 1-40 letters, digits, '_', '.' or '-', starting with a letter or digit")


def add_group(db: Database, name: str, member_ids: list[int], destination_ids: list[int]) -> AccountGroup:
    validate_name(name)
    now = utcnow()
    with db.transaction() as conn:
        if _find(conn, name):
            raise Conflict(f"a group named '{name}' already exists", hint=f"edit it: moneyprinter groups edit {name} ...")
        group_id = conn.execute("INSERT INTO account_groups (name, created_at, updated_at) VALUES (?, ?, ?)",
                                (name, now, now)).lastrowid
        _write_lists(conn, group_id, member_ids, destination_ids)
    return _load(db, group_id)


def save_group(db: Database, group: AccountGroup, *, name: str | None = None, member_ids: list[int] | None = None,
               destination_ids: list[int] | None = None) -> AccountGroup:
    """Rename the group and/or replace its members or destinations, in one transaction."""
    if name is not None:
        validate_name(name)
    with db.transaction() as conn:
        if name is not None:
            other = _find(conn, name)
            if other and other["id"] != group.id:
                raise Conflict(f"a group named '{name}' already exists", hint="choose another name")
            conn.execute("UPDATE account_groups SET name = ? WHERE id = ?", (name, group.id))
        _write_lists(conn, group.id, member_ids, destination_ids)
        conn.execute("UPDATE account_groups SET updated_at = ? WHERE id = ?", (utcnow(), group.id))
    return _load(db, group.id)


def _write_lists(conn: sqlite3.Connection, group_id: int, member_ids: list[int] | None,
                 destination_ids: list[int] | None) -> None:
    if member_ids is not None:
        conn.execute("DELETE FROM account_group_members WHERE group_id = ?", (group_id,))
        conn.executemany("INSERT INTO account_group_members (group_id, account_id, position) VALUES (?, ?, ?)",
                         [(group_id, a, n) for n, a in enumerate(dict.fromkeys(member_ids))])
    if destination_ids is not None:
        conn.execute("DELETE FROM account_group_destinations WHERE group_id = ?", (group_id,))
        conn.executemany(
            "INSERT INTO account_group_destinations (group_id, destination_id, position) VALUES (?, ?, ?)",
            [(group_id, a, n) for n, a in enumerate(dict.fromkeys(destination_ids))])


def remove_group(db: Database, group: AccountGroup) -> None:
    with db.transaction() as conn:
        conn.execute("DELETE FROM account_groups WHERE id = ?", (group.id,))  # members and destinations cascade


def get_group(db: Database, name: str) -> AccountGroup:
    row = _find(db.conn, name)
    if row is None:
        names = ", ".join(g.name for g in list_groups(db)) or "none yet"
        raise NotFound(f"no group named '{name}'",
                       hint=f"existing: {names}; add one with 'moneyprinter groups add NAME --member PLATFORM:NICKNAME'")
    return _load(db, row["id"])


def list_groups(db: Database) -> list[AccountGroup]:
    return [_load(db, r["id"]) for r in db.query("SELECT id FROM account_groups ORDER BY name COLLATE NOCASE")]


def groups_of(db: Database, account_id: int) -> list[AccountGroup]:
    """The groups ``account_id`` is a member of, by name."""
    rows = db.query(
        """SELECT g.id FROM account_groups g JOIN account_group_members m ON m.group_id = g.id
           WHERE m.account_id = ? ORDER BY g.name COLLATE NOCASE""", (account_id,))
    return [_load(db, r["id"]) for r in rows]


def _find(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM account_groups WHERE name = ? COLLATE NOCASE", (name,)).fetchone()


def _load(db: Database, group_id: int) -> AccountGroup:
    row = db.query_one("SELECT * FROM account_groups WHERE id = ?", (group_id,))
    if row is None:
        raise NotFound(f"no group with id {group_id}")
    members = db.query("""SELECT a.* FROM account_group_members m JOIN accounts a ON a.id = m.account_id
                          WHERE m.group_id = ? ORDER BY m.position""", (group_id,))
    targets = db.query("""SELECT a.* FROM account_group_destinations d JOIN accounts a ON a.id = d.destination_id
                          WHERE d.group_id = ? ORDER BY d.position""", (group_id,))
    return AccountGroup(row["id"], row["name"], [Account.from_row(r) for r in members],
                        [Account.from_row(r) for r in targets], row["created_at"], row["updated_at"])
