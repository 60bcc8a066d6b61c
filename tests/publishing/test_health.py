"""Publishing health checks through ``moneyprinter health`` against local peers."""

from __future__ import annotations

import json

from moneyprinter.publishers import credentials
from tests.publishing.conftest import write_config, x_account, youtube_account


def _checks(cli, *names):
    result = cli("health", "--json")
    data = json.loads(result.output)
    found = {c["name"]: c for c in data["checks"]} if isinstance(data, dict) else {c["name"]: c for c in data}
    return result, [found[n] for n in names]


def test_publishers_check_passes_then_fails_with_fix(youtube, server, home, make_app, cli):
    from tests.publishing.fakes import FakeX

    fake_x = FakeX(server)
    write_config(home, {**youtube.settings(), **fake_x.settings()})
    app = make_app()
    youtube_account(app)
    account = x_account(app)
    _, (check,) = _checks(cli, "publishers")
    assert check["status"] == "PASS", check
    assert "Test Channel" in check["message"] and "@testbot" in check["message"]
    assert fake_x.server.count("GET", "/2/users/me") == 1
    credentials.save(app.db, "x", account, {"consumer_key": "ck-test", "consumer_secret": "wrong-secret-4x7q",
                                            "access_token": "at-test", "access_token_secret": "wrong-secret-4x7q"})
    result, (check,) = _checks(cli, "publishers")
    assert check["status"] == "FAIL" and "moneyprinter x login --account poster" in json.dumps(check)
    assert result.exit_code == 1
    assert "wrong-secret-4x7q" not in result.output
