"""The ``youtube_studio`` publisher: YouTube Studio's upload dialog driven through Selenium (opt-in).

For people without API access. It is off unless ``publishing.studio_enabled = true`` and it
prints a warning every time: automating the website may break YouTube's terms of service.

At most once: choosing the file creates a draft video, so ``publishing`` is committed before
it, and the video link is stored the moment the dialog shows it. A run that finds a Studio
upload already started does not start another: the record needs a person's check
(``moneyprinter outbox mark-published ID URL`` or ``moneyprinter publish ID --retry``).
On any failure a screenshot and the page HTML go to ``<data>/studio-failures/`` and the
browser is always closed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
from datetime import UTC, datetime
from pathlib import Path

from moneyprinter import errors, paths
from moneyprinter.check_result import CheckResult
from moneyprinter.publishers.base import NeedsAttention, Outcome, PublishContext, Publisher
from moneyprinter.store.accounts import Account
from moneyprinter.store.db import utcnow
from moneyprinter.store.states import PublicationStatus

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)

TERMS_WARNING = ("YouTube Studio automation is on: driving the website with a bot may break YouTube's terms of "
                 "service and can get the channel restricted. The YouTube Data API (publisher youtube_api) is the "
                 "supported way.")


class YouTubeStudioPublisher(Publisher):
    id = "youtube_studio"
    platforms = ("youtube",)

    def publish(self, ctx: PublishContext) -> Outcome:
        settings = ctx.settings
        if not settings.studio_enabled:
            raise errors.PublishError(
                "the youtube_studio publisher is turned off",
                hint="set studio_enabled = true under [publishing] (it may break YouTube's terms) or use youtube_api",
            )
        log.warning(TERMS_WARNING)
        if ctx.pub.state.get("studio_started") and not ctx.retry_unknown:
            url = ctx.pub.state.get("studio_video_url")
            raise NeedsAttention(
                "a Studio upload of this item was already started" + (f" ({url})" if url else "") + "; its outcome is unknown",
                hint=f"check YouTube Studio; if it is there: moneyprinter outbox mark-published {ctx.item.id} URL, "
                     f"otherwise: moneyprinter publish {ctx.item.id} --retry",
            )
        video = Path(ctx.item.media_path or "")
        if not ctx.item.media_path or not video.is_file():
            raise errors.PublishError(f"item {ctx.item.id} has no video file", hint="render the Short again")
        upload = _upload_for(ctx, video)
        from moneyprinter.publishers.studio.browser import make_driver
        from moneyprinter.publishers.studio.flow import StudioFlow

        driver = make_driver(settings, ctx.account.id)
        flow = StudioFlow(driver, timeout_s=settings.studio_timeout_s, upload_timeout_s=settings.studio_upload_timeout_s)
        try:
            url = flow.run(
                settings.studio_upload_url, upload,
                before_upload=lambda: ctx.save(status=PublicationStatus.PUBLISHING, publishing_at=utcnow(),
                                               file_path=str(video),
                                               state={**ctx.pub.state, "studio_started": True}),
                on_video_url=lambda found: ctx.merge_state(studio_video_url=found),
            )
        except Exception as exc:  # Selenium, a missing element, a rejected upload: keep the evidence
            report = save_failure(driver, ctx.item.id)
            raise NeedsAttention(
                f"YouTube Studio failed at step '{flow.step}' ({_short(exc)}); screenshot and page saved to {report}",
                hint=f"check YouTube Studio; if the video is there: moneyprinter outbox mark-published {ctx.item.id} URL",
            ) from exc
        finally:
            _quit(driver)
        video_id = url.rstrip("/").rsplit("/", 1)[-1]
        return Outcome("published", video_id, url, message=f"uploaded through YouTube Studio: {url}")

    def health_check(self, app: App, account: Account) -> CheckResult:
        settings = app.settings.publishing
        if not settings.studio_enabled:
            return CheckResult.fail(f"{account.nickname}: youtube_studio is turned off",
                                    "set studio_enabled = true under [publishing], or use the youtube_api publisher")
        from moneyprinter.publishers.studio.browser import _find

        try:
            names = {"chromium": ("chromium", "chromium-browser"), "chrome": ("google-chrome", "chrome"),
                     "firefox": ("firefox", "firefox-esr")}[settings.studio_browser]
            _find(settings.studio_binary, names, settings.studio_browser, settings.studio_browser)
            _find(settings.studio_driver, ("geckodriver",) if settings.studio_browser == "firefox" else ("chromedriver",),
                  "browser driver", "the browser's WebDriver")
        except errors.ConfigError as exc:
            return CheckResult.fail(f"{account.nickname}: {exc.message}", exc.hint or "")
        return CheckResult.warn(f"{account.nickname}: {settings.studio_browser} found; browser automation may break "
                                "YouTube's terms", "prefer the youtube_api publisher")


def _upload_for(ctx: PublishContext, video: Path):
    from moneyprinter.publishers.studio.flow import Upload
    from moneyprinter.publishers.youtube_api import video_resource

    resource = video_resource(ctx)  # same validation and defaults as the API publisher
    return Upload(video, resource["snippet"]["title"], resource["snippet"]["description"],
                  resource["status"]["privacyStatus"], resource["status"]["selfDeclaredMadeForKids"])


def save_failure(driver, item_id: int) -> Path:
    """Screenshot + page HTML in ``<data>/studio-failures/item-<id>-<time>.*``; returns the base path."""
    folder = paths.data_dir() / "studio-failures"
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"item-{item_id}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
    try:
        driver.save_screenshot(str(base.with_suffix(".png")))
        base.with_suffix(".html").write_text(driver.page_source, encoding="utf-8")
    except Exception:  # the browser may be gone; the error itself is still reported
        log.exception("could not save the Studio failure report")
    return base


def _quit(driver) -> None:
    try:
        driver.quit()
    except Exception:
        log.exception("could not close the browser")


def _short(exc: Exception) -> str:
    text = getattr(exc, "msg", None) or str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text.strip().splitlines()[0][:160]}" if text else exc.__class__.__name__
