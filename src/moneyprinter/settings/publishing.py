"""Settings of publishing: where the YouTube and X APIs live, upload behaviour, quota, and the Studio fallback.

Every base URL is configurable so tests (or a proxy) can stand in for the real services.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from moneyprinter.settings.base import Section


class PublishingSettings(Section):
    """Publishing to YouTube and X (see docs/publishing.md)."""

    # --- YouTube Data API v3 ---
    youtube_auth_uri: str = Field("https://accounts.google.com/o/oauth2/auth", description="Google OAuth authorization endpoint")
    youtube_token_uri: str = Field("https://oauth2.googleapis.com/token", description="Google OAuth token endpoint")
    youtube_upload_url: str = Field(
        "https://www.googleapis.com/upload/youtube/v3/videos", description="YouTube resumable upload endpoint (videos.insert)"
    )
    youtube_api_base_url: str = Field("https://www.googleapis.com/youtube/v3", description="YouTube Data API base URL")
    youtube_client_secrets_file: str = Field(
        "", description="Path to the OAuth client JSON from Google Cloud (or set YOUTUBE_CLIENT_ID/YOUTUBE_CLIENT_SECRET)"
    )
    youtube_privacy_status: Literal["private", "unlisted", "public"] = Field(
        "private", description="Visibility of uploaded videos: private, unlisted or public"
    )
    youtube_category_id: str = Field("22", description="YouTube video category id (22 = People & Blogs)")
    youtube_made_for_kids: bool = Field(False, description="selfDeclaredMadeForKids on uploaded videos")
    youtube_upload_quota_cost: int = Field(
        1600, ge=0, description="Quota units one videos.insert costs (1600 classic; 1 on projects with an upload bucket)"
    )
    youtube_daily_quota: int = Field(10000, ge=0, description="Daily quota units of the Google Cloud project (0 = unlimited)")
    upload_chunk_bytes: int = Field(
        8 * 1024 * 1024, ge=256 * 1024, description="Resumable upload chunk size (a multiple of 256 KiB)"
    )
    upload_max_retries: int = Field(10, ge=0, le=10, description="Retries of a failed upload chunk (5xx, network errors)")
    upload_backoff_base_s: float = Field(1.0, ge=0, description="First upload retry waits about this long, then doubles")
    upload_backoff_max_s: float = Field(64.0, ge=0, description="Longest wait between upload retries")

    # --- X API v2 ---
    x_api_base_url: str = Field("https://api.x.com", description="X API base URL (posts, users, media upload)")
    x_max_weighted_length: int = Field(280, ge=1, description="Longest post in X's weighted characters")
    x_post_timeout_s: float = Field(20.0, gt=0, description="Seconds to wait for X to answer a post")
    x_reconcile_lookback: int = Field(20, ge=5, le=100, description="Recent posts searched when a post's outcome is unknown")

    # --- Bluesky (AT Protocol) ---
    bluesky_pds_url: str = Field("https://bsky.social", description="Bluesky PDS (or entryway) of accounts without a 'pds' option")
    bluesky_video_url: str = Field("https://video.bsky.app", description="Bluesky video service (uploadVideo, getJobStatus)")
    bluesky_post_timeout_s: float = Field(20.0, gt=0, description="Seconds to wait for the PDS to answer createRecord")
    bluesky_video_poll_s: float = Field(2.0, ge=0, description="Seconds between checks of a video's processing job")
    bluesky_video_wait_s: float = Field(300.0, gt=0, description="Longest wait for a video's processing before deferring the post")

    # --- YouTube Studio through a browser (opt-in) ---
    studio_enabled: bool = Field(
        False, description="Allow the youtube_studio publisher (browser automation; may break YouTube's terms)"
    )
    studio_upload_url: str = Field("https://www.youtube.com/upload", description="Address that opens Studio's upload dialog")
    studio_browser: Literal["chromium", "chrome", "firefox"] = Field("chromium", description="Browser for YouTube Studio")
    studio_headless: bool = Field(False, description="Run the Studio browser without a window")
    studio_binary: str = Field("", description="Browser executable (empty: found automatically)")
    studio_driver: str = Field("", description="chromedriver/geckodriver path (empty: found automatically)")
    studio_timeout_s: float = Field(60.0, gt=0, description="Longest wait for one Studio page element")
    studio_upload_timeout_s: float = Field(900.0, gt=0, description="Longest wait for Studio to finish an upload")

    # --- Mastodon (the instance's URL is the account's ``instance`` option) ---
    mastodon_media_poll_s: float = Field(1.0, gt=0, description="First wait between checks that an upload is processed")
    mastodon_media_timeout_s: float = Field(600.0, gt=0, description="Longest wait for the instance to process a video")
    mastodon_limits_cache_s: float = Field(21600.0, ge=0, description="How long an instance's limits are reused")
