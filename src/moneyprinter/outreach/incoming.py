"""What a message in the sender's inbox is: a bounce report (DSN), a reply asking to stop, an automatic
answer (out-of-office) or a person's reply; with its Message-ID, date and the answer's own words.

Parsing is separate from fetching so it can be checked on real message bytes. Which of our messages
it answers is read from In-Reply-To/References (our Message-IDs are in the send ledger), since people
answer from other mailboxes too; whether it answers one at all is for the caller to look up.
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from enum import StrEnum
from functools import cache

from mailparser_reply import EmailReplyParser

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
# Subjects that responders put first (Exchange, Outlook, Gmail, German, French, Italian, Spanish, Dutch)
AUTO_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto[- ]?reply|auto[- ]?response|out of (the )?office|abwesenheitsnotiz"
    r"|automatische antwort|abwesend|r[ée]ponse automatique|absence du bureau|risposta automatica"
    r"|respuesta autom[aá]tica|fuera de la oficina|automatisch antwoord|afwezigheidsbericht)\b",
    re.I,
)
AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk"}
MAIL_SYSTEM = {"mailer-daemon", "postmaster"}  # RFC 5321 section 4.5.1, and the usual bounce sender
QUOTE_START = re.compile(r"^(>|--\s*$|On .+ wrote:$)")
QUOTED_HTML = "blockquote, .gmail_quote, .moz-cite-prefix, #divRplyFwdMsg, #appendonsend, .yahoo_quoted"
SNIPPET_CHARS = 240
LANGUAGES = ["en", "de", "fr", "it", "es", "nl", "pl", "sv", "da", "cs"]


class Kind(StrEnum):
    BOUNCE = "bounce"  # a delivery report saying the mailbox does not exist
    UNSUBSCRIBE = "unsubscribe"  # a reply asking to stop
    AUTO_REPLY = "auto_reply"  # an out-of-office or other automatic answer
    REPLY = "reply"  # a person's answer


@dataclass(frozen=True)
class Incoming:
    kind: Kind
    address: str  # the bounced recipient, or the answer's From address
    answers: tuple[str, ...] = ()  # the Message-IDs it replies to (In-Reply-To, References)
    message_id: str = ""  # its own; a digest of its bytes when it has none, so a re-read finds the same key
    subject: str = ""
    snippet: str = ""  # its own words, quoted history cut
    received_at: str = ""  # its Date in UTC, '' when missing or unreadable


def classify(raw: bytes) -> Incoming | None:
    """What a fetched message is, or None when it is no answer (no sender, a read receipt, a DSN that does
    not say the mailbox is unknown, a bounce in plain text)."""
    msg: EmailMessage = email.message_from_bytes(raw, policy=policy.default)  # type: ignore[assignment]
    if msg.get_content_type() == "multipart/report":  # a delivery report or a read receipt, never an answer
        return _bounce(msg) if msg.get_param("report-type") == "delivery-status" else None
    sender = parseaddr(str(msg.get("From", "")))[1].lower()
    if not sender or "@" not in sender or sender.partition("@")[0] in MAIL_SYSTEM:
        return None  # a bounce in plain text says nothing a DSN would not, and no person wrote it
    subject = " ".join(str(msg.get("Subject", "")).split())
    own = _own_text(msg)
    if _is_automatic(msg, subject):  # a responder never asks to stop, whatever words it quotes
        kind = Kind.AUTO_REPLY
    elif _asks_to_stop(subject, _first_lines(own)):
        kind = Kind.UNSUBSCRIBE
    else:
        kind = Kind.REPLY
    answers = tuple(dict.fromkeys(MESSAGE_ID.findall(f"{msg.get('In-Reply-To', '')} {msg.get('References', '')}")))
    return Incoming(kind, sender, answers, _message_id(msg, raw), subject, _snippet(own), _date(msg))


def _message_id(msg: EmailMessage, raw: bytes) -> str:
    found = MESSAGE_ID.search(str(msg.get("Message-ID", "")))
    return found.group(0) if found else f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def _date(msg: EmailMessage) -> str:
    try:
        when = parsedate_to_datetime(str(msg.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return ""
    if when.tzinfo is None:  # RFC 5322 "-0000": the zone is unknown; read it as UTC
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _is_automatic(msg: EmailMessage, subject: str) -> bool:
    """RFC 3834 Auto-Submitted (anything but "no"), the X-Autoreply family, Precedence, or a responder's subject."""
    submitted = str(msg.get("Auto-Submitted", "")).strip().lower()
    if submitted and not submitted.startswith("no"):
        return True
    if msg.get("X-Autoreply") or msg.get("X-Autorespond"):
        return True
    if str(msg.get("Precedence", "")).strip().lower() in AUTO_PRECEDENCE:
        return True
    return bool(AUTO_SUBJECT.match(subject))


@cache
def _reply_parser() -> EmailReplyParser:
    return EmailReplyParser(languages=LANGUAGES)


def _own_text(msg: EmailMessage) -> str:
    """The answer's own text: the plain part (else the HTML part as text) without the quoted history."""
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        text = body.get_content()
    except (LookupError, ValueError):  # an unknown charset: nothing to read
        return ""
    if body.get_content_type() == "text/html":
        from bs4 import BeautifulSoup  # only for HTML mail

        soup = BeautifulSoup(text, "html.parser")
        for quoted in soup.select(QUOTED_HTML):
            quoted.decompose()
        text = soup.get_text("\n")
    # The parser knows the "On ... wrote:" lines of many clients and languages; a bare "> " quote or a
    # "-- " signature it leaves, so those end the text too.
    own = _reply_parser().parse_reply(text=text) or ""
    lines = []
    for line in own.splitlines():
        if QUOTE_START.match(line.strip()):
            break
        lines.append(line.strip())
    return "\n".join(lines).strip()


def _first_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][:3]


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    return flat[: SNIPPET_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _asks_to_stop(subject: str, lines: list[str]) -> bool:
    subject = re.sub(r"^\s*((re|aw|fwd?|wg)\s*:\s*)+", "", subject, flags=re.I)
    if UNSUBSCRIBE.search(subject) or ALONE.match(subject):
        return True
    return any(UNSUBSCRIBE.search(line) or ALONE.match(line) for line in lines)


def _bounce(msg: EmailMessage) -> Incoming | None:
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
                return Incoming(Kind.BOUNCE, recipient.split(";", 1)[1].strip().lower())
    return None
