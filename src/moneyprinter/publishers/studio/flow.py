"""The Studio upload dialog, step by step, with an explicit wait before every interaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from moneyprinter.publishers.studio import selectors as S


@dataclass
class Upload:
    video: Path
    title: str
    description: str
    privacy_status: str
    made_for_kids: bool


class StudioFlow:
    """Drives the dialog; ``step`` always names where it is, for the failure report."""

    def __init__(self, driver, *, timeout_s: float, upload_timeout_s: float) -> None:
        self.driver = driver
        self.timeout_s = timeout_s
        self.upload_timeout_s = upload_timeout_s
        self.step = "start"

    def _wait(self, condition, timeout: float | None = None):
        return WebDriverWait(self.driver, timeout or self.timeout_s, poll_frequency=0.2).until(condition)

    def _click(self, locator) -> None:
        self._wait(EC.element_to_be_clickable(locator)).click()

    def _type(self, locator, text: str) -> None:
        box = self._wait(EC.element_to_be_clickable(locator))
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        box.send_keys(text)

    def run(self, url: str, upload: Upload, *, before_upload: Callable[[], None],
            on_video_url: Callable[[str], None]) -> str:
        """Upload and publish; returns the video URL read from the dialog."""
        self.step = "open the upload page"
        self.driver.get(url)
        self.step = "find the file chooser"
        chooser = self._wait(EC.presence_of_element_located(S.FILE_INPUT))
        before_upload()  # choosing the file creates a draft video: record that first
        self.step = "choose the file"
        chooser.send_keys(str(upload.video.resolve()))
        self.step = "read the video link"
        link = self._wait(EC.visibility_of_element_located(S.VIDEO_URL))
        video_url = link.get_attribute("href") or link.text.strip()
        on_video_url(video_url)
        self.step = "enter the title"
        self._type(S.TITLE, upload.title)
        self.step = "enter the description"
        self._type(S.DESCRIPTION, upload.description)
        self.step = "answer 'made for kids'"
        self._click(S.made_for_kids(upload.made_for_kids))
        for number in range(1, S.NEXT_CLICKS + 1):
            self.step = f"go to the next page ({number}/{S.NEXT_CLICKS})"
            self._click(S.NEXT)
        self.step = f"choose visibility {S.VISIBILITY_NAMES[upload.privacy_status]}"
        self._click(S.visibility(upload.privacy_status))
        self.step = "wait for the upload to finish"
        self._wait(_upload_finished, self.upload_timeout_s)
        self.step = "press Done"
        self._click(S.DONE)
        self.step = "wait for the confirmation"
        self._wait(EC.visibility_of_element_located(S.PUBLISHED_DIALOG))
        return video_url


def _upload_finished(driver) -> bool:
    label = driver.find_element(*S.UPLOAD_PROGRESS).text.lower()
    if any(phrase in label for phrase in S.UPLOAD_FAILED_PHRASES):
        raise UploadRejected(label)
    return any(phrase in label for phrase in S.UPLOAD_DONE_PHRASES)


class UploadRejected(Exception):
    """Studio said the upload failed (limit reached, processing abandoned)."""
