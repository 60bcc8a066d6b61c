"""The run, send and campaign state machines: the schema's CHECK lists match the enums, and the
repositories refuse a transition the tables do not list, leaving the row as it was."""

from __future__ import annotations

import re

import pytest

from moneyprinter.outreach import ledger
from moneyprinter.store import schedules as runs
from moneyprinter.store.outreach import campaigns as campaign_rows
from moneyprinter.store.outreach import sends
from moneyprinter.store.states import (
    CAMPAIGN_STATUSES,
    RUN_OUTCOMES,
    SEND_STATUSES,
    CampaignStatus,
    IllegalTransition,
    ReplyKind,
    RunOutcome,
    RunSource,
    SendStatus,
    SuppressionKind,
    advance_campaign,
    advance_run,
    advance_send,
)
from tests.outreach.conftest import add_contact, make_campaign

COLUMNS = [
    ("schedule_runs", "outcome", RunOutcome),
    ("schedule_runs", "source", RunSource),
    ("schedules", "last_outcome", RunOutcome),
    ("outreach_sends", "status", SendStatus),
    ("outreach_campaigns", "status", CampaignStatus),
    ("outreach_suppressions", "kind", SuppressionKind),
    ("outreach_replies", "kind", ReplyKind),
]


@pytest.mark.parametrize(("table", "column", "enum"), COLUMNS, ids=[f"{t}.{c}" for t, c, _ in COLUMNS])
def test_check_constraint_lists_exactly_the_enum_values(db, table, column, enum):
    sql = db.query_one("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))[0]
    match = re.search(rf"CHECK \(\s*{column} IN\s*\(([^)]*)\)\s*\)", sql)
    assert match, f"{table}.{column} has no CHECK constraint"
    assert sorted(re.findall(r"'([^']*)'", match.group(1))) == sorted(e.value for e in enum)


def test_every_state_is_listed_and_final_states_go_nowhere():
    assert RUN_OUTCOMES.transitions[RunOutcome.MISSED] == frozenset()
    assert RUN_OUTCOMES.transitions[RunOutcome.TIMED_OUT] == frozenset()
    assert SEND_STATUSES.transitions[SendStatus.SENT] == frozenset()
    assert SEND_STATUSES.transitions[SendStatus.FAILED] == frozenset({SendStatus.DEFERRED})  # by hand only
    assert advance_send("deferred", "sending") == SendStatus.SENDING
    assert advance_campaign("stopped", "active") == CampaignStatus.ACTIVE


@pytest.mark.parametrize(("old", "new"), [("success", "running"), ("missed", "success"), ("timed_out", "success"),
                                          ("failed", "deferred"), ("running", "missed")])
def test_illegal_run_outcome_changes_are_refused(old, new):
    with pytest.raises(IllegalTransition, match=f"run outcome: cannot go from '{old}' to '{new}'"):
        advance_run(old, new)


@pytest.mark.parametrize(("old", "new"), [("sent", "sending"), ("sent", "failed"), ("failed", "sending"),
                                          ("deferred", "sent")])
def test_illegal_send_status_changes_are_refused(old, new):
    with pytest.raises(IllegalTransition, match=f"outreach send: cannot go from '{old}' to '{new}'"):
        advance_send(old, new)


def test_an_unknown_campaign_status_is_refused():
    with pytest.raises(ValueError):
        advance_campaign(CampaignStatus.ACTIVE, "archived")


def test_a_closed_run_cannot_be_finished_again(db):
    run_id = runs.start_cli_run(db, "test.echo", "bob", log_path=None)
    runs.close_run(db, run_id, outcome_if_open="success", exit_code=None, output_tail="",
                   force_outcome=RunOutcome.TIMED_OUT)
    with pytest.raises(IllegalTransition):
        runs.finish_run(db, run_id, RunOutcome.SUCCESS, exit_code=0)
    assert runs.get_run(db, run_id).outcome == "timed_out"


def test_the_daemon_may_overrule_what_the_job_recorded(db):
    run_id = runs.start_cli_run(db, "test.echo", "bob", log_path=None)
    runs.finish_run(db, run_id, RunOutcome.SUCCESS, exit_code=0, close=False)
    runs.close_run(db, run_id, outcome_if_open="failed", exit_code=0, output_tail="", force_outcome=RunOutcome.FAILED)
    assert runs.get_run(db, run_id).outcome == "failed"


def test_a_sent_email_cannot_be_marked_failed_or_reserved_again(db):
    campaign = make_campaign(db)
    business_id = add_contact(db, campaign, "Dental One", "info@dental1.de")
    reservation = ledger.reserve(db, campaign_id=campaign.id, business_id=business_id, address="info@dental1.de",
                                 mailbox="me@example.com", message_id="<1@example.com>", cap=10, resend_after_days=30)
    ledger.mark_sent(db, reservation.send_id)
    with pytest.raises(IllegalTransition, match="from 'sent' to 'failed'"):
        ledger.mark_failed(db, reservation.send_id, "late bounce")
    with db.transaction() as conn:
        sent = sends.in_campaign(conn, campaign.id, business_id, "info@dental1.de")
        with pytest.raises(IllegalTransition, match="from 'sent' to 'sending'"):
            sends.reserve_again(conn, sent, mailbox="me@example.com", message_id="<2@example.com>", at="now")
    assert sends.status_of(db, campaign.id, "info@dental1.de") == SendStatus.SENT


def test_campaign_status_changes_go_through_the_machine(db):
    campaign = make_campaign(db)
    campaign_rows.set_status(db, campaign.id, CampaignStatus.STOPPED, "login rejected")
    stopped = campaign_rows.get_by_id(db, campaign.id)
    assert (stopped.status, stopped.stop_reason) == (CampaignStatus.STOPPED, "login rejected")
    assert CAMPAIGN_STATUSES.allowed(stopped.status, CampaignStatus.ACTIVE)
