"""Optional IMAP polling: suppress people who reply "unsubscribe" and addresses that bounce (DSN).

Parsing is separate from fetching so it can be checked on real message bytes.
"""

from __future__ import annotations

import email
import imaplib
import re
import ssl
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

from moneyprinter.errors import ConfigError, ServiceUnavailable, Unauthorized
from moneyprinter.settings.outreach import OutreachSettings

UNSUBSCRIBE = re.compile(r"\b(unsubscribe|remove me|abmelden|opt[- ]out)\b", re.I)


def classify(raw: bytes) -> tuple[str, str] | None:
    """('bounce' | 'unsubscribe', address) for a message that asks for suppression, else None."""
    msg: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    if msg.get_content_type() == "multipart/report" and msg.get_param("report-type") == "delivery-status":
        return _bounce(msg)
    sender = parseaddr(msg.get("From", ""))[1].lower()
    if not sender or "@" not in sender:
        return None
    subject = str(msg.get("Subject", ""))
    body = msg.get_body(preferencelist=("plain", "html"))
    first_lines = ""
    if body is not None:
        text = body.get_content()
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith(">")]
        first_lines = " ".join(lines[:3])
    if UNSUBSCRIBE.search(subject) or UNSUBSCRIBE.search(first_lines):
        return "unsubscribe", sender
    return None


def _bounce(msg: EmailMessage) -> tuple[str, str] | None:
    """Final-Recipient of a permanent failure (Action: failed, Status: 5.x.x)."""
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The body holds per-message and per-recipient header blocks.
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            action = str(block.get("Action", "")).lower()
            status = str(block.get("Status", ""))
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            if action == "failed" and status.startswith("5") and ";" in recipient:
                return "bounce", recipient.split(";", 1)[1].strip().lower()
    return None


def poll(settings: OutreachSettings, password: str | None) -> list[tuple[str, str]]:
    """Fetch unseen messages, mark them seen, return the suppressions they ask for."""
    if not settings.imap_host:
        raise ConfigError("IMAP polling is not configured", hint="set outreach.imap_host, imap_user and IMAP_PASSWORD")
    try:
        if settings.imap_security == "ssl":
            conn = imaplib.IMAP4_SSL(settings.imap_host, settings.imap_port, ssl_context=ssl.create_default_context(), timeout=30)
        else:
            conn = imaplib.IMAP4(settings.imap_host, settings.imap_port, timeout=30)
            if settings.imap_security == "starttls":
                conn.starttls(ssl_context=ssl.create_default_context())
    except (OSError, imaplib.IMAP4.error) as exc:
        raise ServiceUnavailable("IMAP", f"cannot connect to {settings.imap_host} ({exc})") from None
    try:
        try:
            conn.login(settings.imap_user, password or "")
        except imaplib.IMAP4.error:
            raise Unauthorized("IMAP", "login rejected", hint="check outreach.imap_user and IMAP_PASSWORD") from None
        conn.select(settings.imap_folder)
        _, data = conn.search(None, "UNSEEN")
        found = []
        for num in (data[0] or b"").split():
            _, parts = conn.fetch(num, "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            hit = classify(raw)
            if hit:
                found.append(hit)
            conn.store(num, "+FLAGS", "\\Seen")
        return found
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
