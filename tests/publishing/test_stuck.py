"""Nothing stays stuck unseen: a publication left in ``publishing`` by a dead process is surfaced."""

from __future__ import annotations

import json

from filelock import FileLock

from moneyprinter import paths
from moneyprinter.store import publications
from tests.publishing.conftest import Child, post_item, x_account


def _stuck_item(app, xapi):
    item = post_item(app, x_account(app))
    child = Child(item.id)
    xapi.on_created = child.kill
    code, _, err = child.wait()
    assert child.killed and code == -9, err
    xapi.on_created = None
    assert publications.get_for_item(app.db, item.id).status == "publishing"
    return item


def _health(cli):
    data = json.loads(cli("health", "--json").output)
    checks = data["checks"] if isinstance(data, dict) else data
    return {c["name"]: c for c in checks}["publications"]


def test_a_publication_left_publishing_by_a_dead_process_is_flagged_everywhere(xapi, make_app, cli):
    app = make_app()
    item = _stuck_item(app, xapi)
    listing = cli("publications")
    assert "stuck" in listing.output and f"moneyprinter publish {item.id}" in listing.output
    due = cli("publish-due")
    assert f"item {item.id}: stuck in publishing" in due.output and f"moneyprinter publish {item.id}" in due.output
    check = _health(cli)
    assert check["status"] == "WARN" and "stuck in publishing" in check["message"]
    assert f"moneyprinter publish {item.id}" in check["remediation"]
    assert len(xapi.posts) == 1  # reporting never publishes


def test_a_publication_whose_process_is_alive_is_not_flagged(xapi, make_app, cli):
    app = make_app()
    item = _stuck_item(app, xapi)
    lock = FileLock(str(paths.data_dir() / "locks" / f"publication-{item.id}.lock"))
    with lock:
        assert "stuck" not in cli("publications").output
        assert "stuck" not in cli("publish-due").output


def test_health_counts_failed_and_needs_attention(xapi, make_app, cli):
    app = make_app()
    account = x_account(app)
    failed = post_item(app, account, text="refused " * 40)  # too long: failed before sending
    attention = post_item(app, account, text="never answered")
    from moneyprinter.publishers.engine import publish_item

    for item, script in ((failed, []), (attention, ["hang"])):
        xapi.post_script = script
        try:
            publish_item(app, item.id)
        except Exception:
            pass
    check = _health(cli)
    assert check["status"] == "WARN"
    assert "1 failed" in check["message"] and "1 need attention" in check["message"]


def test_a_status_filter_with_no_match_says_so(xapi, make_app, cli):
    app = make_app()
    assert cli("publications", "--status", "failed").output.strip() == "no publications yet"
    item = post_item(app, x_account(app))
    cli("publish", str(item.id))
    assert cli("publications", "--status", "failed").output.strip() == "no publications with status 'failed'"
