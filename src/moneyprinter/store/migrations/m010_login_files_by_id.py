"""Token files and YouTube Studio browser profiles are renamed from the nickname to the account id.

``tokens/<provider>/<nickname>.json`` becomes ``tokens/<provider>/<id>.json`` and
``browser-profiles/<browser>/<nickname>`` becomes ``browser-profiles/<browser>/<id>``;
``publisher_tokens.path`` follows. The files sit next to the database file. Everything first
gets a temporary name, so a nickname that looks like another account's id is never overwritten.
Renames cannot be rolled back with the transaction, so the migration is safe to run again:
it moves only what is still under a nickname (or a temporary name) and sets every path.
"""

import os
from pathlib import Path

STAGING = ".m010-"


def _data_dir(conn) -> Path | None:
    row = conn.execute("PRAGMA database_list").fetchone()  # (seq, name, file) of 'main'
    return Path(row[2]).parent if row and row[2] else None  # an in-memory database has no files


def _moves(conn, data: Path) -> list[tuple[Path, Path]]:
    """(nickname path, id path) for every login file or profile still named by nickname."""
    moves = []
    for account_id, platform, nickname in conn.execute("SELECT id, platform, nickname FROM accounts"):
        places = [(data / "tokens" / platform / f"{nickname}.json", f"{account_id}.json")]
        for token_path, in conn.execute("SELECT path FROM publisher_tokens WHERE account_id = ?", (account_id,)):
            places.append((Path(token_path), f"{account_id}.json"))
        if platform == "youtube":
            places += [(p, str(account_id)) for p in sorted((data / "browser-profiles").glob(f"*/{nickname}"))]
        for old, name in places:
            if old.name != name and (old.exists() or old.with_name(STAGING + name).exists()):
                moves.append((old, old.with_name(name)))
    return list(dict.fromkeys(moves))


def up(conn):
    data = _data_dir(conn)
    if data is None:
        return
    moves = _moves(conn, data)
    for old, new in moves:  # 1: nickname -> temporary name
        if old.exists():
            os.replace(old, new.with_name(STAGING + new.name))
    for _, new in moves:  # 2: temporary name -> id
        staged = new.with_name(STAGING + new.name)
        if staged.exists():
            os.replace(staged, new)
    for account_id, provider in conn.execute("SELECT account_id, provider FROM publisher_tokens").fetchall():
        conn.execute("UPDATE publisher_tokens SET path = ? WHERE account_id = ? AND provider = ?",
                     (str(data / "tokens" / provider / f"{account_id}.json"), account_id, provider))
