"""Every answer the inbox poll can tie to one of our messages is recorded, once per Message-ID:
a person's reply (shown with its own words, quoted history cut), an out-of-office (counted apart,
it stops nothing), a stop request (suppressed, as before). Mail it cannot tie stays unread."""

import json
import subprocess
import sys
import time

import pytest

from moneyprinter.outreach import incoming, ledger, replies, suppression
from tests.conftest import subprocess_env
from tests.outreach.answers import QUOTE, UNRELATED, answer, human, out_of_office, references_only, stop
from tests.outreach.conftest import add_contact
from tests.outreach.imapserver import IMAPServer
from tests.outreach.test_replies import imap_env
from tests.outreach.test_sending import send


def sent_ids(smtp) -> dict[str, str]:
    return {m["To"]: m["Message-ID"] for m in smtp.handler.parsed()}


def stats(cli, name: str) -> dict:
    result = cli("outreach", "stats", name, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def recorded(db, campaign) -> list[tuple[str, str, str, str]]:
    return sorted((r.address, r.kind, r.sender, r.snippet) for r in replies.for_campaign(db, campaign.id))


EXPECTED = [
    ("info@dental1.de", "reply", "anna@gmail.example", "Sounds interesting, call me Tuesday."),
    ("info@dental2.de", "unsubscribe", "info@dental2.de", "STOP"),
    ("info@dental3.de", "auto_reply", "info@dental3.de",
     "Thank you for your email. I am out of the office until 7 December with limited access to email."),
    ("info@dental4.de", "reply", "chef@dental4.de",
     "Gerne, rufen Sie mich am Donnerstag an. Mit freundlichen Grüßen Dr. Vier"),
]


def test_poll_records_every_answer_it_can_tie_and_leaves_what_is_for_you_unread(cli, db, campaign, smtp, monkeypatch):
    send(campaign.name, limit=4)
    ids = sent_ids(smtp)
    box = [human(ids["info@dental1.de"]), out_of_office(ids["info@dental3.de"]), stop(ids["info@dental2.de"]),
           references_only(ids["info@dental4.de"]), UNRELATED]
    with IMAPServer(box) as server:
        imap_env(monkeypatch, server)
        first = cli("outreach", "poll-inbox")
        assert first.exit_code == 0, first.output
        assert "1 request(s) found, 1 new suppression(s): info@dental2.de" in first.output
        assert "2 new reply(ies), 1 new auto-reply(ies)" in first.output
        # Only the stop request needs nothing more from a person; the answers and the newsletter stay unread.
        assert server.seen == {2}
        again = cli("outreach", "poll-inbox")
        assert "0 new reply(ies), 0 new auto-reply(ies)" in again.output and server.seen == {2}
    assert recorded(db, campaign) == EXPECTED
    numbers = stats(cli, campaign.name)
    assert (numbers["replied"], numbers["auto_replied"], numbers["unsubscribed"], numbers["sent"]) == (2, 1, 1, 4)
    assert suppression.is_suppressed(db.conn, "info@dental2.de")
    assert not suppression.is_suppressed(db.conn, "info@dental1.de")  # a reply is not a stop request


def test_stats_in_text(cli, campaign, smtp, monkeypatch):
    send(campaign.name, limit=1)
    with IMAPServer([human(sent_ids(smtp)["info@dental1.de"])]) as server:
        imap_env(monkeypatch, server)
        cli("outreach", "poll-inbox")
    text = cli("outreach", "stats", campaign.name).output
    assert "replied 1" in text and "auto-replied 0" in text and "unsubscribed 0" in text
    shown = cli("outreach", "show", campaign.name).output
    assert "replies:" in shown and "anna@gmail.example" in shown and "Sounds interesting, call me Tuesday." in shown
    assert cli("outreach", "stats", "nope").exit_code == 2


def test_a_poll_killed_mid_way_and_run_again_counts_every_message_once(cli, db, campaign, smtp, monkeypatch):
    send(campaign.name, limit=4)
    ids = sent_ids(smtp)
    box = [human(ids["info@dental1.de"]), stop(ids["info@dental2.de"]), out_of_office(ids["info@dental3.de"]),
           references_only(ids["info@dental4.de"])]
    with IMAPServer(box) as server:
        imap_env(monkeypatch, server)
        server.hold_store = {1}  # the stop request is acted on; the process dies before it is marked read
        proc = subprocess.Popen([sys.executable, "-m", "moneyprinter", "outreach", "poll-inbox"],
                                env=subprocess_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not server.store_held.wait(0.05):
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "the poll never marked the stop request read"
            proc.kill()
        finally:
            proc.wait(timeout=10)
        assert proc.returncode == -9
        assert [r.kind for r in sorted(replies.for_campaign(db, campaign.id), key=lambda r: r.address)] == \
            ["reply", "unsubscribe"]
        server.hold_store = set()
        rerun = cli("outreach", "poll-inbox")
        assert rerun.exit_code == 0, rerun.output
        assert "1 request(s) found, 0 new suppression(s)" in rerun.output
        assert "1 new reply(ies), 1 new auto-reply(ies)" in rerun.output
        assert server.seen == {1}
    assert recorded(db, campaign) == sorted(EXPECTED)
    numbers = stats(cli, campaign.name)
    assert (numbers["replied"], numbers["auto_replied"], numbers["unsubscribed"]) == (2, 1, 1)


@pytest.mark.parametrize(("headers", "still_mailed"), [((), False), ((("Auto-Submitted", "auto-replied"),), True)],
                         ids=["reply", "out-of-office"])
def test_who_replied_gets_no_more_mail_in_the_campaign(cli, db, campaign, smtp, monkeypatch, headers, still_mailed):
    # The owner answers for Dental 1 from a private mailbox, which is also the address listed for a second practice.
    add_contact(db, campaign, "Dental Group", "owner@gmail.example")
    send(campaign.name, limit=1)
    to = sent_ids(smtp)["info@dental1.de"]
    with IMAPServer([answer("Yes, tell me more.", message_id="<r9@gmail.example>", in_reply_to=to,
                            headers=headers)]) as server:
        imap_env(monkeypatch, server)
        assert cli("outreach", "poll-inbox").exit_code == 0
    preview = cli("outreach", "preview", campaign.name).output
    assert ("would skip owner@gmail.example: replied on 2026-12-01T08:30:00+00:00" in preview) is not still_mailed
    report = send(campaign.name)
    assert ("owner@gmail.example" in smtp.handler.recipients()) is still_mailed
    if not still_mailed:
        assert [why for address, why in report.skipped if address == "owner@gmail.example"] == [
            "replied in this campaign on 2026-12-01T08:30:00+00:00: answer by hand"]
    assert smtp.handler.recipients()["info@dental1.de"] == 1


def test_a_reply_confirms_a_send_whose_outcome_was_unknown(cli, db, campaign, smtp, monkeypatch):
    smtp.handler.drop_data = {"info@dental1.de"}  # the connection drops during DATA: was it delivered?
    send(campaign.name, limit=1)
    [unknown] = ledger.awaiting_review(db)
    with IMAPServer([human(unknown.message_id)]) as server:
        imap_env(monkeypatch, server)
        assert cli("outreach", "poll-inbox").exit_code == 0
    assert ledger.awaiting_review(db) == []  # it arrived: they answered it
    retry = cli("outreach", "review-sending", "--mark", str(unknown.id), "retry")
    assert retry.exit_code == 2 and "not awaiting review" in retry.output
    smtp.handler.drop_data = set()
    send(campaign.name)
    assert "info@dental1.de" not in smtp.handler.recipients()


@pytest.mark.parametrize("headers, subject", [
    ((("Auto-Submitted", "auto-replied"),), "Re: A question"),
    ((("Auto-Submitted", "auto-generated"),), "Re: A question"),
    ((("X-Autoreply", "yes"),), "Re: A question"),
    ((("X-Autorespond", "Out of office"),), "Re: A question"),
    ((("Precedence", "auto_reply"),), "Re: A question"),
    ((("Precedence", "bulk"),), "Re: A question"),
    ((), "Automatic reply: A question about Dental 1"),
    ((), "Auto-Reply: A question"),
    ((), "Out of Office: A question about Dental 1"),
    ((), "Abwesenheitsnotiz: A question about Dental 1"),
    ((), "Automatische Antwort: A question"),
])
def test_auto_replies_are_told_apart(headers, subject):
    message = answer("I am away until Monday. Please stop by the practice for urgent matters.", message_id="<a@b.c>",
                     in_reply_to="<m1@ann-example.com>", headers=headers, subject=subject)
    assert incoming.classify(message).kind == "auto_reply"


def test_a_person_is_not_an_auto_reply():
    message = answer("Out of office is where I read this; sounds good.", message_id="<a@b.c>",
                     headers=(("Auto-Submitted", "no"), ("Precedence", "normal")), subject="Re: out of office hours?")
    assert incoming.classify(message).kind == "reply"


def test_an_auto_reply_never_counts_as_a_stop_request():
    message = answer("I am out of the office. To stop receiving these notices, unsubscribe here.",
                     message_id="<a@b.c>", subject="Out of office", headers=(("Auto-Submitted", "auto-replied"),))
    assert incoming.classify(message).kind == "auto_reply"


READ_RECEIPT = b"""From: Owner <owner@gmail.example>
To: ann@ann-example.com
Subject: Read: A question about Dental 1
Message-ID: <mdn1@gmail.example>
In-Reply-To: <m1@ann-example.com>
References: <m1@ann-example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification; boundary="R"

--R
Content-Type: text/plain

Your message was read on Tuesday.

--R
Content-Type: message/disposition-notification

Final-Recipient: rfc822; owner@gmail.example
Original-Message-ID: <m1@ann-example.com>
Disposition: manual-action/MDN-sent-manually; displayed

--R--
"""


@pytest.mark.parametrize("raw", [
    READ_RECEIPT,
    answer("Delivery to the following recipient failed permanently: info@dental1.de", message_id="<b1@mx.example>",
           sender="Mail Delivery Subsystem <MAILER-DAEMON@mx.example>", in_reply_to="<m1@ann-example.com>",
           subject="Delivery Status Notification (Failure)"),
    answer("Mailbox full", message_id="<b2@mx.example>", sender="postmaster@dental1.de",
           references="<m1@ann-example.com>", subject="Undeliverable: A question"),
], ids=["read receipt", "plain-text bounce", "postmaster"])
def test_receipts_and_mail_system_messages_are_not_answers(raw):
    assert incoming.classify(raw) is None


@pytest.mark.parametrize("body, html, snippet", [
    ("Sounds interesting, call me Tuesday.\n\n" + QUOTE, "", "Sounds interesting, call me Tuesday."),
    ("Yes please.\n\n-----Original Message-----\nFrom: Ann Example\nSent: Monday\nSubject: A question\n\nHello",
     "", "Yes please."),
    ("", ("<div>Gerne!<br>Rufen Sie an.</div><div class=\"gmail_quote\">Am Mo. schrieb Ann:<blockquote>Hallo Team"
          "</blockquote></div>"), "Gerne! Rufen Sie an."),
])
def test_the_snippet_is_their_own_words_without_the_quoted_history(body, html, snippet):
    message = answer(body, html=html, message_id="<a@b.c>", in_reply_to="<m1@ann-example.com>")
    assert incoming.classify(message).snippet == snippet


def test_a_long_answer_is_cut_between_words():
    snippet = incoming.classify(answer("word " * 200, message_id="<a@b.c>")).snippet
    assert 200 < len(snippet) <= 240 and snippet.endswith("…") and set(snippet[:-1].split()) == {"word"}


def test_the_message_id_and_date_identify_the_answer():
    parsed = incoming.classify(human("<m1@ann-example.com>"))
    assert (parsed.message_id, parsed.received_at, parsed.answers) == (
        "<r1@gmail.example>", "2026-12-01T08:30:00+00:00", ("<m1@ann-example.com>",))
    without = answer("Hi", message_id="", in_reply_to="<m1@ann-example.com>")
    key = incoming.classify(without).message_id
    assert key.startswith("<sha256-") and key == incoming.classify(without).message_id  # the same bytes, the same key
    assert key != incoming.classify(answer("Hello", message_id="", in_reply_to="<m1@ann-example.com>")).message_id



def test_the_scheduler_job_polls_the_inbox(cli, db, campaign, smtp, monkeypatch):
    """``outreach.inbox`` runs the same poll on a schedule: replies recorded, the run's line says what it found."""
    send(campaign.name, limit=2)
    ids = sent_ids(smtp)
    with IMAPServer([human(ids["info@dental1.de"]), stop(ids["info@dental2.de"])]) as server:
        imap_env(monkeypatch, server)
        added = cli("schedule", "add", "outreach.inbox", "--account", "all", "--every", "15m")
        assert added.exit_code == 0, added.output
        ran = cli("run", "outreach.inbox", "--account", "all")
    assert ran.exit_code == 0, ran.output
    assert "1 new reply(ies)" in ran.output and "1 new suppression(s)" in ran.output
    assert stats(cli, campaign.name)["replied"] == 1
