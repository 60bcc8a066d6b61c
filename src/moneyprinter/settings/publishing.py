"""Settings of publishing: where the YouTube, X and Meta APIs live, upload behaviour, quota, and the Studio fallback.

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
    # --- TikTok Content Posting API ---
    tiktok_api_base_url: str = Field("https://open.tiktokapis.com", description="TikTok API base URL (OAuth token, posting)")
    tiktok_auth_url: str = Field("https://www.tiktok.com/v2/auth/authorize/", description="TikTok Login Kit consent page")
    tiktok_privacy_level: str = Field(
        "SELF_ONLY", description="Who sees direct posts unless the account sets privacy_level (unaudited apps: SELF_ONLY)"
    )
    tiktok_chunk_bytes: int = Field(
        10 * 1024 * 1024, ge=5 * 1024 * 1024, le=64 * 1024 * 1024, description="Upload chunk size (TikTok: 5-64 MB)"
    )
    tiktok_poll_interval_s: float = Field(5.0, gt=0, description="Seconds between post status checks")
    tiktok_poll_timeout_s: float = Field(
        300.0, gt=0, description="Longest wait for TikTok to process a post before it is deferred and checked later"
    )
    # --- Instagram Reels and Threads (Meta's Graph APIs) ---
    public_media_base_url: str = Field(
        "", description="Public HTTPS address of the data directory (your web server, bucket or the web app's media "
                        "route behind a reverse proxy); a video's path under the data directory is appended. "
                        "Instagram and Threads fetch videos from there; empty: videos cannot go to them")
    instagram_graph_base_url: str = Field("https://graph.instagram.com/v23.0",
                                          description="Instagram Graph API (Instagram Login) base URL with version")
    instagram_oauth_url: str = Field("https://www.instagram.com/oauth/authorize",
                                     description="Instagram's authorization window (Business Login for Instagram)")
    instagram_token_url: str = Field("https://api.instagram.com/oauth/access_token",
                                     description="Instagram's endpoint that exchanges the login code for a token")
    threads_graph_base_url: str = Field("https://graph.threads.net/v1.0", description="Threads API base URL with version")
    threads_oauth_url: str = Field("https://threads.net/oauth/authorize", description="Threads' authorization window")
    meta_redirect_uri: str = Field(
        "https://localhost/", description="Redirect URI of the Meta app's login (must be listed in the app); an "
                                          "http://127.0.0.1:PORT/ address is caught by a local server, any other is pasted")
    meta_container_wait_s: float = Field(300.0, gt=0, description="Longest wait for Meta to process a video, then deferred")
    meta_poll_interval_s: float = Field(10.0, gt=0, description="Seconds between container status checks")
    meta_publish_timeout_s: float = Field(60.0, gt=0, description="Seconds to wait for Meta to answer a publish call")

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
