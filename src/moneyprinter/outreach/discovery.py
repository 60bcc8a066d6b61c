"""Discovery from files: gosom/google-maps-scraper CSV/JSON, the scraper itself, and the user's own CSV.

Files are parsed with the csv and json modules (quoted commas, embedded newlines), and every
row becomes a ``BusinessIn``. A malformed file raises ``ImportFailed`` naming the line.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import shlex
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from moneyprinter.errors import ConfigError, ImportFailed, ServiceError, UsageError
from moneyprinter.outreach.businesses import BusinessIn

log = logging.getLogger(__name__)

GOSOM_MARKERS = {"title", "link"}  # columns present in every gosom CSV
TARGET_FIELDS = ("name", "address", "city", "phone", "website", "category", "email")
# Common spellings in people's own lists, used when no mapping is given.
AUTO_COLUMNS = {
    "name": ("name", "company", "company name", "business", "business name", "title"),
    "address": ("address", "street", "full address"),
    "city": ("city", "town", "locality"),
    "phone": ("phone", "telephone", "phone number", "tel"),
    "website": ("website", "web site", "url", "web", "homepage"),
    "category": ("category", "type", "industry"),
    "email": ("email", "e-mail", "email address", "emails"),
}


def _open_text(path: Path):
    try:
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.strerror})") from None


def _utf8_only(reader):
    """Excel often saves CSV in a legacy encoding: say so instead of failing with a decode error."""

    @functools.wraps(reader)
    def wrapped(path: Path, *args, **kwargs):
        try:
            yield from reader(path, *args, **kwargs)
        except UnicodeDecodeError:
            raise ImportFailed(f"{path}: not UTF-8 text; nothing was imported",
                               hint="save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again") from None

    return wrapped


def _split_emails(value) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [p.strip() for p in str(value or "").replace(";", ",").split(",") if p.strip()]


def _city_from(complete_address) -> str:
    if isinstance(complete_address, str):
        try:
            complete_address = json.loads(complete_address)
        except ValueError:
            return ""
    return str(complete_address.get("city") or "") if isinstance(complete_address, dict) else ""


def _gosom_row(row: dict, source: str) -> BusinessIn | None:
    name = str(row.get("title") or "").strip()
    if not name:
        return None
    return BusinessIn(
        name=name, address=str(row.get("address") or ""), city=_city_from(row.get("complete_address")),
        phone=str(row.get("phone") or ""), website=str(row.get("website") or row.get("web_site") or ""),
        category=str(row.get("category") or ""), source=source, emails=_split_emails(row.get("emails")),
    )


@_utf8_only
def read_gosom(path: Path) -> Iterator[BusinessIn]:
    """gosom/google-maps-scraper results: CSV (default), a JSON array, or JSON lines (-json)."""
    source = f"gmaps:{path.name}"
    with _open_text(path) as fh:
        head = fh.read(1)
        fh.seek(0)
        if head in ("[", "{"):
            yield from _gosom_json(fh, path, source)
            return
        reader = csv.DictReader(fh)
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if not GOSOM_MARKERS <= columns:
            raise ImportFailed(
                f"{path}: not a google-maps-scraper CSV (columns: {', '.join(sorted(columns)) or 'none'})",
                hint="use --source csv with --map for your own lists",
            )
        try:
            for row in reader:
                item = _gosom_row({(k or "").strip().lower(): v for k, v in row.items()}, source)
                if item:
                    yield item
        except csv.Error as exc:
            raise ImportFailed(f"{path}, line {reader.line_num}: {exc}") from None


def _gosom_json(fh, path: Path, source: str) -> Iterator[BusinessIn]:
    text = fh.read()
    try:
        data = json.loads(text)
        rows = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        rows = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ImportFailed(f"{path}, line {number}: invalid JSON ({exc.msg})") from None
    for row in rows:
        if isinstance(row, dict):
            item = _gosom_row({k.lower(): v for k, v in row.items()}, source)
            if item:
                yield item


def parse_mapping(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """['name=Company', 'website=URL'] -> {'name': 'Company', 'website': 'URL'}."""
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field = field.strip().lower()
        if not sep or field not in TARGET_FIELDS or not column.strip():
            raise UsageError(f"bad column mapping '{pair}'", hint=f"use FIELD=COLUMN with FIELD one of {', '.join(TARGET_FIELDS)}")
        mapping[field] = column.strip()
    return mapping


@_utf8_only
def read_user_csv(path: Path, mapping: dict[str, str] | None = None, *, category: str = "") -> Iterator[BusinessIn]:
    """The user's own list. ``mapping`` maps our fields to their column names; the rest is guessed."""
    with _open_text(path) as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        # strict: an unclosed quote is an error, not the rest of the file swallowed into one field
        reader = csv.DictReader(fh, dialect=type("Strict", (dialect,), {"strict": True}))
        start = 1
        try:
            columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
        except csv.Error as exc:
            raise _bad_csv(path, start, exc) from None
        resolved = _resolve_columns(columns, mapping or {}, path)
        start = reader.line_num + 1
        try:
            for row in reader:
                start = reader.line_num + 1
                values = {f: (row.get(col) or "").strip() for f, col in resolved.items()}
                if not values.get("name"):
                    continue
                yield BusinessIn(
                    name=values["name"], address=values.get("address", ""), city=values.get("city", ""),
                    phone=values.get("phone", ""), website=values.get("website", ""),
                    category=values.get("category", "") or category, source=f"csv:{path.name}",
                    emails=_split_emails(values.get("email", "")),
                )
        except csv.Error as exc:
            raise _bad_csv(path, start, exc) from None


