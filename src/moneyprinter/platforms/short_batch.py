"""Many Shorts from one file: ``moneyprinter short --batch FILE``.

The file has one topic per line, or one JSON object per line with ``account``, ``topic``,
``aspect`` and ``preset`` (the caption preset). Blank lines and ``#`` comments are skipped.

Shorts run side by side, at most ``jobs`` at once (one per core by default). Writing, voicing
and picturing take turns (the local model and voice are one each), while the renders, which
are separate ffmpeg processes, overlap. What each line made is kept in a progress file in the
data directory, so running the same file again skips the Shorts that are done and resumes the
ones that stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from moneyprinter import paths
from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.media.draft import ASPECTS

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)
FIELDS = {"account", "topic", "aspect", "preset"}
DEFERRED = 75  # the exit code of "deferred, try later"


@dataclass(frozen=True)
class BatchEntry:
    line: int
    account: str
    topic: str | None
    aspect: str = "9:16"
    preset: str | None = None


@dataclass
class BatchResult:
    line: int
    account: str
    topic: str
    status: str  # made | done earlier | failed
    item_id: int | None = None
    title: str = ""
    duration: float = 0.0
    mp4: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    cross_posts: list[str] = field(default_factory=list)  # one line per cross-post destination
    exit_code: int = 0  # the worst destination's, as for one Short: 75 if one was deferred, 1 if one failed

    @property
    def cross_post_trouble(self) -> str:
        """'' when every cross-post went, else what the status column adds: 'a cross-post failed' or '... deferred'."""
        if not self.exit_code:
            return ""
        return "a cross-post was deferred" if self.exit_code == DEFERRED else "a cross-post failed"


def parse_batch(path: Path, default_account: str | None, default_aspect: str = "9:16") -> list[BatchEntry]:
    """The file's entries; a bad line is one clear error naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the batch file {path}: {exc.strerror or exc}", hint="check the path") from None
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entries.append(_entry(path, number, line, default_account, default_aspect))
    if not entries:
        raise UsageError(f"{path} has no topics", hint="write one topic per line, or one JSON object per line")
    return entries


def _entry(path: Path, number: int, line: str, default_account: str | None, default_aspect: str) -> BatchEntry:
    where = f"{path.name} line {number}"
    if line.startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not valid JSON ({exc.msg})", hint='e.g. {"account": "main", "topic": "..."}') from None
        unknown = set(data) - FIELDS
        if unknown:
            raise UsageError(f"{where}: unknown field {', '.join(sorted(unknown))}", hint="use " + ", ".join(sorted(FIELDS)))
        if not all(isinstance(v, str) for v in data.values()):
            raise UsageError(f"{where}: every value must be a string")
    else:
        data = {"topic": line}
    account = data.get("account") or default_account
    if not account:
        raise UsageError(f"{where}: no account", hint="give --account, or an \"account\" field on the line")
    aspect = data.get("aspect", default_aspect)
    if aspect not in ASPECTS:
        raise UsageError(f"{where}: unknown aspect '{aspect}'", hint="use " + ", ".join(ASPECTS))
    topic = (data.get("topic") or "").strip() or None
    return BatchEntry(number, account, topic, aspect, data.get("preset"))


class BatchProgress:
    """Which item each line of a batch file made, kept across runs (keyed by the file's path, and
    each entry by its line and content, so an edited line is a new Short)."""

    def __init__(self, batch_file: Path) -> None:
        key = hashlib.sha256(str(batch_file.resolve()).encode()).hexdigest()[:16]
        self.path = paths.data_dir() / "batches" / f"{key}.json"
        self._lock = threading.Lock()
        self.state: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    @staticmethod
    def key(entry: BatchEntry) -> str:
        return f"{entry.line}:{entry.account}:{entry.aspect}:{entry.topic or ''}"

    def get(self, entry: BatchEntry) -> dict:
        with self._lock:
            return dict(self.state.get(self.key(entry), {}))

    def set(self, entry: BatchEntry, **values) -> None:
        with self._lock:
            self.state.setdefault(self.key(entry), {}).update(values)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".part")
            tmp.write_text(json.dumps(self.state, indent=2), encoding="utf-8")
            tmp.replace(self.path)


