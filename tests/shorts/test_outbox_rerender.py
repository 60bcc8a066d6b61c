"""Re-rendering a Short that is already in the outbox updates the outbox copy and its metadata."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from moneyprinter.store import content
from moneyprinter.store.accounts import get_account

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_a_re_render_of_an_outbox_short_replaces_the_outbox_copy(shorts_app, cli):
    assert cli("demo").exit_code == 0
    account = get_account(shorts_app.db, "youtube", "demo")
    item = content.list_items(shorts_app.db, account_id=account.id)[0]
    assert item.status == "outbox"
    folder = Path(os.environ["MONEYPRINTER_HOME"]) / "outbox" / "youtube" / "demo" / str(item.id)
    # What an earlier render left in the outbox; the render stage is then made again.
    (folder / "short.mp4").write_bytes(b"an older render")
    meta = json.loads((folder / "metadata.json").read_text())
    (folder / "metadata.json").write_text(json.dumps({**meta, "description": "older"}))
    Path(item.work_dir, "short.mp4").unlink()
    again = cli("short", "--account", "demo", "--resume", str(item.id))
    assert again.exit_code == 0, again.output
    item = content.get_item(shorts_app.db, item.id)
    assert (folder / "short.mp4").read_bytes() == Path(item.media_path).read_bytes()
    assert json.loads((folder / "metadata.json").read_text())["description"] == item.metadata.description
    assert "outbox copy was updated" in again.output.replace("\n", "")
