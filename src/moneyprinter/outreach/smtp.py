"""SMTP with the standard library: connect (STARTTLS or SSL), log in, and send one message in steps.

Sending is done as MAIL, RCPT, DATA so that a failure can be placed: anything before DATA means
the message was certainly not delivered; a dropped connection during DATA leaves the outcome
unknown, and the caller keeps the ledger row as ``sending`` for a person to review.
"""

from __future__ import annotations

import logging
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

    exit_code = 2


@dataclass
class Outcome:
    kind: str  # sent, deferred (4xx / not delivered), failed (5xx), unknown (lost during DATA)
    detail: str = ""


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"[:300]


def _classify(code: int, text) -> Outcome:
    return Outcome("failed" if 500 <= code < 600 else "deferred", _reply(code, text))


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
        except smtplib.SMTPNotSupportedError as exc:
            raise ConfigError(f"SMTP server {where}: {exc}", hint="check outreach.smtp_security and smtp_port") from None
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

    def _refused(self, code: int, text) -> Outcome:
        """The server refused before any data: reset the transaction (or drop a closing connection)."""
        try:
            if code == 421:
                raise smtplib.SMTPServerDisconnected("421")
            self._conn.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()
        return _classify(code, text)

    def send(self, msg: EmailMessage, sender: str, recipient: str) -> Outcome:
        """Send one message on the open connection (``connect`` first)."""
        self.connect()
        conn = self._conn
        assert conn is not None
        try:
            code, text = conn.mail(sender)
            if code != 250:
                return self._refused(code, text)
            code, text = conn.rcpt(recipient)
            if code not in (250, 251):
                return self._refused(code, text)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._drop()
            return Outcome("deferred", f"connection lost before DATA ({exc.__class__.__name__})")
        try:
            code, text = conn.data(msg.as_bytes(policy=policy.SMTP))
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
