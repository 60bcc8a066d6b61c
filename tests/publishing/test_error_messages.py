"""Errors say what happened: X's 403 causes, interruptions, an interrupted approval."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from moneyprinter import errors
from moneyprinter.publishers import submit
from moneyprinter.publishers.base import NeedsAttention
from moneyprinter.publishers.engine import publish_item
from moneyprinter.store import publications
from tests.conftest import subprocess_env
from tests.publishing.conftest import post_item, x_account


@pytest.mark.parametrize("kind, says, hint", [
    ("too-long", "text is too long", "shorten"),
    ("tier", "access tier", "developer portal"),
    ("suspended", "suspended", "x.com"),
    ("locked", "locked", "unlock"),
    ("oauth", "key rejected", "moneyprinter x login --account poster"),
])
def test_x_403_causes_are_told_apart(xapi, make_app, kind, says, hint):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = [f"403-{kind}"]
    with pytest.raises(errors.ServiceError) as caught:
        publish_item(app, item.id)
    assert says in str(caught.value) and hint in (caught.value.hint or "")
    others = {"key rejected", "access tier", "suspended", "too long", "duplicate"} - {says, "text is too long"}
    assert not any(o in str(caught.value) for o in others if o not in says)
    assert publications.get_for_item(app.db, item.id).status == "failed" and not xapi.posts


def test_a_duplicate_403_does_not_suggest_publishing_in_a_loop(xapi, make_app):
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["403-duplicate"]
    with pytest.raises(NeedsAttention) as caught:
        publish_item(app, item.id)
    assert "duplicate" in str(caught.value)
    assert "--retry-unknown" not in caught.value.hint and "mark-published" in caught.value.hint
    assert "review edit" in caught.value.hint


def _interrupt(sig: int, make_app, xapi) -> str:
    app = make_app()
    item = post_item(app, x_account(app))
    xapi.post_script = ["hang"]
    xapi.slow_s = 30
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "publish", str(item.id)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=subprocess_env())
    deadline = time.monotonic() + 30
    while xapi.server.count("POST", "/2/tweets") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=30)
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "needs_attention"
    return pub.error


def test_sigterm_is_stored_in_words(xapi, make_app, home):
    assert _interrupt(signal.SIGTERM, make_app, xapi) == "interrupted by SIGTERM"


def test_ctrl_c_is_stored_in_words(xapi, make_app, home):
    assert _interrupt(signal.SIGINT, make_app, xapi) == "interrupted (Ctrl-C)"


def test_an_interrupted_review_approve_rerun_points_to_publish(xapi, make_app, cli):
    app = make_app()
    item = post_item(app, x_account(app, approval="manual"))
    assert submit(app, item).status == "review"
    xapi.post_script = ["429"]  # approve moves it on, then it is interrupted (deferred here)
    cli("review", "approve", str(item.id))
    again = cli("review", "approve", str(item.id))
    assert again.exit_code == 2 and f"moneyprinter publish {item.id}" in again.output
