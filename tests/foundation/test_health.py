"""HealthChecker: the seed-service checks against local servers, the deadline, and ``moneyprinter health``."""

from __future__ import annotations

import json
import socket
import time

import pytest

from moneyprinter.config import load_config
from moneyprinter.health import CheckResult, HealthChecker, HealthContext, Status, load_checks
from moneyprinter.health.registry import Check
from moneyprinter.http_client import HTTPClient
from tests.foundation.helpers import run_moneyprinter
from tests.support.httpserver import LocalServer, Reply

KEYS = {"MISTRAL_API_KEY": "mistral-key-0001", "ASSEMBLYAI_API_KEY": "aai-key-0002", "VENICE_API_KEY": "venice-key-03"}
PATHS = {"Mistral": "/v1/models", "AssemblyAI": "/v2/transcript", "Venice": "/api/v1/api_keys/rate_limits"}


def service_env(base_url: str) -> dict[str, str]:
    return {
        "MONEYPRINTER_SERVICES__MISTRAL_BASE_URL": base_url,
        "MONEYPRINTER_SERVICES__ASSEMBLYAI_BASE_URL": base_url,
        "MONEYPRINTER_SERVICES__VENICE_BASE_URL": base_url,
    }


def run_services(monkeypatch, base_url: str, *, keys=KEYS, deadline: float | None = None, **env: str):
    for var, value in {**service_env(base_url), **keys, **env}.items():
        monkeypatch.setenv(var, value)
    config = load_config()
    http = HTTPClient(config.settings.http)
    checks = [c for c in load_checks() if c.name in PATHS]  # the seed services (others may register more)
    context = HealthContext(config=config, http=http, data_dir=config.config_file.parent)
    try:
        report = HealthChecker(context, checks, deadline_s=deadline).run()
    finally:
        http.close()
    return report, {o.check.name: o.result for o in report.outcomes}


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_keys_accepted(monkeypatch, server):
    for path in PATHS.values():
        server.route("GET", path, Reply(200, {"data": []}))
    report, results = run_services(monkeypatch, server.base_url)
    assert {name: r.status for name, r in results.items()} == dict.fromkeys(PATHS, Status.PASS)
    assert all(r.message == "key accepted" for r in results.values())
    # One authenticated GET each, with the key the way each API expects it.
    sent = {r.path: r for r in server.requests}
    assert sent["/v1/models"].header("Authorization") == "Bearer mistral-key-0001"
    assert sent["/v2/transcript"].header("Authorization") == "aai-key-0002"
    assert sent["/v2/transcript"].query == {"limit": ["1"]}
    assert sent["/api/v1/api_keys/rate_limits"].header("Authorization") == "Bearer venice-key-03"
    assert len(server.requests) == 3 and report.ok


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_key_fails(monkeypatch, server, status):
    server.route("GET", "/*", Reply(status, {"message": "Unauthorized"}))
    report, results = run_services(monkeypatch, server.base_url)
    for name, result in results.items():
        assert result.status is Status.FAIL and result.message == "key rejected", name
        assert result.remediation.startswith("check ") and "_API_KEY" in result.remediation
    assert not report.ok and len(server.requests) == 3  # no retries in a health check


def test_rate_limited_key_warns(monkeypatch, server):
    server.route("GET", "/*", Reply(429, headers={"Retry-After": "30"}))
    report, results = run_services(monkeypatch, server.base_url)
    assert {r.status for r in results.values()} == {Status.WARN}
    assert all(r.message == "rate limited, key accepted" for r in results.values())
    assert report.ok and len(server.requests) == 3  # a warning is not a failure; no waiting on Retry-After


def test_refused_connection_fails_as_unreachable(monkeypatch):
    report, results = run_services(monkeypatch, refused_url())
    for result in results.values():
        assert result.status is Status.FAIL and "unreachable" in result.message
    assert not report.ok


def test_slow_service_times_out_as_unreachable(monkeypatch, server):
    from moneyprinter.health import checks_services

    monkeypatch.setattr(checks_services, "SERVICE_TIMEOUT", (1.0, 0.2))
    server.route("GET", "/*", Reply(200, {"data": []}, delay=1.0))
    _, results = run_services(monkeypatch, server.base_url)
    for result in results.values():
        assert result.status is Status.FAIL
        assert result.message == "unreachable (timed out waiting for a response)"


