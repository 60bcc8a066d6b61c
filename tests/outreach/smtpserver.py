"""A real SMTP server (aiosmtpd) on loopback that records messages and can misbehave on purpose."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import Counter
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Records accepted messages. ``rcpt_replies`` maps an address to a scripted reply (e.g. '451 ...');
    ``drop_data`` drops the connection during DATA for those addresses (the message is not recorded);
    ``data_delay`` sleeps after recording, before answering 250 (a window to kill the client in)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.rcpt_replies: dict[str, str] = {}
        self.mail_reply = ""  # a scripted reply to MAIL FROM (e.g. a quota refusal), '' = accept
        self.drop_data: set[str] = set()
        self.drop_rcpt: set[str] = set()
        self.data_delay = 0.0
        self.delay_for: set[str] = set()  # only these recipients wait ``data_delay`` (all if empty)
        self.lock = threading.Lock()
        self.received = threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.drop_rcpt:
            server.transport.close()
            return "421 dropped"
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.lower() in self.drop_data for r in envelope.rcpt_tos):
            server.transport.close()
            return "421 dropped"  # never reaches the client: the connection is gone
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        self.received.set()
        if self.data_delay and (not self.delay_for or any(r.lower() in self.delay_for for r in envelope.rcpt_tos)):
            await asyncio.sleep(self.data_delay)
        return "250 Message accepted"

    # --- assertions helpers -----------------------------------------------------------
    def recipients(self) -> Counter:
        with self.lock:
            return Counter(r.lower() for rcpts, _ in self.messages for r in rcpts)

    def parsed(self):
        with self.lock:
            return [message_from_bytes(raw, policy=policy.default) for _, raw in self.messages]


class SMTPServer:
    def __init__(self, *, password: str | None = None, tls_context=None, implicit_tls: bool = False,
                 smtputf8: bool = False) -> None:
        """``tls_context`` offers STARTTLS, or with ``implicit_tls`` wraps the whole connection (port 465 style);
        ``smtputf8`` offers SMTPUTF8 (RFC 6531)."""
        self.handler = RecordingHandler()
        self.port = free_port()
        kwargs: dict = {"enable_SMTPUTF8": smtputf8}
        if password is not None:
            # aiosmtpd only counts STARTTLS as TLS; an implicit-TLS socket is encrypted from the start anyway
            kwargs.update(authenticator=self._authenticator(password),
                          auth_require_tls=tls_context is not None and not implicit_tls)
        if tls_context is not None and implicit_tls:
            kwargs["ssl_context"] = tls_context
        elif tls_context is not None:
            kwargs.update(tls_context=tls_context, require_starttls=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)

    @staticmethod
    def _authenticator(password: str):
        def check(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        return check

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
