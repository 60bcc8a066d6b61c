"""class YouTube: make a Short for an account and hand it to the account's publisher.

niche -> topic -> script -> metadata -> image prompts -> images -> voice -> subtitles -> music -> render,
then a content item (kind "short") records the result and ``publishers.submit`` takes it.
Stages live in ``moneyprinter.shorts.stages``; this module runs them, times them, and records the outcome.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from filelock import FileLock, Timeout

from moneyprinter import paths
from moneyprinter.errors import MoneyPrinterError, PublishError, UsageError
from moneyprinter.media.draft import ASPECTS
from moneyprinter.shorts import visuals
from moneyprinter.shorts.stages import STAGE_TABLE, STAGES, ShortJob, media_duration, stage_preview
from moneyprinter.store import accounts as account_repo
from moneyprinter.store import content
from moneyprinter.store.accounts import Account
from moneyprinter.store.content_meta import ShortMeta
from moneyprinter.store.states import ItemStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)
KIND = "short"
_HANDED_OVER = (ItemStatus.OUTBOX, ItemStatus.PUBLISHED, ItemStatus.REVIEW)


class StageReporter(Protocol):
    def start(self, stage: str) -> None: ...
    def finish(self, stage: str, seconds: float, note: str, reused: bool) -> None: ...
    def fail(self, stage: str, seconds: float, error: str) -> None: ...


class LogReporter:
    """Progress into the log: what the scheduler's runs get."""

    def start(self, stage: str) -> None:
        log.info("short: %s ...", stage)

    def finish(self, stage: str, seconds: float, note: str, reused: bool) -> None:
        log.info("short: %s %s in %.1f s (%s)", stage, "reused" if reused else "done", seconds, note)

    def fail(self, stage: str, seconds: float, error: str) -> None:
        log.error("short: %s failed after %.1f s: %s", stage, seconds, error)


@dataclass
class ShortResult:
    item_id: int
    mp4: Path
    duration: float
    title: str
    stage_seconds: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    published: str | None = None  # the publisher's message, when handed over
    crossed: list[str] = field(default_factory=list)  # one line per cross-post destination
    exit_code: int = 0  # the worst destination's: 75 if one was deferred, a failure's code if one failed
    next_step: str | None = None  # what to run next (after a preview)

    @property
    def total_seconds(self) -> float:
        return sum(self.stage_seconds.values())


def work_folder(item_id: int) -> Path:
    return paths.data_dir() / "work" / "shorts" / str(item_id)


