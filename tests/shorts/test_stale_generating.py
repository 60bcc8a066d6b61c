"""A Short whose process is gone is not shown as 'generating' forever."""

from __future__ import annotations

from filelock import FileLock

from moneyprinter.store import content
from moneyprinter.store.accounts import add_account


def _generating(app, tmp_path):
    account = add_account(app.db, "youtube", "chan", topic="owls")
    work = tmp_path / "work"
    work.mkdir()
    item = content.create_item(app.db, account.id, "short", status="generating", work_dir=str(work))
    return item, work


def test_a_short_left_generating_by_a_dead_process_says_so(app, cli, tmp_path):
    item, _ = _generating(app, tmp_path)
    listed = cli("videos", "--account", "chan")
    assert "stopped" in listed.output and f"--resume {item.id}" in listed.output


def test_a_short_being_made_is_still_generating(app, cli, tmp_path):
    item, work = _generating(app, tmp_path)
    with FileLock(str(work / ".lock")):
        listed = cli("videos", "--account", "chan")
    assert "generating" in listed.output and "stopped" not in listed.output
