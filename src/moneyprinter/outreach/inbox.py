"""Optional IMAP polling: record the answers to our messages and act on those that ask for something.

A hard bounce (DSN) suppresses its address; a reply asking to stop suppresses the contact it answers
and its sender. Every answer tied to one of our messages (through In-Reply-To/References) is recorded
once, keyed by its own Message-ID: a person's reply (that contact gets no more mail in the campaign),
an out-of-office (counted apart; it stops nothing) and the stop request itself.

Messages are read with BODY.PEEK. Only those that need nothing more from a person (bounces, stop
requests) are marked read, after the database has them; a person's reply and an out-of-office stay
unread for you, and a message that answers none of ours is not touched at all.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field

from moneyprinter.errors import ConfigError, ServiceUnavailable, Unauthorized
from moneyprinter.outreach import ledger, suppression
from moneyprinter.outreach.incoming import Incoming, Kind, classify
from moneyprinter.settings.outreach import OutreachSettings
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import replies, sends
from moneyprinter.store.outreach.sends import Send
from moneyprinter.store.states import ReplyKind


@dataclass
class Handled:
    """What acting on one message did."""

    kind: Kind
    suppressed: list[str] = field(default_factory=list)  # addresses newly suppressed
    recorded: bool = False  # a new answer was stored (False when its Message-ID was known already)
    done: bool = False  # nothing is left for a person: the message may be marked read


def apply(db: Database, message: Incoming) -> Handled | None:
    """Act on one message; None when it answers none of our messages (then it is left alone).

    A reply asking to stop suppresses the contact it answers and its sender; one that answers none of
    our messages still suppresses its sender.
    """
    if message.kind == Kind.BOUNCE:
        return Handled(message.kind, _suppress(db, [(message.address, "bounce: user unknown (DSN)")]), done=True)
    send = sends.for_message_ids(db, list(message.answers))
    if message.kind == Kind.UNSUBSCRIBE:
        targets = ([(send.address, "unsubscribe reply")] if send else []) + [(message.address, "unsubscribe reply")]
        suppressed = _suppress(db, targets)
        return Handled(message.kind, suppressed, recorded=bool(send) and _record(db, send, message), done=True)
    if send is None:
        return None
    return Handled(message.kind, recorded=_record(db, send, message))


def _suppress(db: Database, targets: list[tuple[str, str]]) -> list[str]:
    return [address for address, why in dict(targets).items() if suppression.add(db, address, why)]


def _record(db: Database, send: Send, message: Incoming) -> bool:
    at = ledger.iso(ledger.now())
    return replies.record(db, send.id, message_id=message.message_id, kind=ReplyKind(message.kind),
                          sender=message.address, subject=message.subject[:300], snippet=message.snippet,
                          received_at=message.received_at or at, at=at)


@dataclass
class PollReport:
    requests: int = 0  # bounces and stop requests acted on
    suppressed: list[str] = field(default_factory=list)
    replies: int = 0  # new replies from a person
    auto_replies: int = 0  # new automatic answers

    def add(self, handled: Handled) -> None:
        self.requests += handled.kind in (Kind.BOUNCE, Kind.UNSUBSCRIBE)
        self.suppressed += handled.suppressed
        if handled.recorded:
            self.replies += handled.kind == Kind.REPLY
            self.auto_replies += handled.kind == Kind.AUTO_REPLY

    def summary(self) -> str:
        text = f"{self.requests} request(s) found, {len(self.suppressed)} new suppression(s)"
        text += (": " + ", ".join(self.suppressed)) if self.suppressed else ""
        return text + f"; {self.replies} new reply(ies), {self.auto_replies} new auto-reply(ies)"


def poll_inbox(db: Database, settings: OutreachSettings, password: str | None) -> PollReport:
    """Read the inbox once: record answers, act on requests (see the module's docstring)."""
    report = PollReport()

    def act(message: Incoming) -> bool:
        handled = apply(db, message)
        if handled is None:
            return False
        report.add(handled)
        return handled.done

    poll(settings, password, act)
    return report


def poll(settings: OutreachSettings, password: str | None, act: Callable[[Incoming], bool]) -> int:
    """Read unseen messages without marking them (BODY.PEEK) and pass each to ``act``; mark read only
    those it returns True for, after it returned (a crash before leaves the message to the next poll,
    which finds its Message-ID recorded). Returns how many were marked read."""
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
            message = classify(raw)
            if message is None or not act(message):
                continue
            conn.store(num, "+FLAGS", "\\Seen")
            found += 1
        return found
    finally:
        try:
            conn.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
