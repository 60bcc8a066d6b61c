"""SMTP with the standard library: connect (STARTTLS or SSL), log in, and send one message in steps.

Sending is done as MAIL, RCPT, DATA so that a failure can be placed: anything before DATA means
the message was certainly not delivered; a dropped connection during DATA leaves the outcome
unknown, and the caller keeps the ledger row as ``sending`` for a person to review.

Who refused matters: a refusal of MAIL FROM (quota, blocked account) or a 421 (the server closes)
is about the sender, and says nothing about the recipient, so the campaign stops and the contact
is left as it was. A 5.1.x at RCPT (RFC 3463: bad mailbox or domain) is a hard bounce.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from moneyprinter.errors import ConfigError, MoneyPrinterError, ServiceUnavailable
from moneyprinter.settings.outreach import OutreachSettings

log = logging.getLogger(__name__)


class SmtpAuthFailed(MoneyPrinterError):
    """The SMTP server rejected the login: the campaign stops until the credentials are fixed."""

    exit_code = 75  # like every refusal on the sender's side: nothing was sent, try again once fixed


@dataclass
class Outcome:
    # sent; deferred (4xx / not delivered); failed (5xx); bounced (5.1.x: the address does not exist);
    # refused_sender (MAIL FROM refused or 421: about the sender, not this recipient); unknown (lost during DATA)
    kind: str
    detail: str = ""


HARD_BOUNCE = re.compile(r"^5\.1\.\d{1,3}\b")


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"[:300]


def _classify(code: int, text) -> Outcome:
    reply = _reply(code, text)
    if code == 421:
        return Outcome("refused_sender", reply)
    if 500 <= code < 600:
        enhanced = reply.split(" ", 2)[1] if reply.count(" ") >= 1 else ""
        return Outcome("bounced" if HARD_BOUNCE.match(enhanced) else "failed", reply)
    return Outcome("deferred", reply)


class Mailer:
    def __init__(self, settings: OutreachSettings, password: str | None) -> None:
        if not settings.smtp_host:
            raise ConfigError("SMTP is not configured", hint="set outreach.smtp_host (and smtp_user, SMTP_PASSWORD)")
        if settings.smtp_user and not password:
            raise ConfigError("outreach.smtp_user is set but SMTP_PASSWORD is not", hint="add SMTP_PASSWORD to .env")
        self.s = settings
        self._password = password
        self._conn: smtplib.SMTP | None = None

    def connect(self) -> None:
        """Open and log in, or check that the open connection still answers (servers drop idle ones)."""
        if self._conn is not None:
            try:
                if self._conn.noop()[0] == 250:
                    return
            except (smtplib.SMTPException, OSError):
                pass
            self._drop()
        s = self.s
        where = f"{s.smtp_host}:{s.smtp_port}"
        try:
            if s.smtp_security == "ssl":
                conn = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s,
                                        context=ssl.create_default_context())
            else:
                conn = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
            conn.ehlo()
            if s.smtp_security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if s.smtp_user:
                conn.login(s.smtp_user, self._password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpAuthFailed(
                f"SMTP login to {where} as {s.smtp_user} was rejected ({_reply(exc.smtp_code, exc.smtp_error)})",
                hint="check outreach.smtp_user and SMTP_PASSWORD (many providers need an app password)",
            ) from None
        except smtplib.SMTPNotSupportedError as exc:  # e.g. no STARTTLS: never fall back to plain text
            raise ServiceUnavailable("SMTP", f"{where} refused TLS ({exc})",
                                     hint="check outreach.smtp_security and smtp_port") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ServiceUnavailable("SMTP", f"cannot connect to {where} ({exc.__class__.__name__}: {exc})",
                                     hint="check outreach.smtp_host/smtp_port/smtp_security") from None
        self._conn = conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.quit()
            except (smtplib.SMTPException, OSError):
                conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    @property
    def smtputf8(self) -> bool:
        """Does the connected server offer SMTPUTF8 (RFC 6531)?"""
        return self._conn is not None and bool(self._conn.has_extn("smtputf8"))

    def _reset(self, code: int) -> None:
        try:
            if code == 421:
                raise smtplib.SMTPServerDisconnected("421")
            self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _refused(self, code: int, text) -> Outcome:
        """The server refused before any data: reset the transaction (or drop a closing connection)."""
        self._reset(code)
        return _classify(code, text)

    def _options(self, smtputf8: bool) -> list[str]:
        if not smtputf8:
            return []
        return ["SMTPUTF8", "BODY=8BITMIME"] if self._conn.has_extn("8bitmime") else ["SMTPUTF8"]

    def send(self, msg: EmailMessage, sender: str, recipient: str, *, smtputf8: bool = False) -> Outcome:
        """Send one message on the open connection (``connect`` first). ``recipient`` is the envelope
        form (``addresses.for_wire``); ``smtputf8`` only when the server offers it."""
        self.connect()
        conn = self._conn
        assert conn is not None
        try:
            payload = msg.as_bytes(policy=policy.SMTPUTF8 if smtputf8 else policy.SMTP)
            code, text = conn.mail(sender, self._options(smtputf8))
            if code != 250:
                self._reset(code)
                return Outcome("refused_sender", f"MAIL FROM refused: {_reply(code, text)}")
            code, text = conn.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(code, text)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Outcome("deferred", f"connection lost before DATA ({exc.__class__.__name__})")
        except (UnicodeError, ValueError) as exc:  # an address or header that cannot be encoded: nothing sent
            self._reset(0)
            return Outcome("failed", f"not sendable ({exc.__class__.__name__}: {exc})")
        try:
            code, text = conn.data(payload)
        except smtplib.SMTPDataError as exc:  # DATA itself refused: nothing was transferred
            return self._refused(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Outcome("unknown", f"connection lost during DATA ({exc.__class__.__name__})")
        if code == 250:
            return Outcome("sent", _reply(code, text))
        if code == 421:
            self._drop()
        return _classify(code, text)