class YouTube:
    """Shorts for one YouTube account."""

    def __init__(self, app: App, account: Account | str, *, reporter: StageReporter | None = None) -> None:
        self.app = app
        self.account = account if isinstance(account, Account) else account_repo.get_account(app.db, "youtube", account)
        if self.account.platform != "youtube":
            raise UsageError(f"'{self.account.nickname}' is not a YouTube account")
        self.reporter = reporter or LogReporter()

    def check_request(self, topic: str | None = None, aspect: str | None = None, resume: int | None = None) -> None:
        """The input checks of make_short/resume, run before any work (and before a progress display).

        A resumed Short keeps its topic and aspect: asking for another (``aspect`` not None) is refused,
        not silently ignored.
        """
        if resume is not None:
            if topic:
                raise UsageError("--topic cannot be combined with --resume", hint="a resumed Short keeps its topic")
            meta = self._resumable(resume).metadata
            own = meta.aspect if isinstance(meta, ShortMeta) else "9:16"
            if aspect is not None and aspect != own:
                raise UsageError(f"Short {resume} is {own}; --resume cannot change it to --aspect {aspect}",
                                 hint="leave --aspect out, or make a new Short with --aspect")
            return
        aspect = aspect or "9:16"
        if aspect not in ASPECTS:
            raise UsageError(f"unknown aspect '{aspect}'", hint="use " + ", ".join(ASPECTS))
        if topic is not None and not topic.strip():
            raise UsageError("the topic is empty", hint="leave --topic out to let the model choose one")
        self._preflight()

    def make_short(self, topic: str | None = None, aspect: str = "9:16", publish: bool = True, *,
                   metadata: dict | None = None, on_created=None, captions: str | None = None,
                   preview: bool = False) -> ShortResult:
        """``metadata`` is stored on the new item (a batch's caption preset); ``on_created(item_id)`` is
        called once the item exists, before any work, so a caller can resume it after a crash.
        ``captions``: a caption preset for this Short (else the account's, else the settings');
        ``preview``: stop before the full render and make a quick low-resolution preview.mp4."""
        self.check_request(topic, aspect)
        extra = {"captions": captions} if captions else {}
        item_id, work = self._new_item(topic, aspect, {**(metadata or {}), **extra})
        if on_created is not None:
            on_created(item_id)
        return self._run(item_id, work, aspect, topic, publish, preview=preview)

    def draft_script(self, topic: str | None = None, aspect: str = "9:16") -> content.ContentItem:
        """Topic, script and metadata only: a draft a person reads and edits (script.txt, metadata.json in
        its work folder) before any media is made; ``resume`` goes on to the render."""
        self.check_request(topic, aspect)
        item_id, work = self._new_item(topic, aspect)
        self._run(item_id, work, aspect, topic, publish=False, last_stage="metadata")
        return content.get_item(self.app.db, item_id)

    def _new_item(self, topic: str | None, aspect: str, metadata: dict | None = None) -> tuple[int, Path]:
        item = content.create_item(self.app.db, self.account.id, KIND, status=ItemStatus.GENERATING,
                                   metadata={**(metadata or {}), "aspect": aspect, "topic_given": topic})
        work = work_folder(item.id)
        work.mkdir(parents=True, exist_ok=True)
        content.update_item(self.app.db, item.id, work_dir=str(work))
        return item.id, work

    def _preflight(self) -> None:
        """Fail before any work (and before an item exists) on a bad provider name or a missing key,
        for every provider the Short will use: text, voice, pictures, subtitles and stock clips."""
        from moneyprinter.providers.images import create_image_provider
        from moneyprinter.providers.llm import create_text_provider
        from moneyprinter.providers.stock_video import create_video_provider
        from moneyprinter.providers.stt import create_stt_provider
        from moneyprinter.providers.tts import create_voice_provider

        settings, secrets = self.app.settings, self.app.config.secrets
        for create in (create_text_provider, create_voice_provider, create_image_provider,
                       create_stt_provider, create_video_provider):
            provider = create(settings, secrets)
            if provider is not None and getattr(provider, "needs_key", False):
                provider.key()

    def _resumable(self, item_id: int) -> content.ContentItem:
        item = content.get_item(self.app.db, item_id)
        if item.kind != KIND or item.account_id != self.account.id:
            raise UsageError(f"item {item_id} is not a Short of '{self.account.nickname}'",
                             hint=f"list them with 'moneyprinter videos --account {self.account.nickname}'")
        return item

    def resume(self, item_id: int, publish: bool = True, *, captions: str | None = None,
               preview: bool = False) -> ShortResult:
        """Continue a Short; a new ``captions`` preset renders it again with those captions."""
        item = self._resumable(item_id)
        work = Path(item.work_dir) if item.work_dir else work_folder(item_id)
        work.mkdir(parents=True, exist_ok=True)
        meta = item.metadata
        assert isinstance(meta, ShortMeta)  # _resumable checked the kind
        if captions and captions != meta.captions:
            content.update_item(self.app.db, item_id, metadata=replace(meta, captions=captions))
            (work / "short.mp4").unlink(missing_ok=True)  # only the render depends on the captions
        return self._run(item_id, work, meta.aspect, meta.topic_given, publish, preview=preview)

    def videos(self, limit: int = 50) -> list[content.ContentItem]:
        return content.list_items(self.app.db, account_id=self.account.id, kind=KIND, limit=limit)

    # --- running the stages -----------------------------------------------------------------

    def _run(self, item_id: int, work: Path, aspect: str, topic: str | None, publish: bool,
             preview: bool = False, last_stage: str | None = None) -> ShortResult | None:
        lock = FileLock(str(work / ".lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise UsageError(f"Short {item_id} is being made by another process", hint="wait for it to finish") from None
        try:
            item = content.get_item(self.app.db, item_id)
            captions = getattr(item.metadata, "captions", "") or self.account.options.get("captions") or ""
            content.update_item(self.app.db, item_id, status=ItemStatus.GENERATING, error=None)
            job = ShortJob(self.app, self.account, item_id, work, aspect, topic, captions=captions,
                           previous_status=item.status)
            if last_stage:  # script-only: the words, then a person
                self._record_draft(job, self._stages(job, STAGES[: STAGES.index(last_stage) + 1]))
                return None
            seconds = self._stages(job, STAGES[:-1] if preview else STAGES)
            if preview:
                return self._preview(job, seconds)
            return self._finish(job, seconds, publish)
        finally:
            lock.release()

    def _stages(self, job: ShortJob, stages: tuple[str, ...] = STAGES) -> dict[str, float]:
        seconds: dict[str, float] = {}
        stale = False  # once a stage is made again, what later stages made from the old result is stale
        for stage in stages:
            artifact, func = STAGE_TABLE[stage]
            if (job.work / artifact).exists() and not stale:
                seconds[stage] = 0.0
                self.reporter.finish(stage, 0.0, "reused", True)
                continue
            if stale:
                _remove(job.work / artifact, job.work / "tmp" / artifact)
            stale = True
            self.reporter.start(stage)
            began = time.monotonic()
            try:
                note = func(job)
            except BaseException as exc:
                took = time.monotonic() - began
                message = _failure(exc)
                self.reporter.fail(stage, took, message)
                error = message if message.startswith(f"{stage}:") else f"{stage}: {message}"
                content.update_item(self.app.db, job.item_id, status=ItemStatus.FAILED, error=error[:1000])
                if isinstance(exc, MoneyPrinterError):
                    resume = f"artifacts kept in {job.work}; resume with 'moneyprinter short --account {self.account.nickname} --resume {job.item_id}'"
                    exc.hint = f"{exc.hint}; {resume}" if exc.hint else resume
                raise
            seconds[stage] = time.monotonic() - began
            self.reporter.finish(stage, seconds[stage], note, False)
        return seconds

    def _record_draft(self, job: ShortJob, seconds: dict[str, float]) -> None:
        """A script-only draft: the words on the item, no media; status 'draft' until it is resumed."""
        meta = job.read_json("metadata.json")
        metadata = replace(
            content.get_item(self.app.db, job.item_id).metadata,
            topic=meta["topic"], description=meta["description"], tags=meta["tags"],
            review_reasons=meta.get("review") or [],
            script=job.read_json("script.json") if (job.work / "script.json").exists() else {},
            stage_seconds={k: round(v, 2) for k, v in seconds.items()}, warnings=job.warnings,
        )
        content.update_item(self.app.db, job.item_id, status=ItemStatus.DRAFT, title=meta["title"],
                            body=job.read("script.txt"), metadata=metadata, error=None)

    def _preview(self, job: ShortJob, seconds: dict[str, float]) -> ShortResult:
        """Everything but the full render is made (and kept); the preview shows the same timeline."""
        self.reporter.start("render")  # shown as the render step: the same timeline, smaller and faster
        began = time.monotonic()
        mp4 = stage_preview(job)
        seconds["render"] = time.monotonic() - began
        self.reporter.finish("render", seconds["render"], "preview, low resolution", False)
        status = job.previous_status if job.previous_status != ItemStatus.GENERATING else ItemStatus.DRAFT
        content.update_item(self.app.db, job.item_id, status=status)
        meta = job.read_json("metadata.json")
        return ShortResult(job.item_id, mp4, media_duration(mp4), meta["title"], seconds, list(job.warnings),
                           next_step=f"this is a low-resolution preview; make the Short with 'moneyprinter short "
                                     f"--account {self.account.nickname} --resume {job.item_id}'")

    def _finish(self, job: ShortJob, seconds: dict[str, float], publish: bool) -> ShortResult:
        meta = job.read_json("metadata.json")
        mp4 = job.work / "short.mp4"
        duration = media_duration(mp4)
        plan = visuals.load_plan(job.work / "images")
        credits = visuals.credits(plan)  # what stock providers ask for goes into the description
        description = meta["description"] + ("\n\n" + "\n".join(credits) if credits else "")
        metadata = replace(
            content.get_item(self.app.db, job.item_id).metadata,
            topic=meta["topic"], description=description[:5000], tags=meta["tags"],
            attribution=[{**s.source, **({"credit": s.credit} if s.credit else {})} for s in plan if s.source.get("page_url")],
            review_reasons=meta.get("review") or [],
            duration=round(duration, 2), stage_seconds={k: round(v, 2) for k, v in seconds.items()},
            warnings=job.warnings,
        )
        handed_over = job.previous_status in _HANDED_OVER  # a rerun of a finished Short
        status = job.previous_status if handed_over else ItemStatus.READY
        item = content.update_item(self.app.db, job.item_id, status=status, title=meta["title"], body=job.read("script.txt"),
                                   metadata=metadata, media_path=str(mp4), error=None)
        shutil.rmtree(job.work / "tmp", ignore_errors=True)  # temporary files go on success only
        for part in job.work.glob("*.part*"):
            part.unlink(missing_ok=True)
        result = ShortResult(job.item_id, mp4, duration, meta["title"], seconds, list(job.warnings))
        if publish and item.status == ItemStatus.READY:
            from moneyprinter import publishers

            self._delivered(result, publishers.submit_everywhere(self.app, item, review=meta.get("review") or ()))
        elif item.status == ItemStatus.OUTBOX:  # a re-render of a Short waiting in the outbox: never leave it stale
            from moneyprinter.publishers.outbox import write_to_outbox

            result.published = f"the outbox copy was updated: {write_to_outbox(self.app, self.account, item)}"
        if publish and handed_over:  # a rerun after a crash between destinations: only the ones not done go on
            from moneyprinter import publishers

            self._delivered(result, publishers.submit_cross_posts(self.app, item, review=meta.get("review") or ()))
        return result

    @staticmethod
    def _delivered(result: ShortResult, done) -> None:
        if done.own is not None:
            result.published = done.own.result.message
        result.crossed = [d.line() for d in done.crossed()]
        result.exit_code = done.exit_code


def is_stopped(item: content.ContentItem) -> bool:
    """A Short marked ``generating`` whose process is gone: nobody holds its work folder's lock."""
    if item.status != ItemStatus.GENERATING:
        return False
    lock_path = Path(item.work_dir) / ".lock" if item.work_dir else None
    if lock_path is None or not lock_path.exists():
        return True
    probe = FileLock(str(lock_path))
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return False
    probe.release()
    return True


def _failure(exc: BaseException) -> str:
    if isinstance(exc, MoneyPrinterError):
        return exc.message
    if isinstance(exc, KeyboardInterrupt):  # was shown and stored as "KeyboardInterrupt: "
        return "interrupted (Ctrl-C); resume with --resume"
    if isinstance(exc, SystemExit):  # SIGTERM (Terminated, or the scheduler's timeout)
        return "stopped by a signal; resume with --resume"
    return f"{exc.__class__.__name__}: {exc}"


def _remove(*targets: Path) -> None:
    for target in targets:
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)


def scheduled_short(app: App, account_nickname: str) -> str:
    """The scheduler's job: make and publish one Short; returns a one-line summary."""
    result = YouTube(app, account_nickname).make_short(publish=True)
    summary = f"Short {result.item_id} '{result.title}' ({result.duration:.1f} s): {result.mp4}"
    summary += "".join(f"; {line}" for line in [result.published, *result.crossed] if line)
    if result.exit_code:  # a cross-post deferred or failed: the run says so (publish.due retries a deferred one)
        error = PublishError(summary)
        error.exit_code = result.exit_code
        raise error
    return summary
