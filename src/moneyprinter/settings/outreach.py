"""Settings of outreach: discovery, email finding, sending (owned by the outreach capability).

Passwords are secrets (SMTP_PASSWORD, IMAP_PASSWORD in .env or the environment), never here.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, field_validator

from moneyprinter.settings.base import Section

Security = Literal["starttls", "ssl", "none"]


class OutreachSettings(Section):
    """Cold email: where businesses come from, how emails are found, how mail is sent."""

    # --- sending ---------------------------------------------------------------------
    smtp_host: str = Field("", description="SMTP server host name; empty = sending is not configured")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port: 587 for starttls, 465 for ssl")
    smtp_security: Security = Field("starttls", description="starttls, ssl, or none (only for a local relay)")
    smtp_user: str = Field("", description="SMTP login; empty = no authentication. Password: SMTP_PASSWORD")
    smtp_timeout_s: float = Field(30.0, gt=0, description="Seconds to wait for the SMTP server")
    daily_cap_per_mailbox: int = Field(50, ge=1, description="At most this many messages per sender mailbox in any 24 h")
    min_interval_s: float = Field(60.0, ge=0, description="Shortest pause between two sends (randomized up to max)")
    max_interval_s: float = Field(180.0, ge=0, description="Longest pause between two sends")
    resend_after_days: int = Field(90, ge=1, description="Another campaign may mail an address only after this many days")
    retry_after_minutes: float = Field(30.0, ge=0, description="A temporary SMTP refusal (4xx) is retried after this")
    pause_after_errors: int = Field(
        5, ge=1, description="Pause the campaign after this many recipient errors (refused or deferred) in a row"
    )
    unsubscribe_email: str = Field("", description="Mailbox for List-Unsubscribe mailto; empty = the sender address")
    unsubscribe_url: str = Field(
        "", description="Optional https one-click unsubscribe URL; {token} is replaced by the recipient's signed"
        " token (added as ?token= when absent), {email} by the address (URL-encoded)"
    )
    ad_notice: str = Field(
        "This message is an advertisement.",
        description="First footer line identifying the mail as a solicitation (CAN-SPAM); empty = left out",
    )
    output_dir: str = Field("", description="Where dry runs write messages; empty = <data dir>/outreach")
    # --- inbox (optional) --------------------------------------------------------------
    imap_host: str = Field("", description="IMAP host polled for replies, stop requests and bounces; empty = off")
    imap_port: int = Field(993, ge=1, le=65535, description="IMAP port")
    imap_security: Security = Field("ssl", description="ssl, starttls or none")
    imap_user: str = Field("", description="IMAP login. Password: IMAP_PASSWORD")
    imap_folder: str = Field("INBOX", description="Folder to poll")
    # --- finding emails --------------------------------------------------------------
    workers: int = Field(8, ge=1, le=64, description="Websites searched for emails at the same time")
    max_contact_pages: int = Field(4, ge=0, le=10, description="Contact/about pages fetched per site after the home page")
    page_max_bytes: int = Field(2_000_000, ge=10_000, description="Pages larger than this are skipped")
    site_time_cap_s: float = Field(20.0, gt=0, description="Time spent on one website at most")
    page_timeout_s: float = Field(10.0, gt=0, description="Seconds to wait for one page")
    allow_private_addresses: bool = Field(
        False, description="Let the finder fetch loopback/private/link-local addresses (a LAN, tests); off = public only"
    )
    check_mx: bool = Field(False, description="Look up MX records of found domains (skipped when DNS is unreachable)")
    # --- discovery -------------------------------------------------------------------
    overpass_url: str = Field("https://overpass-api.de/api/interpreter", description="Overpass API endpoint")
    overpass_timeout_s: int = Field(90, ge=5, le=900, description="Server-side timeout of one Overpass query")
    user_agent: str = Field(
        "moneyprinter-outreach/0.1 (+https://github.com/moneyprinter; set outreach.user_agent to your contact)",
        description="Identifying User-Agent for Overpass and websites (Overpass usage policy asks for one)",
    )
    gmaps_scraper_command: str = Field(
        "", description="gosom/google-maps-scraper binary or 'docker run ... gosom/google-maps-scraper'; empty = off"
    )
    gmaps_scraper_timeout_s: float = Field(900.0, gt=0, description="The scraper is killed after this long")

    # Both go into the List-Unsubscribe header of every message: a typo would break it in every mail.
    @field_validator("unsubscribe_email")
    @classmethod
    def _mailbox(cls, value: str) -> str:
        if not value:
            return value
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValueError(f"is not an email address ({exc})") from None

    @field_validator("unsubscribe_url")
    @classmethod
    def _https_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if value and (parts.scheme != "https" or not parts.hostname):
            raise ValueError("must be an https:// URL (one-click unsubscribe needs https), or empty")
        return value
