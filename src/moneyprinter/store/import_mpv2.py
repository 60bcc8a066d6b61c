"""Import the account caches of a MoneyPrinterV2 install (``.mp/youtube.json``, ``.mp/twitter.json``).

MoneyPrinterV2 keeps ``{"accounts": [...]}`` where a YouTube account has ``nickname``,
``niche``, ``language`` and ``videos`` and an X account has ``nickname``, ``topic`` and
``posts``. Everything is validated first and written in one transaction, so a malformed
file imports nothing.

One MoneyPrinterV2 account is one account here: it is matched by its MoneyPrinterV2 ``id`` first
(so a re-import after a rename imports nothing new), then by nickname. Nicknames keep letters of
any script; two that clean to the same name are both imported, the second under a suffixed name,
and reported. MoneyPrinterV2 records a video when it is generated (``uploaded: false``) and again
when it is uploaded: those records are one item, published with its URL if it was uploaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moneyprinter.errors import ImportFailed
from moneyprinter.store import content_meta
from moneyprinter.store.accounts import validate_fields
from moneyprinter.store.db import Database, utcnow

FILES = {"youtube": "youtube.json", "x": "twitter.json"}


@dataclass
class ImportReport:
    accounts_added: list[str] = field(default_factory=list)
    accounts_skipped: list[str] = field(default_factory=list)
    items_added: int = 0
    collisions: list[str] = field(default_factory=list)  # names that cleaned to an existing one, and what was done


def import_mpv2(db: Database, mp_dir: Path) -> ImportReport:
    """Import both caches found in ``mp_dir`` (the ``.mp`` folder, or the install folder holding it)."""
    if (mp_dir / ".mp").is_dir():
        mp_dir = mp_dir / ".mp"
    files = {platform: mp_dir / name for platform, name in FILES.items() if (mp_dir / name).exists()}
    if not files:
        raise ImportFailed(f"{mp_dir}: no youtube.json or twitter.json found", hint="point at the .mp folder of MoneyPrinterV2")
    planned = [(platform, acc) for platform, path in files.items() for acc in _read_accounts(path, platform)]
    report = ImportReport()
    now = utcnow()
    with db.transaction() as conn:
        for platform, acc in planned:
            existing = _same_account(conn, platform, acc)
            if existing is not None:
                report.accounts_skipped.append(f"{platform}:{existing}")
                continue
            taken = _nickname_owner(conn, platform, acc["nickname"])
            if taken is not None:
                free = _free_nickname(conn, platform, acc["nickname"])
                report.collisions.append(
                    f"{platform}: '{acc['raw_nickname']}' and '{taken}' are both '{acc['nickname']}' once cleaned; "
                    f"'{acc['raw_nickname']}' was imported as '{free}'")
                acc = {**acc, "nickname": free, "options": {**acc["options"], "mpv2_nickname": acc["raw_nickname"]}}
            cur = conn.execute(
                """INSERT INTO accounts (platform, nickname, topic, language, options, external_id, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (platform, acc["nickname"], acc["topic"], acc["language"],
                 json.dumps({"imported_from": "MoneyPrinterV2", **acc["options"]}), acc["external_id"], now, now),
            )
            for item in acc["history"]:
                conn.execute(
                    """INSERT INTO content_items (account_id, kind, status, title, body, metadata, created_at, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (cur.lastrowid, item["kind"], item["status"], item["title"], item["body"],
                     content_meta.dumps(content_meta.parse(item["kind"], item["metadata"])),
                     item["date"] or now, now),
                )
                report.items_added += 1
            report.accounts_added.append(f"{platform}:{acc['nickname']}")
    return report


def _same_account(conn, platform: str, acc: dict[str, Any]) -> str | None:
    """The nickname of the account that already is this MoneyPrinterV2 account: same id, else same name
    (unless that one came from another MoneyPrinterV2 account)."""
    if acc["external_id"]:
        row = conn.execute("SELECT nickname FROM accounts WHERE platform = ? AND external_id = ?",
                           (platform, acc["external_id"])).fetchone()
        if row:
            return row["nickname"]
    row = conn.execute("SELECT nickname, external_id FROM accounts WHERE platform = ? AND nickname = ? COLLATE NOCASE",
                       (platform, acc["nickname"])).fetchone()
    if row and (not row["external_id"] or not acc["external_id"] or row["external_id"] == acc["external_id"]):
        return row["nickname"]
    return None


def _nickname_owner(conn, platform: str, nickname: str) -> str | None:
    """The name (as MoneyPrinterV2 wrote it) of the other account that already holds ``nickname``."""
    row = conn.execute("SELECT nickname, options FROM accounts WHERE platform = ? AND nickname = ? COLLATE NOCASE",
                       (platform, nickname)).fetchone()
    if row is None:
        return None
    return json.loads(row["options"] or "{}").get("mpv2_nickname") or row["nickname"]


def _free_nickname(conn, platform: str, nickname: str) -> str:
    for n in range(2, 1000):
        candidate = f"{nickname[:36]}-{n}"
        if _nickname_owner(conn, platform, candidate) is None:
            return candidate
    raise ImportFailed(f"no free nickname like '{nickname}'", hint="rename accounts in the file, then import again")


def _read_accounts(path: Path, platform: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.__class__.__name__})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}); nothing was imported") from exc
    accounts = data.get("accounts") if isinstance(data, dict) else None
    if isinstance(data, dict) and "accounts" not in data and data and set(data) <= {"videos", "posts"} \
            and all(isinstance(v, list) for v in data.values()):
        accounts = []  # a cache with history lists and no accounts yet: valid, and nothing to import
    if not isinstance(accounts, list):
        raise ImportFailed(f"{path}: expected an object with an 'accounts' list; nothing was imported")
    return [_parse_account(path, platform, i, acc) for i, acc in enumerate(accounts)]


def _parse_account(path: Path, platform: str, index: int, acc: Any) -> dict[str, Any]:
    where = f"{path}: accounts[{index}]"
    if not isinstance(acc, dict) or not isinstance(acc.get("nickname"), str) or not acc["nickname"].strip():
        raise ImportFailed(f"{where} has no 'nickname'; nothing was imported")
    nickname = _nickname(acc["nickname"])
    topic = acc.get("niche") if platform == "youtube" else acc.get("topic")
    language = str(acc.get("language") or "en").strip().lower()
    language = LANGUAGE_NAMES.get(language, language)
    try:
        validate_fields(platform, {"nickname": nickname, "language": language})
    except Exception as exc:
        raise ImportFailed(
            f"{where}: {exc}; nothing was imported", hint="edit the file (e.g. a language code like 'it'), then import again"
        ) from exc
    history_key = "videos" if platform == "youtube" else "posts"
    history = acc.get(history_key) or []
    if not isinstance(history, list):
        raise ImportFailed(f"{where}: '{history_key}' must be a list; nothing was imported")
    entries = [_parse_history(where, platform, j, h) for j, h in enumerate(history)]
    return {
        "nickname": nickname,
        "raw_nickname": acc["nickname"].strip(),
        "topic": str(topic or "").strip(),
        "language": language,
        "external_id": str(acc["id"]) if acc.get("id") else None,
        "options": {
            **({"firefox_profile": acc["firefox_profile"]} if acc.get("firefox_profile") else {}),
            **({"mpv2_nickname": acc["nickname"]} if nickname != acc["nickname"] else {}),
        },
        "history": _one_per_video(entries) if platform == "youtube" else entries,
    }


# MoneyPrinterV2 asked for "the account language" as free text; people typed names, not codes.
LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "spanish": "es", "español": "es", "espanol": "es",
    "french": "fr", "français": "fr", "francais": "fr", "italian": "it", "italiano": "it", "portuguese": "pt",
    "português": "pt", "brazilian portuguese": "pt-BR", "dutch": "nl", "polish": "pl", "russian": "ru",
    "turkish": "tr", "arabic": "ar", "hindi": "hi", "japanese": "ja", "korean": "ko", "chinese": "zh",
    "indonesian": "id", "vietnamese": "vi", "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi",
    "greek": "el", "czech": "cs", "romanian": "ro", "hungarian": "hu", "ukrainian": "uk", "urdu": "ur",
    "bengali": "bn", "thai": "th", "hebrew": "he", "persian": "fa", "filipino": "fil", "tagalog": "tl",
}


def _nickname(raw: str) -> str:
    """MoneyPrinterV2 accepted any text as a nickname; keep letters and digits of any script, '_', '.', '-'."""
    cleaned = re.sub(r"[^\w.-]+", "_", raw.strip()).strip("_.-")
    return cleaned[:40]


def _parse_history(where: str, platform: str, index: int, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ImportFailed(f"{where}: history entry {index} is not an object; nothing was imported")
    if platform == "youtube":
        return {"kind": "short", "raw": entry, "date": _date(entry.get("date")), "key": entry.get("id") or
                str(entry.get("title") or "").strip().casefold() or f"#{index}"}
    if not isinstance(entry.get("content"), str):
        raise ImportFailed(f"{where}: post {index} has no 'content' text; nothing was imported")
    return {"kind": "post", "status": "published", "title": "", "body": entry["content"], "metadata": {},
            "date": _date(entry.get("date"))}


def _one_per_video(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records of one video (when generated, when uploaded) merged into one item, later values winning;
    published with its URL if any record says it was uploaded, else a draft. Its topic and script are kept."""
    merged: dict[str, dict[str, Any]] = {}
    for entry in entries:
        seen = merged.setdefault(entry["key"], {"date": entry["date"], "raw": {}})
        seen["raw"].update({k: v for k, v in entry["raw"].items() if v not in (None, "")})
    items = []
    for seen in merged.values():
        raw = seen["raw"]
        uploaded = bool(raw.get("url")) or raw.get("uploaded") is True
        script, description = str(raw.get("script") or ""), str(raw.get("description") or "")
        metadata = {k: v for k, v in (("url", raw.get("url")), ("topic", raw.get("topic")),
                                      ("description", description if script else None)) if v}
        items.append({"kind": "short", "status": "published" if uploaded else "draft",
                      "title": str(raw.get("title") or ""), "body": script or description,
                      "metadata": metadata, "date": seen["date"]})
    return items


def _date(value: Any) -> str | None:
    """MoneyPrinterV2 wrote dates as 'MM/DD/YYYY, HH:MM:SS'; keep ISO where we can."""
    if not isinstance(value, str) or not value.strip():
        return None
    from datetime import datetime

    for fmt in ("%m/%d/%Y, %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(value.strip(), fmt).isoformat()
        except ValueError:
            continue
    return value.strip()