def test_hanging_service_is_bounded_by_the_deadline(monkeypatch, server):
    server.route("GET", "/*", Reply(hang=True))
    began = time.monotonic()
    report, results = run_services(monkeypatch, server.base_url, deadline=0.5)
    elapsed = time.monotonic() - began
    assert elapsed < 1.5, elapsed
    for result in results.values():
        assert result.status is Status.FAIL and "no answer within the 0.5 s deadline" in result.message
    assert not report.ok


def test_not_configured_is_skip_unless_a_feature_needs_it(monkeypatch, server):
    _, results = run_services(monkeypatch, server.base_url, keys={})
    assert {r.status for r in results.values()} == {Status.SKIP}
    _, results = run_services(
        monkeypatch, server.base_url, keys={},
        MONEYPRINTER_SHORTS__TEXT_PROVIDER="mistral", MONEYPRINTER_SHORTS__SUBTITLE_PROVIDER="assemblyai",
    )
    # the feature's own check reports the missing key; the service row does not say it twice
    assert results["Mistral"].status is Status.SKIP and "text provider 'mistral'" in results["Mistral"].message
    assert "MISTRAL_API_KEY not set" in results["Mistral"].message
    assert results["AssemblyAI"].status is Status.SKIP
    assert results["Venice"].status is Status.SKIP
    assert server.requests == []  # nothing is sent without a key


def test_checks_run_concurrently_and_a_crash_is_a_failure(app):
    def slow(ctx):
        time.sleep(0.3)
        return CheckResult.ok("slept")

    def broken(ctx):
        raise ValueError("bad check")

    checks = [Check(f"slow{i}", "test", slow) for i in range(5)] + [Check("broken", "test", broken, critical=False)]
    context = HealthContext(config=app.config, http=app.http, data_dir=app.config.config_file.parent)
    began = time.monotonic()
    report = HealthChecker(context, checks, deadline_s=5).run()
    assert time.monotonic() - began < 1.0  # five 0.3 s checks in parallel
    assert [o.result.status for o in report.outcomes] == [Status.PASS] * 5 + [Status.FAIL]
    assert "check crashed: ValueError: bad check" in report.outcomes[-1].result.message
    assert report.ok  # the crashed check is not critical


# --- moneyprinter health -------------------------------------------------------------------------------


