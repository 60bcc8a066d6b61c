"""Kill a sending process mid-campaign (SIGKILL, as in a crash or power cut), rerun, and count deliveries."""

import subprocess
import sys
import time

from moneyprinter.outreach import ledger
from tests.conftest import run_moneyprinter, subprocess_env
from tests.outreach.conftest import add_contact, make_campaign

ADDRESSES = [f"owner@clinic{i}.de" for i in range(1, 7)]


def test_killed_campaign_rerun_never_mails_an_address_twice(db, smtp):
    campaign = make_campaign(db)
    for i, address in enumerate(ADDRESSES, 1):
        add_contact(db, campaign, f"Clinic {i}", address)
    # The server accepts the 3rd message, then holds its "250" reply: the sender is killed in that window,
    # after the message was delivered but before the ledger could say so.
    smtp.handler.data_delay, smtp.handler.delay_for = 20.0, {ADDRESSES[2]}
    proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "outreach", "run", campaign.name, "--send"],
                            env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while ADDRESSES[2] not in smtp.handler.recipients():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the third message never arrived"
            time.sleep(0.05)
        proc.kill()
    finally:
        proc.wait(timeout=10)
    assert proc.returncode == -9
    rows = {r["address"]: r["status"] for r in db.query("SELECT address, status FROM outreach_sends")}
    assert rows == {ADDRESSES[0]: "sent", ADDRESSES[1]: "sent", ADDRESSES[2]: "sending"}

    smtp.handler.data_delay = 0
    rerun = run_moneyprinter("outreach", "run", campaign.name, "--send", timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert f"skipped {ADDRESSES[2]}: already sending in this campaign" in rerun.stdout
    assert smtp.handler.recipients() == {a: 1 for a in ADDRESSES}
    assert [r.address for r in ledger.awaiting_review(db)] == [ADDRESSES[2]]
    review = run_moneyprinter("outreach", "review-sending")
    assert ADDRESSES[2] in review.stdout and "--mark ID sent" in review.stdout