def _bad_csv(path: Path, line: int, exc: csv.Error) -> ImportFailed:
    if "unexpected end of data" in str(exc):  # the quote opened on ``line`` runs to the end of the file
        return ImportFailed(f"{path}, line {line}: a quoted cell is never closed; nothing was imported",
                            hint="add the missing \" on that line (a quote inside a cell is written \"\")")
    return ImportFailed(f"{path}, line {line}: {exc}; nothing was imported", hint="fix that line and import again")


def _resolve_columns(columns: dict[str, str], mapping: dict[str, str], path: Path) -> dict[str, str]:
    resolved = {}
    for field in TARGET_FIELDS:
        if field in mapping:
            wanted = mapping[field].strip().lower()
            if wanted not in columns:
                raise ImportFailed(
                    f"{path}: no column '{mapping[field]}' for {field}",
                    hint=f"columns are: {', '.join(columns.values())}",
                )
            resolved[field] = columns[wanted]
            continue
        for guess in AUTO_COLUMNS[field]:
            if guess in columns:
                resolved[field] = columns[guess]
                break
    if "name" not in resolved:
        raise ImportFailed(
            f"{path}: no name column found", hint=f"map one with --map name=COLUMN (columns: {', '.join(columns.values())})"
        )
    return resolved


# --- running the scraper --------------------------------------------------------------


def run_gmaps_scraper(command: str, query: str, *, timeout_s: float, workdir: Path | None = None) -> Path:
    """Run gosom/google-maps-scraper for one query; returns its CSV. Killed (whole group) on timeout."""
    if not command.strip():
        raise ConfigError(
            "the google-maps-scraper is not configured",
            hint="set outreach.gmaps_scraper_command, or import its CSV with 'outreach discover --source gmaps --file'",
        )
    workdir = Path(workdir or tempfile.mkdtemp(prefix="gmaps-"))
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "results.csv").unlink(missing_ok=True)  # never import a previous run's results as this one's
    queries, results = workdir / "queries.txt", workdir / "results.csv"
    queries.write_text(query + "\n", encoding="utf-8")
    argv = shlex.split(command) + ["-input", str(queries), "-results", str(results), "-exit-on-inactivity", "3m"]
    log.info("running %s", " ".join(argv))
    try:
        proc = subprocess.Popen(argv, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)  # its own process group, so we can end all of it
    except OSError as exc:
        raise ConfigError(f"cannot run '{argv[0]}' ({exc.strerror})", hint="check outreach.gmaps_scraper_command") from None
    try:
        _, stderr = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ServiceError("google-maps-scraper", f"did not finish within {timeout_s:.0f} s and was stopped",
                           hint="raise outreach.gmaps_scraper_timeout_s or narrow the query") from None
    if proc.returncode != 0:
        tail = (stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise ServiceError("google-maps-scraper", f"exited with {proc.returncode}: {tail[0][:200]}")
    if not results.exists():
        raise ServiceError("google-maps-scraper", "finished without writing results")
    return results


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGTERM the scraper's process group (browsers included), SIGKILL whatever is left after 5 s."""
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        if grace is not None:
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
    proc.wait()
    if proc.stderr:
        proc.stderr.close()
