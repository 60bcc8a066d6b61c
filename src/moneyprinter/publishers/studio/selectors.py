"""Every YouTube Studio selector in one place: when Studio changes, this is the file to update.

Elements are found by id, ``name`` or role, never by position (visibility is chosen by its
name, the video URL is read from the upload dialog's own link).
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

FILE_INPUT = (By.CSS_SELECTOR, "input[type='file']")
TITLE = (By.CSS_SELECTOR, "#title-textarea #textbox")
DESCRIPTION = (By.CSS_SELECTOR, "#description-textarea #textbox")
NEXT = (By.CSS_SELECTOR, "#next-button")
DONE = (By.CSS_SELECTOR, "#done-button")
VIDEO_URL = (By.CSS_SELECTOR, ".video-url-fadeable a")
UPLOAD_PROGRESS = (By.CSS_SELECTOR, "ytcp-video-upload-progress .progress-label")
PUBLISHED_DIALOG = (By.CSS_SELECTOR, "ytcp-video-share-dialog, ytcp-uploads-still-processing-dialog")
UPLOAD_DONE_PHRASES = ("upload complete", "checks complete", "processing will begin", "video uploaded")
UPLOAD_FAILED_PHRASES = ("upload failed", "daily upload limit", "processing abandoned")

# Studio's names for the choices; ``privacyStatus`` values map onto them.
VISIBILITY_NAMES = {"private": "PRIVATE", "unlisted": "UNLISTED", "public": "PUBLIC"}
NEXT_CLICKS = 3  # Details -> Video elements -> Checks -> Visibility


def made_for_kids(value: bool) -> tuple[str, str]:
    name = "VIDEO_MADE_FOR_KIDS_MFK" if value else "VIDEO_MADE_FOR_KIDS_NOT_MFK"
    return (By.CSS_SELECTOR, f"tp-yt-paper-radio-button[name='{name}']")


def visibility(privacy_status: str) -> tuple[str, str]:
    return (By.CSS_SELECTOR, f"tp-yt-paper-radio-button[name='{VISIBILITY_NAMES[privacy_status]}']")
