"""Reading replies: BODY.PEEK (what is not acted on stays unread), "STOP" and its variants, a reply
tied to the contact it answers by In-Reply-To/References, and only user-unknown DSNs suppress."""

import pytest

from moneyprinter.outreach import incoming, suppression
from tests.outreach.imapserver import IMAPServer
from tests.outreach.test_cli import DSN, NORMAL
from tests.outreach.test_sending import send

SPAM_DSN = DSN.replace(b"Status: 5.1.1", b"Status: 5.7.1").replace(b"550 5.1.1 user unknown", b"550 5.7.1 spam")


def reply(body: str, *, subject: str = "Re: A question about Dental 1", sender: str = "owner@gmail.example",
          in_reply_to: str = "") -> bytes:
    head = f"From: Owner <{sender}>\nTo: ann@ann-example.com\nSubject: {subject}\nContent-Type: text/plain\n"
    if in_reply_to:
        head += f"In-Reply-To: {in_reply_to}\nReferences: <older@elsewhere.example> {in_reply_to}\n"
    return (head + "\n" + body + "\n\n> Hello Dental 1 team,\n> To receive no further email, reply \"unsubscribe\"\n").encode()


def imap_env(monkeypatch, server):
    for key, value in {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(server.port), "IMAP_SECURITY": "none",
                       "IMAP_USER": "ann"}.items():
        monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
    monkeypatch.setenv("IMAP_PASSWORD", "imap-secret")


@pytest.mark.parametrize("body", ["STOP", "Stop.", "stop emailing me please", "Remove me from your list",
                                  "Please take me off your list", "UNSUBSCRIBE", "unsub", "Bitte austragen",
                                  "opt-out", "Do not contact us again."])
def test_usual_ways_of_saying_stop_are_recognised(body):
    message = incoming.classify(reply(body))
    assert (message.kind, message.address) == ("unsubscribe", "owner@gmail.example")


def test_stop_in_the_subject_alone_is_recognised():
    assert incoming.classify(reply("", subject="Re: STOP")).kind == "unsubscribe"


@pytest.mark.parametrize("body", ["Don't stop, tell me more about the offer.", "Sounds interesting, call me.",
                                  "Can you remove the old sink too? Thanks"])
def test_ordinary_replies_are_not_requests(body):
    assert incoming.classify(reply(body)).kind == "reply"


def test_only_a_user_unknown_dsn_is_a_hard_bounce():
    assert incoming.classify(DSN) == incoming.Incoming("bounce", "gone@dental9.de")
    assert incoming.classify(SPAM_DSN) is None  # refused as spam: says nothing about the mailbox
    generic = DSN.replace(b"Status: 5.1.1", b"Status: 5.0.0").replace(b"550 5.1.1 user unknown",
                                                                      b"550 5.0.0 <gone@dental9.de>: User unknown")
    assert incoming.classify(generic) == incoming.Incoming("bounce", "gone@dental9.de")


def test_poll_peeks_and_leaves_what_it_did_not_act_on_unread(cli, db, monkeypatch):
    with IMAPServer([DSN, NORMAL, SPAM_DSN]) as server:
        imap_env(monkeypatch, server)
        result = cli("outreach", "poll-inbox")
        assert result.exit_code == 0 and "1 request(s) found, 1 new suppression(s)" in result.output
        assert server.seen == {0}
    assert [r.value for r in suppression.list_all(db)] == ["gone@dental9.de"]


def test_a_reply_from_another_mailbox_suppresses_the_contact_it_answers(cli, db, campaign, smtp, monkeypatch):
    send(campaign.name, limit=2)
    sent = {m["To"]: m["Message-ID"] for m in smtp.handler.parsed()}
    answer = reply("STOP", sender="owner@gmail.example", in_reply_to=sent["info@dental2.de"])
    with IMAPServer([answer]) as server:
        imap_env(monkeypatch, server)
        result = cli("outreach", "poll-inbox")
    assert "2 new suppression(s): info@dental2.de, owner@gmail.example" in result.output
    assert suppression.is_suppressed(db.conn, "info@dental2.de")
    assert not suppression.is_suppressed(db.conn, "info@dental1.de")
