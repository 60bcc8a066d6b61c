"""Import the account caches of a MoneyPrinterV2 install (``.mp/youtube.json``, ``.mp/twitter.json``).

MoneyPrinterV2 keeps ``{"accounts": [...]}`` where a YouTube account has ``nickname``,
``niche``, ``language`` and ``videos`` and an X account has ``nickname``, ``topic`` and
``posts``. Everything is validated first and written in one transaction, so a malformed
file imports nothing.
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
            exists = conn.execute(
                "SELECT 1 FROM accounts WHERE platform = ? AND nickname = ? COLLATE NOCASE",
                (platform, acc["nickname"]),
            ).fetchone()
            if exists:
                report.accounts_skipped.append(f"{platform}:{acc['nickname']}")
                continue
            cur = conn.execute(
                """INSERT INTO accounts (platform, nickname, topic, language, options, external_id, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (platform, acc["nickname"], acc["topic"], acc["language"],
                 json.dumps({"imported_from": "MoneyPrinterV2", **acc["options"]}), acc["external_id"], now, now),
            )
            for item in acc["history"]:
                conn.execute(
                    """INSERT INTO content_items (account_id, kind, status, title, body, metadata, created_at, updated_at)
                       VALUES (?, ?, 'published', ?, ?, ?, ?, ?)""",
                    (cur.lastrowid, item["kind"], item["title"], item["body"],
                     content_meta.dumps(content_meta.parse(item["kind"], item["metadata"])),
                     item["date"] or now, now),
                )
                report.items_added += 1
            report.accounts_added.append(f"{platform}:{acc['nickname']}")
    return report


def _read_accounts(path: Path, platform: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path}: cannot read ({exc.__class__.__name__})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}); nothing was imported") from exc
    accounts = data.get("accounts") if isinstance(data, dict) else None
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
    return {
        "nickname": nickname,
        "topic": str(topic or "").strip(),
        "language": language,
        "external_id": str(acc["id"]) if acc.get("id") else None,
        "options": {
            **({"firefox_profile": acc["firefox_profile"]} if acc.get("firefox_profile") else {}),
            **({"mpv2_nickname": acc["nickname"]} if nickname != acc["nickname"] else {}),
        },
        "history": [_parse_history(where, platform, j, h) for j, h in enumerate(history)],
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
    """MoneyPrinterV2 accepted any text as a nickname; keep letters, digits, '_', '.', '-'."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", raw.strip()).strip("_.-")
    return cleaned[:40]


def _parse_history(where: str, platform: str, index: int, entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise ImportFailed(f"{where}: history entry {index} is not an object; nothing was imported")
    if platform == "youtube":
        return {
            "kind": "short",
            "title": str(entry.get("title") or ""),
            "body": str(entry.get("description") or ""),
            "metadata": {"url": entry.get("url")} if entry.get("url") else {},
            "date": _date(entry.get("date")),
        }
    if not isinstance(entry.get("content"), str):
        raise ImportFailed(f"{where}: post {index} has no 'content' text; nothing was imported")
    return {"kind": "post", "title": "", "body": entry["content"], "metadata": {}, "date": _date(entry.get("date"))}


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