def test_health_json_on_this_offline_machine_exits_0(home):
    proc = run_moneyprinter("health", "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    statuses = {c["name"]: c["status"] for c in data["checks"]}
    assert statuses["data directory"] == statuses["database"] == statuses["config"] == "PASS"
    assert statuses["ffmpeg"] in ("PASS", "WARN") and statuses["disk space"] in ("PASS", "WARN")
    assert statuses["Mistral"] == statuses["AssemblyAI"] == statuses["Venice"] == "SKIP"
    assert data["ok"] is True and data["counts"]["FAIL"] == 0


def test_health_json_exits_1_when_a_key_is_rejected_and_never_prints_it(home, server):
    server.route("GET", "/v1/models", Reply(401, {"message": f"invalid key {KEYS['MISTRAL_API_KEY']}"}))
    env = {**service_env(server.base_url), "MISTRAL_API_KEY": KEYS["MISTRAL_API_KEY"]}
    proc = run_moneyprinter("health", "--json", env_extra=env)
    assert proc.returncode == 1
    mistral = next(c for c in json.loads(proc.stdout)["checks"] if c["name"] == "Mistral")
    assert (mistral["status"], mistral["message"]) == ("FAIL", "key rejected")
    log = (home / "logs" / "moneyprinter.log").read_text()
    assert KEYS["MISTRAL_API_KEY"] not in proc.stdout + proc.stderr + log


def timed_health(base_url: str) -> tuple[float, object]:
    env = {**service_env(base_url), **KEYS, "MONEYPRINTER_GENERAL__HEALTH_DEADLINE_S": "1"}
    began = time.monotonic()
    proc = run_moneyprinter("health", "--json", env_extra=env, timeout=30)
    return time.monotonic() - began, proc


def test_health_deadline_bounds_the_whole_run(home, server):
    # The same command against services that refuse at once is the baseline: process start-up
    # varies with the machine's load, the deadline's share must not.
    with LocalServer() as quick:
        quick.route("GET", "/*", Reply(status=401))
        baseline, _ = timed_health(quick.base_url)
    server.route("GET", "/*", Reply(hang=True))
    elapsed, proc = timed_health(server.base_url)
    assert proc.returncode == 1 and elapsed - baseline < 2.5, (elapsed, baseline, proc.stderr)
    data = json.loads(proc.stdout)
    assert data["seconds"] < 1.5
    hung = [c for c in data["checks"] if c["name"] in PATHS]
    assert [c["status"] for c in hung] == ["FAIL"] * 3


def test_health_table_and_broken_config_is_a_failed_check(home):
    (home).mkdir(parents=True)
    (home / "config.toml").write_text("[http]\nretries = 3\n")
    proc = run_moneyprinter("health", env_extra={"COLUMNS": "300"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    config_row = next(line for line in proc.stdout.splitlines() if " config " in line)
    assert "FAIL" in config_row and "unknown key 'http.retries'" in config_row
    assert "not ready: critical checks failed" in proc.stdout


def test_health_fails_on_a_secrets_file_others_can_read(home):
    home.mkdir(parents=True)
    env = home / ".env"
    env.write_text("MISTRAL_API_KEY=mistral-key-0001\n")
    env.chmod(0o644)
    proc = run_moneyprinter("health", "--json")
    assert proc.returncode == 1
    config = next(c for c in json.loads(proc.stdout)["checks"] if c["name"] == "config")
    assert config["status"] == "FAIL" and "readable by group or others" in config["message"]
    assert f"chmod 600 {env}" in config["message"] + config["remediation"]
    assert "mistral-key-0001" not in proc.stdout + proc.stderr


def test_assemblyai_address_set_in_the_shorts_table_is_the_one_health_probes(home, monkeypatch, server):
    server.route("GET", "/v2/transcript", Reply(200, {"transcripts": []}))
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'[shorts]\nsubtitle_provider = "assemblyai"\n\n[shorts.stt_assemblyai]\nbase_url = "{server.base_url}"\n',
        encoding="utf-8")
    monkeypatch.setenv("ASSEMBLYAI_API_KEY", "aai-key-0002")
    config = load_config()
    assert config.settings.services.assemblyai_base_url == server.base_url
    http = HTTPClient(config.settings.http)
    checks = [c for c in load_checks() if c.name == "AssemblyAI"]
    try:
        report = HealthChecker(HealthContext(config=config, http=http, data_dir=home), checks).run()
    finally:
        http.close()
    assert report.outcomes[0].result.status is Status.PASS
    assert server.count("GET", "/v2/transcript") == 1


def test_a_captive_portal_answering_200_is_not_key_accepted(monkeypatch, server):
    portal = "<html><body><form>Sign in to Airport Wi-Fi</form></body></html>"
    server.route("GET", "/*", Reply(200, portal))
    report, results = run_services(monkeypatch, server.base_url)
    for name, result in results.items():
        assert result.status is Status.FAIL and "key accepted" not in result.message, name
        assert "captive portal" in result.message and result.remediation.startswith("sign in to the network")
    assert not report.ok


def test_a_missing_key_for_the_selected_text_provider_is_one_fail(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[shorts]\ntext_provider = "mistral"\n', encoding="utf-8")
    result = run_moneyprinter("health", "--json")
    rows = json.loads(result.stdout)["checks"]
    about_key = [r for r in rows if "MISTRAL_API_KEY" in json.dumps(r) and r["status"] != "SKIP"]
    assert [r["status"] for r in about_key] == ["FAIL"], about_key
    assert result.returncode == 1
    assert not any("rejected" in json.dumps(r) for r in about_key)


def _without_root_override() -> list[str]:
    """Root writes anywhere; drop that capability so a read-only directory is read-only to the check too."""
    import os
    import shutil

    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot make a directory read-only")
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--"]


def test_a_read_only_data_directory_gives_fail_rows_with_a_fix_not_crashes(home):
    import subprocess
    import sys

    from tests.foundation.helpers import subprocess_env

    assert run_moneyprinter("health", "--json").returncode == 0  # creates and migrates the database
    for path in [home, *home.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        proc = subprocess.run([*_without_root_override(), sys.executable, "-m", "moneyprinter", "health", "--json"],
                              capture_output=True, text=True, timeout=120, env=subprocess_env(), check=False)
    finally:
        for path in [home, *home.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert proc.returncode == 1
    checks = json.loads(proc.stdout)["checks"]
    failed = [c for c in checks if c["status"] == "FAIL"]
    assert any(c["name"] == "data directory" for c in failed)
    assert not any("crashed" in c["message"] for c in checks), [c["message"] for c in failed]
    assert all(c["remediation"] and c["remediation"] != "see the log file" for c in failed), failed
    assert "crashed" not in proc.stderr
