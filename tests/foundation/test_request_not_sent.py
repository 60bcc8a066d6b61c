"""``RequestNotSent``: the HTTP client says by the exception's class that no byte of a request left the machine."""

from __future__ import annotations

import socket
import time

import pytest
import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError

from moneyprinter import errors
from moneyprinter.http_client import ConnectTimedOut, RequestNotSent, _translate_exception
from tests.support.httpserver import Reply, closed_port


@pytest.fixture
def full_backlog():
    """A port whose listen queue is full: the kernel drops new SYNs, so connecting times out."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    waiting = []
    for _ in range(3):
        sock = socket.socket()
        sock.setblocking(False)
        try:
            sock.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        waiting.append(sock)
    time.sleep(0.1)
    yield port
    for sock in [*waiting, listener]:
        sock.close()


def test_a_refused_connection_is_not_sent(client):
    with pytest.raises(RequestNotSent) as info:
        client.post(f"http://127.0.0.1:{closed_port()}/2/tweets", json={"text": "hi"}, max_retries=0)
    assert info.value.reason == "unreachable (connection refused)" and isinstance(info.value, errors.ServiceUnavailable)


def test_a_connect_timeout_is_not_sent_and_is_a_timeout(client, full_backlog):
    with pytest.raises(ConnectTimedOut) as info:
        client.post(f"http://127.0.0.1:{full_backlog}/2/tweets", json={"text": "hi"}, timeout=(0.3, 5.0))
    assert isinstance(info.value, RequestNotSent) and isinstance(info.value, errors.RequestTimeout)
    assert info.value.reason == "unreachable (connect timed out)"


@pytest.mark.parametrize("reply", [Reply(drop=True), Reply(hang=True)])
def test_a_request_that_reached_the_server_is_not_reported_as_not_sent(client, server, reply):
    server.route("POST", "/2/tweets", reply)
    with pytest.raises(errors.ServiceUnavailable) as info:
        client.post(server.url("/2/tweets"), json={"text": "hi"}, timeout=(1.0, 0.5))
    assert not isinstance(info.value, RequestNotSent)
    assert server.count("POST", "/2/tweets") == 1


def test_a_failed_name_lookup_is_not_sent():
    """Built from urllib3's own exception (a real lookup would need a resolver, which tests do not use)."""
    lookup = NameResolutionError("x.invalid", None, socket.gaierror(-2, "Name or service not known"))
    exc = requests.ConnectionError(MaxRetryError(None, "/", lookup))
    translated = _translate_exception("X API", exc)
    assert isinstance(translated, RequestNotSent) and translated.reason == "unreachable (DNS lookup failed)"
