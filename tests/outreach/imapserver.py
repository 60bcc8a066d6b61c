"""A small IMAP4rev1 server on loopback: enough of RFC 3501 for LOGIN, SELECT, SEARCH UNSEEN, FETCH, STORE.

FETCH of RFC822 or BODY[] marks the message seen, BODY.PEEK[] does not, as a real server does.
``hold_store`` lists messages (0-based) whose STORE is never answered nor applied: a window in which
to kill the client after it acted on a message and before the server marked it seen."""

from __future__ import annotations

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def send(self, line: str | bytes) -> None:
        self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")

    def handle(self) -> None:
        box: IMAPServer = self.server.owner  # type: ignore[attr-defined]
        self.send("* OK IMAP4rev1 test server ready")
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            tag, _, rest = raw.decode().strip().partition(" ")
            command, _, args = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                self.send(f"{tag} OK done")
            elif command == "LOGIN":
                user, password = (a.strip('"') for a in args.split(" ", 1))
                ok = (user, password) == (box.user, box.password)
                self.send(f"{tag} OK logged in" if ok else f"{tag} NO [AUTHENTICATIONFAILED] invalid credentials")
            elif command == "SELECT":
                self.send(f"* {len(box.messages)} EXISTS")
                self.send(f"{tag} OK [READ-WRITE] selected")
            elif command == "SEARCH":
                unseen = [str(i + 1) for i in range(len(box.messages)) if i not in box.seen]
                self.send("* SEARCH " + " ".join(unseen))
                self.send(f"{tag} OK search done")
            elif command == "FETCH":
                number_text, _, items = args.partition(" ")
                number = int(number_text)
                body = box.messages[number - 1]
                peek = "BODY.PEEK[]" in items.upper()
                if not peek:  # RFC 3501: fetching RFC822 or BODY[] sets \Seen
                    with box.lock:
                        box.seen.add(number - 1)
                name = "BODY[]" if peek or "BODY[]" in items.upper() else "RFC822"
                self.send(f"* {number} FETCH ({name} {{{len(body)}}}".encode() + b"\r\n" + body + b")\r\n")
                self.send(f"{tag} OK fetch done")
            elif command == "STORE":
                number = int(args.split(" ", 1)[0])
                if number - 1 in box.hold_store:
                    box.store_held.set()
                    box.release.wait(60)
                    return
                with box.lock:
                    box.seen.add(number - 1)
                self.send(f"* {number} FETCH (FLAGS (\\Seen))")
                self.send(f"{tag} OK store done")
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK bye")
                return
            else:
                self.send(f"{tag} BAD unknown command")


class IMAPServer:
    def __init__(self, messages: list[bytes], *, user: str = "ann", password: str = "imap-secret") -> None:
        self.messages, self.user, self.password = messages, user, password
        self.seen: set[int] = set()
        self.hold_store: set[int] = set()
        self.store_held, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]

    def __enter__(self) -> IMAPServer:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
