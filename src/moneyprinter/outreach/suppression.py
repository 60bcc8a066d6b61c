"""The suppression list: addresses and whole domains that must never be mailed."""

from __future__ import annotations

from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from moneyprinter.errors import ImportFailed, UsageError
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import suppression as store
from moneyprinter.store.states import SuppressionKind


def parse_entry(value: str) -> tuple[SuppressionKind, str]:
    """'a@b.com' -> ('address', 'a@b.com'); 'b.com' or '@b.com' -> ('domain', 'b.com')."""
    value = value.strip().lower()
    if value.startswith("@"):
        value = value[1:]
    if "@" in value:
        try:
            normalized = validate_email(value, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise UsageError(f"'{value}' is not a valid email address: {exc}") from None
        return SuppressionKind.ADDRESS, normalized
    if "." not in value or " " in value or not value:
        raise UsageError(f"'{value}' is neither an email address nor a domain", hint="give name@domain.com or domain.com")
    return SuppressionKind.DOMAIN, value


def add(db: Database, value: str, reason: str = "") -> bool:
    """Suppress an address or domain; returns False if it already was."""
    return store.add_many(db, [parse_entry(value)], reason) == 1


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
    added = store.add_many(db, entries, reason)
    return added, len(entries) - added


def is_suppressed(conn, address: str) -> bool:
    """Checked inside the transaction that reserves a send."""
    address = address.lower()
    domain = address.rpartition("@")[2]
    labels = domain.split(".")
    domains = [".".join(labels[i:]) for i in range(len(labels) - 1)]  # sub.shop.com -> shop.com too
    return store.matches(conn, address, domains)


def list_all(db: Database) -> list[store.Suppression]:
    return store.list_all(db)


def remove(db: Database, value: str) -> bool:
    """Mail ``value`` (an address or a domain) again; returns False if it was not suppressed."""
    return store.remove(db, *parse_entry(value))
