"""HTTPClient against a real threaded HTTP/1.1 server that counts attempts and TCP connections."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from moneyprinter import errors
from moneyprinter.http_client import get_http_client, reset_http_client
from tests.support.httpserver import Reply

SECRET = "sk-test-7f3a9c1e5b2d4f60"


def test_sequential_gets_reuse_one_connection(client, server):
    server.route("GET", "/ping", Reply(200, {"ok": True}))
    for _ in range(20):
        assert client.get(server.url("/ping")).json() == {"ok": True}
    assert server.count("GET", "/ping") == 20
    assert server.connections == 1
    assert client.stats.snapshot() == {"requests": 20, "retries": 0, "connections": 1}


def test_503_then_200_is_retried_with_backoff(client, server, sleeps):
    server.route("GET", "/flaky", [Reply(503), Reply(200, "fine")])
    response = client.get(server.url("/flaky"))
    assert response.text == "fine"
    assert server.count("GET", "/flaky") == 2
    assert len(sleeps) == 1 and 0 < sleeps[0] <= client.settings.backoff_base_s
    assert client.stats.retries == 1


@pytest.mark.parametrize("status", [500, 502, 504])
def test_other_server_errors_are_retried(client, server, status):
    server.route("GET", "/x", [Reply(status), Reply(status), Reply(200, "ok")])
    assert client.get(server.url("/x")).text == "ok"
    assert server.count("GET", "/x") == 3


def test_backoff_grows_and_is_capped(make_client, server, sleeps):
    client = make_client(max_retries=6, backoff_base_s=1.0, backoff_max_s=4.0)
    server.route("GET", "/down", Reply(503))
    with pytest.raises(errors.ServiceUnavailable):
        client.get(server.url("/down"))
    assert server.count("GET", "/down") == 7
    ceilings = [1, 2, 4, 4, 4, 4]
    assert all(c / 2 <= s <= c for s, c in zip(sleeps, ceilings, strict=True)), sleeps


def test_retries_exhausted_raise_service_unavailable_with_service_name(make_client, server):
    client = make_client(max_retries=2)
    server.route("GET", "/down", Reply(503, {"message": "maintenance"}))
    with pytest.raises(errors.ServiceUnavailable) as info:
        client.get(server.url("/down"), service="Mistral")
    assert server.count("GET", "/down") == 3
    assert info.value.service == "Mistral" and info.value.status == 503
    assert str(info.value).startswith("Mistral: ") and "maintenance" in str(info.value)


def test_429_retry_after_is_honoured(client, server, sleeps):
    server.route("GET", "/limited", [Reply(429, headers={"Retry-After": "7"}), Reply(200, "ok")])
    assert client.get(server.url("/limited")).text == "ok"
    assert sleeps == [7.0]
    assert server.count("GET", "/limited") == 2


def test_retry_after_http_date_is_honoured(client, server, sleeps):
    import email.utils
    import time

    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    server.route("GET", "/limited", [Reply(503, headers={"Retry-After": when}), Reply(200, "ok")])
    assert client.get(server.url("/limited")).text == "ok"
    assert len(sleeps) == 1 and 17 <= sleeps[0] <= 20


def test_retry_after_over_the_cap_surfaces_as_rate_limited(make_client, server, sleeps):
    client = make_client(retry_after_cap_s=60)
    server.route("GET", "/limited", [Reply(429, headers={"Retry-After": "61"}), Reply(200, "ok")])
    with pytest.raises(errors.RateLimited) as info:
        client.get(server.url("/limited"), service="X API")
    assert info.value.retry_after == 61 and info.value.status == 429
    assert info.value.exit_code == 75 and "X API" in str(info.value)
    assert server.count("GET", "/limited") == 1
    assert sleeps == []


def test_retry_after_at_the_cap_is_still_honoured(make_client, server, sleeps):
    client = make_client(retry_after_cap_s=60)
    server.route("GET", "/limited", [Reply(429, headers={"Retry-After": "60"}), Reply(200, "ok")])
    assert client.get(server.url("/limited")).text == "ok"
    assert sleeps == [60.0]


def test_429_on_the_last_attempt_is_rate_limited(make_client, server):
    client = make_client(max_retries=1)
    server.route("GET", "/limited", Reply(429, headers={"Retry-After": "3"}))
    with pytest.raises(errors.RateLimited) as info:
        client.get(server.url("/limited"))
    assert info.value.retry_after == 3
    assert server.count("GET", "/limited") == 2


def test_post_answered_503_is_sent_exactly_once(client, server, sleeps):
    server.route("POST", "/publish", Reply(503))
    with pytest.raises(errors.ServiceUnavailable):
        client.post(server.url("/publish"), json={"text": "hello"})
    assert server.count("POST", "/publish") == 1
    assert sleeps == []


def test_patch_answered_503_is_sent_exactly_once(client, server):
    server.route("PATCH", "/thing", Reply(503))
    with pytest.raises(errors.ServiceUnavailable):
        client.patch(server.url("/thing"), json={"a": 1})
    assert server.count("PATCH", "/thing") == 1


def test_post_whose_connection_drops_is_not_resent(client, server):
    server.route("POST", "/publish", Reply(drop=True))
    with pytest.raises(errors.ServiceUnavailable):
        client.post(server.url("/publish"), json={"text": "hello"})
    assert server.count("POST", "/publish") == 1


def test_post_with_idempotency_key_is_retried_with_the_same_key(client, server):
    server.route("POST", "/upload", [Reply(503), Reply(502), Reply(201, {"id": 9})])
    response = client.post(server.url("/upload"), json={"n": 1}, idempotency_key="intent-42")
    assert response.json() == {"id": 9}
    attempts = [r for r in server.requests if r.path == "/upload"]
    assert len(attempts) == 3
    assert [r.header("Idempotency-Key") for r in attempts] == ["intent-42"] * 3
    assert all(r.json() == {"n": 1} for r in attempts)


def test_idempotency_header_name_can_be_changed(client, server):
    server.route("POST", "/upload", [Reply(503), Reply(200)])
    client.post(server.url("/upload"), idempotency_key="k-1", idempotency_header="X-Request-Id")
    assert [r.header("X-Request-Id") for r in server.requests] == ["k-1", "k-1"]


def test_read_timeout_is_retried_then_translated(make_client, server):
    client = make_client(max_retries=1)
    server.route("GET", "/slow", Reply(200, "late", delay=1.0))
    with pytest.raises(errors.RequestTimeout) as info:
        client.get(server.url("/slow"), timeout=(2, 0.2), service="Venice")
    assert "Venice" in str(info.value) and "timed out" in str(info.value)
    assert server.count("GET", "/slow") == 2


def test_post_read_timeout_is_not_retried(client, server):
    server.route("POST", "/slow", Reply(200, "late", delay=1.0))
    with pytest.raises(errors.RequestTimeout):
        client.post(server.url("/slow"), timeout=(2, 0.2))
    assert server.count("POST", "/slow") == 1


def test_default_timeouts_apply_when_the_caller_gives_none(make_client, server):
    from moneyprinter.settings.core import HttpSettings

    assert (HttpSettings().connect_timeout_s, HttpSettings().read_timeout_s) == (5.0, 30.0)
    client = make_client(read_timeout_s=0.2, max_retries=0)
    server.route("GET", "/slow", Reply(200, "late", delay=1.0))
    with pytest.raises(errors.RequestTimeout):
        client.get(server.url("/slow"))  # no timeout= given: the configured default still bounds it


def test_refused_connection_is_retried_then_unavailable(make_client, sleeps):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(max_retries=2)
    with pytest.raises(errors.ServiceUnavailable) as info:
        client.get(f"http://127.0.0.1:{port}/", service="AssemblyAI")
    assert "connection refused" in str(info.value)
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, errors.BadRequest),
        (401, errors.Unauthorized),
        (403, errors.Unauthorized),
        (404, errors.NotFoundRemote),
        (409, errors.BadRequest),
        (422, errors.BadRequest),
    ],
)
def test_4xx_other_than_429_are_not_retried_and_translated(client, server, sleeps, status, error):
    server.route("GET", "/v1/models", Reply(status, {"message": "nope"}))
    with pytest.raises(error) as info:
        client.get(server.url("/v1/models"), service="Mistral")
    assert server.count("GET", "/v1/models") == 1 and sleeps == []
    assert info.value.service == "Mistral" and info.value.status == status
    assert f"HTTP {status}" in info.value.reason and "nope" in info.value.reason


def test_unauthorized_reason_says_key_rejected(client, server):
    server.route("GET", "/v1/models", Reply(401, {"error": {"message": "Invalid API key"}}))
    with pytest.raises(errors.Unauthorized) as info:
        client.get(server.url("/v1/models"), service="Mistral")
    assert str(info.value) == "Mistral: key rejected (HTTP 401: Invalid API key)"


def test_raise_for_status_false_returns_the_response(client, server):
    server.route("GET", "/missing", Reply(404))
    assert client.get(server.url("/missing"), raise_for_status=False).status_code == 404


def test_max_bytes_caps_the_body(client, server):
    server.route("GET", "/big", Reply(200, b"x" * 5000))
    assert len(client.get(server.url("/big"), max_bytes=5000).content) == 5000
    with pytest.raises(errors.ResponseTooLarge):
        client.get(server.url("/big"), max_bytes=4999)


def test_concurrent_use_from_16_threads(client, server):
    server.route("GET", "/item", lambda req: Reply(200, {"n": int(req.query["n"][0])}, delay=0.002))
    barrier = threading.Barrier(16)

    def work(worker: int) -> list[int]:
        barrier.wait()
        return [client.get(server.url(f"/item?n={worker * 100 + i}")).json()["n"] for i in range(10)]

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(work, range(16)))
    assert results == [[w * 100 + i for i in range(10)] for w in range(16)]
    assert server.count("GET", "/item") == 160
    stats = client.stats.snapshot()
    assert stats["requests"] == 160 and stats["retries"] == 0
    # Pooled: connections are reused across the 160 requests, never more than the pool size.
    assert stats["connections"] == server.connections
    assert 1 <= server.connections <= client.settings.pool_maxsize


def test_threads_do_not_share_a_session(client, server):
    server.route("GET", "/", Reply(200))
    sessions = []

    def grab():
        sessions.append(client._session())

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s in sessions}) == 4


def test_process_wide_client_is_one_instance_and_closed_on_reset():
    first = get_http_client()
    assert get_http_client() is first
    reset_http_client()
    assert first._closed
    assert get_http_client() is not first


# --- secrets never in messages or logs --------------------------------------------------------


def test_no_secret_in_errors_or_logs(make_client, server, caplog):
    client = make_client(max_retries=1)
    # A realistic failure: the service echoes the key back in its error body.
    server.route("GET", "/v1/models", Reply(503, {"message": f"upstream rejected api_key={SECRET}"}))
    server.route("GET", "/v2/transcript", Reply(401, {"error": f"Invalid token {SECRET}"}))
    caplog.set_level(logging.DEBUG, logger="moneyprinter")
    with pytest.raises(errors.ServiceUnavailable) as first:
        client.get(server.url(f"/v1/models?api_key={SECRET}&page=2"), service="Venice")
    with pytest.raises(errors.Unauthorized) as second:
        client.get(server.url("/v2/transcript"), headers={"Authorization": f"Bearer {SECRET}"}, service="AssemblyAI")
    assert server.requests[0].query["api_key"] == [SECRET]  # the key was really sent
    assert server.requests[-1].header("Authorization") == f"Bearer {SECRET}"
    for text in (str(first.value), str(second.value)):
        assert SECRET not in text and "****" in text
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("moneyprinter"))
    assert "retry 1" in ours and "page=2" in ours  # the retry was logged...
    assert SECRET not in ours  # ...without the key (urllib3's own lines: see the log-file test below)


def test_no_secret_in_the_log_file_even_at_debug_level(make_client, server, log_file):
    from moneyprinter.logging_setup import setup_logging

    path = setup_logging(verbosity=2)  # -vv: urllib3 logs every request line, query string included
    client = make_client(max_retries=1)
    server.route("GET", "/v1/*", Reply(503, {"detail": "try later"}))
    with pytest.raises(errors.ServiceUnavailable):
        client.get(server.url("/v1/models"), params={"key": SECRET, "page": "2"}, headers={"X-Api-Key": SECRET})
    with pytest.raises(errors.ServiceUnavailable):
        client.get(server.url("/v1/other"), auth=("user", SECRET))
    assert server.requests[0].query["key"] == [SECRET]
    logging.shutdown()
    text = path.read_text()
    assert "GET /v1/models?key=****&page=2" in text  # urllib3's own debug line, redacted
    assert SECRET not in text


def test_secret_in_query_of_a_failed_connection_is_not_in_the_error(make_client):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(max_retries=0)
    with pytest.raises(errors.ServiceUnavailable) as info:
        client.get(f"http://127.0.0.1:{port}/v1?key={SECRET}")
    assert SECRET not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_sessions_of_finished_threads_are_not_kept(client, server):
    """Each health run starts fresh threads; their sessions must not pile up in a long-lived daemon."""
    import gc

    server.route("GET", "/", Reply(200))
    for _ in range(5):
        threads = [threading.Thread(target=client.get, args=(server.url("/"),)) for _ in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    gc.collect()
    assert len(client._sessions) <= 1
    assert server.count("GET", "/") == 50
    assert server.connections <= client.settings.pool_maxsize  # the pool outlives the threads


# --- request bodies, bad URLs, TLS ---------------------------------------------------------------------


def test_retried_put_resends_the_whole_file_body(client, server):
    import io

    server.route("PUT", "/upload/chunk", [Reply(503), Reply(200, {"ok": True})])
    body = io.BytesIO(b"0123456789" * 100)
    body.seek(0)
    client.put(server.url("/upload/chunk"), data=body)
    attempts = [r.body for r in server.requests]
    assert attempts == [b"0123456789" * 100] * 2  # not an empty second attempt


def test_body_from_a_generator_is_not_retried(client, server):
    server.route("PUT", "/stream", Reply(503))
    with pytest.raises(errors.ServiceUnavailable):
        client.put(server.url("/stream"), data=iter([b"a" * 10, b"b" * 10]), headers={"Content-Length": "20"},
                   timeout=(2, 2))
    assert server.count("PUT", "/stream") == 1  # a consumed generator cannot be sent again


@pytest.mark.parametrize("url", ["api.mistral.ai/v1/models", "ftp://example.invalid/x", "http://"])
def test_malformed_url_is_a_bad_request_not_a_crash(client, url, sleeps):
    with pytest.raises(errors.BadRequest) as info:
        client.get(url, service="Mistral")
    assert "invalid URL" in str(info.value) and sleeps == []


def test_certificate_failure_is_not_retried(make_client, tmp_path, sleeps):
    """A self-signed certificate will not become valid on retry: fail at once, say why."""
    import ssl
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    from tests.support.httpserver import LocalServer

    with LocalServer() as srv:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        srv._server.socket = context.wrap_socket(srv._server.socket, server_side=True)
        client = make_client(max_retries=3)
        with pytest.raises(errors.ServiceUnavailable) as info:
            client.get(f"https://127.0.0.1:{srv.port}/", service="Venice")
    assert "certificate" in str(info.value) and sleeps == []


# --- generation calls, 429 on posts, the total deadline ---------------------------------------


def test_generation_post_declared_safe_is_retried_after_a_500(client, server, sleeps):
    server.route("POST", "/v1/chat/completions", [Reply(500), Reply(200, {"ok": 1})])
    response = client.post(server.url("/v1/chat/completions"), json={"p": "hi"}, safe_to_retry=True)
    assert response.json() == {"ok": 1}
    assert server.count("POST", "/v1/chat/completions") == 2 and len(sleeps) == 1


def test_generation_post_declared_safe_is_retried_after_a_read_timeout(make_client, server):
    client = make_client(max_retries=2)
    server.route("POST", "/gen", [Reply(200, "late", delay=1.0), Reply(200, "fine")])
    assert client.post(server.url("/gen"), timeout=(2, 0.2), safe_to_retry=True).text == "fine"
    assert server.count("POST", "/gen") == 2


def test_429_on_a_plain_post_is_retried_after_its_retry_after(client, server, sleeps):
    server.route("POST", "/publish", [Reply(429, headers={"Retry-After": "2"}), Reply(201, {"id": 1})])
    assert client.post(server.url("/publish"), json={"text": "hello"}).json() == {"id": 1}
    assert server.count("POST", "/publish") == 2 and sleeps == [2.0]


def test_429_on_a_plain_post_with_a_long_retry_after_is_rate_limited_once(client, server, sleeps):
    server.route("POST", "/publish", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(errors.RateLimited) as info:
        client.post(server.url("/publish"), json={"text": "hello"})
    assert info.value.retry_after == 3600 and server.count("POST", "/publish") == 1 and sleeps == []


def test_plain_post_answered_500_after_a_429_is_not_resent(client, server, sleeps):
    server.route("POST", "/publish", [Reply(429, headers={"Retry-After": "1"}), Reply(500), Reply(200)])
    with pytest.raises(errors.ServiceUnavailable):
        client.post(server.url("/publish"), json={"text": "hello"})
    assert server.count("POST", "/publish") == 2


def test_retries_stop_at_the_total_deadline(make_client, server, sleeps):
    client = make_client(max_retries=10, backoff_base_s=4.0, backoff_max_s=30.0, deadline_s=20.0)
    server.route("GET", "/down", Reply(503))
    with pytest.raises(errors.ServiceUnavailable):
        client.get(server.url("/down"))
    assert sum(sleeps) < 20.0
    assert server.count("GET", "/down") < 11


def test_retry_after_that_would_overrun_the_deadline_is_not_waited(make_client, server, sleeps):
    client = make_client(deadline_s=5.0)
    server.route("POST", "/gen", Reply(429, headers={"Retry-After": "10"}))
    with pytest.raises(errors.RateLimited):
        client.post(server.url("/gen"), safe_to_retry=True)
    assert sleeps == [] and server.count("POST", "/gen") == 1


def test_a_hanging_server_cannot_hold_a_call_past_its_deadline(make_client, server):
    import time

    client = make_client(max_retries=5, backoff_base_s=0.0)
    server.route("GET", "/slow", Reply(200, "late", delay=3.0))
    started = time.monotonic()
    with pytest.raises(errors.RequestTimeout):
        client.get(server.url("/slow"), timeout=(2, 30), deadline_s=0.6)
    assert time.monotonic() - started < 2.0


def test_default_deadline_is_ninety_seconds():
    from moneyprinter.settings.core import HttpSettings

    assert HttpSettings().deadline_s == 90.0


def test_pool_full_warning_goes_to_the_log_file_not_the_console(make_client, server, log_file, capsys):
    from moneyprinter.logging_setup import setup_logging

    path = setup_logging(0)
    client = make_client(pool_maxsize=1)
    server.route("GET", "/slow", Reply(200, "ok", delay=0.3))
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: client.get(server.url("/slow")), range(4)))
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "pool is full" in path.read_text()
    assert "pool is full" not in capsys.readouterr().err
