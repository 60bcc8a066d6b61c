"""The Twitter capability's health checks, through `moneyprinter health --json`."""

import json


def twitter_checks(cli):
    report = json.loads(cli("health", "--json").output)
    return {c["name"]: c for c in report["checks"] if c["group"] == "twitter"}


def test_default_setup_is_ready(cli):
    checks = twitter_checks(cli)
    assert checks["twitter text provider"]["status"] == "PASS"
    assert "local model" in checks["twitter text provider"]["message"]
    assert checks["affiliate disclosure"]["status"] == "PASS"
    assert checks["affiliate browser fallback"]["status"] == "SKIP"


def test_unknown_text_provider_fails_with_a_fix(cli, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__TEXT_PROVIDER", "nonesuch")
    check = twitter_checks(cli)["twitter text provider"]
    assert check["status"] == "FAIL" and "nonesuch" in check["message"] and "text_provider" in check["remediation"]

