"""Optional IMAP polling: suppress people who reply "unsubscribe" and addresses that bounce (DSN).

Parsing is separate from fetching so it can be checked on real message bytes. A reply is tied to
the contact it answers by its In-Reply-To/References (our Message-ID is in the send ledger), since
the person may answer from another mailbox than the one we wrote to.
"""

from __future__ import annotations

import email
import imaplib
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

from moneyprinter.errors import ConfigError, ServiceUnavailable, Unauthorized
from moneyprinter.outreach import suppression
from moneyprinter.settings.outreach import OutreachSettings
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import sends

# Short replies that ask to be left alone. Matched on the subject and the reply's own first lines
# (quoted text and our footer, which says "unsubscribe" itself, are not read).
UNSUBSCRIBE = re.compile(
    r"\b(unsubscribe|unsub|remove me|remove us|take me off|take us off|opt[- ]?out|abmelden|austragen"
    r"|(stop|quit) (emailing|mailing|sending|writing|contacting)|do not (contact|email|e-mail|write)"
    r"|don'?t (contact|email|e-mail|write))\b",
    re.I,
)
ALONE = re.compile(r"^\W*(stop|remove|unsubscribe|no more|opt out)\W*$", re.I)  # a line saying only "STOP."
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
HARD_BOUNCE = re.compile(r"^5\.1\.\d{1,3}$")  # RFC 3463: bad destination mailbox or system
# Servers that answer a generic 5.0.0 still say why in the Diagnostic-Code
USER_UNKNOWN = re.compile(r"user unknown|unknown user|no such (user|mailbox|recipient)|mailbox (not found|unavailable"
                          r" ?- ?user)|does not exist|recipient (address )?rejected: user", re.I)


@dataclass(frozen=True)
class Request:
    """A message that asks for suppression: a hard bounce, or a reply asking to stop."""

    kind: str  # bounce | unsubscribe
    address: str  # the bounced recipient, or the reply's From address
    answers: tuple[str, ...] = ()  # Message-IDs it replies to (In-Reply-To, References)


def classify(raw: bytes) -> Request | None:
    """What a fetched message asks for, or None (then it is left unread for a person)."""
    msg: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    if msg.get_content_type() == "multipart/report" and msg.get_param("report-type") == "delivery-status":
        return _bounce(msg)
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    if not sender or "@" not in sender:
        return None
    answers = tuple(MESSAGE_ID.findall(f"{msg.get('In-Reply-To', '')} {msg.get('References', '')}"))
    if _asks_to_stop(str(msg.get("Subject", "")), _own_lines(msg)):
        return Request("unsubscribe", sender, answers)
    return None


def _own_lines(msg: EmailMessage) -> list[str]:
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return []
    try:
        text = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: nothing to read
        return []
    lines = []
    for line in text.splitlines():
        if line.startswith(">") or line.strip() == "--" or re.match(r"^On .+ wrote:$", line.strip()):
            break
        if line.strip():
            lines.append(line.strip())
    return lines[:3]


def _asks_to_stop(subject: str, lines: list[str]) -> bool:
    subject = re.sub(r"^\s*((re|aw|fwd?|wg)\s*:\s*)+", "", subject, flags=re.I)
    if UNSUBSCRIBE.search(subject) or ALONE.match(subject):
        return True
    return any(UNSUBSCRIBE.search(line) or ALONE.match(line) for line in lines)


def _bounce(msg: EmailMessage) -> Request | None:
    """Final-Recipient of a failure whose status says the mailbox does not exist (5.1.x)."""
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The body holds per-message and per-recipient header blocks.
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            action = str(block.get("Action", "")).strip().lower()
            status = str(block.get("Status", "")).split()[0] if block.get("Status") else ""
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            diagnostic = str(block.get("Diagnostic-Code", ""))
            unknown = HARD_BOUNCE.match(status) or (status.startswith("5.") and USER_UNKNOWN.search(diagnostic))
            if action == "failed" and unknown and ";" in recipient:
                return Request("bounce", recipient.split(";", 1)[1].strip().lower())
    return None


def apply(db: Database, request: Request) -> list[str]:
    """Suppress what the request asks for; returns the addresses newly suppressed.

    A reply suppresses the contact it answers (found by Message-ID) and its sender; a reply that
    answers none of our messages suppresses its sender only.
    """
    if request.kind == "bounce":
        targets = [(request.address, "bounce: user unknown (DSN)")]
    else:
        contact = sends.address_for_message_ids(db, list(request.answers))
        targets = [(contact, "unsubscribe reply")] if contact else []
        targets.append((request.address, "unsubscribe reply"))
    return [address for address, why in dict(targets).items() if suppression.add(db, address, why)]


def poll(settings: OutreachSettings, password: str | None, act: Callable[[Request], None]) -> int:
    """Read unseen messages without marking them (BODY.PEEK), pass each request to ``act``, and mark
    only those seen: a message nothing was done with stays unread for a person. Returns the count."""
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
        found = 0
        for num in (data[0] or b"").split():
            _, parts = conn.fetch(num, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            request = classify(raw)
            if request is None:
                continue
            act(request)
            conn.store(num, "+FLAGS", "\\Seen")  # after acting: a crash before leaves it to the next poll
            found += 1
        return found
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
