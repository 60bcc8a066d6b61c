"""The suppression list: addresses and whole domains that must never be mailed."""

from __future__ import annotations

from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from moneyprinter.errors import ImportFailed, UsageError
from moneyprinter.store.db import Database, utcnow


def parse_entry(value: str) -> tuple[str, str]:
    """'a@b.com' -> ('address', 'a@b.com'); 'b.com' or '@b.com' -> ('domain', 'b.com')."""
    value = value.strip().lower()
    if value.startswith("@"):
        value = value[1:]
    if "@" in value:
        try:
            normalized = validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise UsageError(f"'{value}' is not a valid email address: {exc}") from None
        return "address", normalized
    if "." not in value or " " in value or not value:
        raise UsageError(f"'{value}' is neither an email address nor a domain", hint="give name@domain.com or domain.com")
    return "domain", value


def add(db: Database, value: str, reason: str = "") -> bool:
    """Suppress an address or domain; returns False if it already was."""
    kind, value = parse_entry(value)
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT OR IGNORE INTO outreach_suppressions (kind, value, reason, created_at) VALUES (?,?,?,?)",
            (kind, value, reason, utcnow()),
        )
        return cur.rowcount == 1


def import_file(db: Database, path: Path, reason: str = "imported") -> tuple[int, int]:
    """One address or domain per line (or the first CSV column); '#' comments. Returns (added, known).

    Every line is checked before anything is stored, so a bad line imports nothing.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read ({exc})") from None
    entries = []
    for number, line in enumerate(lines, 1):
        value = line.split(",")[0].strip().strip('"')
        if not value or value.startswith("#") or value.lower() in ("email", "address", "domain"):
            continue
        try:
            entries.append(parse_entry(value))
        except UsageError as exc:
            raise ImportFailed(f"{path}, line {number}: {exc.message}", hint="fix or remove that line; nothing was imported") from None
    added = 0
    with db.transaction() as conn:
        for kind, value in entries:
            cur = conn.execute(
                "INSERT OR IGNORE INTO outreach_suppressions (kind, value, reason, created_at) VALUES (?,?,?,?)",
                (kind, value, reason, utcnow()),
            )
            added += cur.rowcount
    return added, len(entries) - added


def is_suppressed(conn, address: str) -> bool:
    """Checked inside the transaction that reserves a send."""
    address = address.lower()
    domain = address.rpartition("@")[2]
    labels = domain.split(".")
    domains = [".".join(labels[i:]) for i in range(len(labels) - 1)]  # sub.shop.com -> shop.com too
    marks = ",".join("?" * len(domains))
    row = conn.execute(
        f"SELECT 1 FROM outreach_suppressions WHERE (kind = 'address' AND value = ?)"
        f" OR (kind = 'domain' AND value IN ({marks})) LIMIT 1",
        (address, *domains),
    ).fetchone()
    return row is not None


def list_all(db: Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT kind, value, reason, created_at FROM outreach_suppressions ORDER BY id")]