class TakeTurns:
    """A stage reporter that holds a shared lock for every stage but the render."""

    def __init__(self, lock: threading.Lock, inner=None) -> None:
        self.lock, self.inner, self.held = lock, inner, False

    def start(self, stage: str) -> None:
        if stage != "render":
            self.lock.acquire()
            self.held = True
        if self.inner:
            self.inner.start(stage)

    def _release(self) -> None:
        if self.held:
            self.held = False
            self.lock.release()

    def finish(self, stage, seconds, note, reused) -> None:
        self._release()
        if self.inner:
            self.inner.finish(stage, seconds, note, reused)

    def fail(self, stage, seconds, error) -> None:
        self._release()
        if self.inner:
            self.inner.fail(stage, seconds, error)


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def run_batch(app: App, entries: list[BatchEntry], progress: BatchProgress, *, jobs: int | None = None,
              publish: bool = True, on_done=None) -> list[BatchResult]:
    """Make every entry's Short; ``on_done(result)`` is called as each one ends."""
    from moneyprinter.store import accounts as account_repo

    for name in {e.account for e in entries}:  # an unknown account fails the batch before any work
        account_repo.get_account(app.db, "youtube", name)
    turns = threading.Lock()

    def one(entry: BatchEntry) -> BatchResult:
        result = _make_one(app, entry, progress, turns, publish)
        if on_done:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs or default_jobs()), thread_name_prefix="short") as pool:
        return list(pool.map(one, entries))


def _make_one(app: App, entry: BatchEntry, progress: BatchProgress, turns: threading.Lock, publish: bool) -> BatchResult:
    from moneyprinter.app import App
    from moneyprinter.platforms.youtube import YouTube
    from moneyprinter.store import content

    result = BatchResult(entry.line, entry.account, entry.topic or "(the model's choice)", "failed")
    own = App(app.config)  # a database connection per thread
    try:
        youtube = YouTube(own, entry.account, reporter=TakeTurns(turns))
        earlier = progress.get(entry)
        if earlier.get("status") == "made" and _still_there(own, earlier.get("item_id")):
            item = content.get_item(own.db, earlier["item_id"])
            result.status, result.item_id, result.title = "done earlier", item.id, item.title or ""
            result.duration, result.mp4 = item.metadata.get("duration", 0.0), item.media_path or ""
            return result
        if earlier.get("item_id") and _still_there(own, earlier["item_id"]):
            made = youtube.resume(earlier["item_id"], publish=publish)
        else:
            extra = {"captions": entry.preset} if entry.preset else None
            made = youtube.make_short(entry.topic, entry.aspect, publish, metadata=extra,
                                      on_created=lambda item_id: progress.set(entry, item_id=item_id, status="started"))
        progress.set(entry, item_id=made.item_id, status="made")
        result.status, result.item_id, result.title = "made", made.item_id, made.title
        result.duration, result.mp4, result.warnings = made.duration, str(made.mp4), made.warnings
        result.cross_posts, result.exit_code = made.crossed, made.exit_code
    except MoneyPrinterError as exc:
        result.error = exc.message
        result.item_id = progress.get(entry).get("item_id")
    except Exception as exc:  # noqa: BLE001 - a bug in one Short must not lose the others' results
        log.exception("batch line %d failed", entry.line)
        result.error = f"{exc.__class__.__name__}: {exc} (see the log)"
        result.item_id = progress.get(entry).get("item_id")
    finally:
        own.close()
    return result


def _still_there(app: App, item_id) -> bool:
    from moneyprinter.store import content

    if not item_id:
        return False
    try:
        content.get_item(app.db, item_id)
    except MoneyPrinterError:
        return False
    return True


def summary(results: list[BatchResult]) -> list[dict]:
    return [asdict(r) for r in results]


def exit_code(results: list[BatchResult]) -> int:
    """The worst, as for one Short: 1 if a Short failed, else a cross-post failure's code, else 75 if one was
    deferred (``publish-due`` sends it when its wait is over), else 0."""
    if any(r.status == "failed" for r in results):
        return 1
    codes = [r.exit_code for r in results if r.exit_code]
    failures = [c for c in codes if c != DEFERRED]
    return failures[0] if failures else (DEFERRED if codes else 0)
