"""Who refused: the sender's own server stops the campaign (exit 75, contacts untouched); recipient
errors in a row pause it; hard bounces suppress; international addresses never crash a run."""

import pytest

from moneyprinter.outreach import campaigns, suppression
from tests.outreach.conftest import add_contact, make_campaign
from tests.outreach.smtpserver import SMTPServer
from tests.outreach.test_sending import ADDRESSES, send, statuses


@pytest.mark.parametrize("reply", ["550 5.4.5 Daily user sending quota exceeded",
                                   "451 4.3.0 Sender rate limited, try later",
                                   "421 4.7.0 Too many connections, closing"])
def test_a_refused_mail_from_stops_with_75_and_leaves_every_contact_untouched(cli, db, campaign, smtp, reply):
    smtp.handler.mail_reply = reply
    result = cli("outreach", "run", campaign.name, "--send")
    assert result.exit_code == 75
    assert f"stopped: the SMTP server refused the sender: MAIL FROM refused: {reply}" in result.output
    assert statuses(db, campaign.id) == {} and smtp.handler.messages == []
    smtp.handler.mail_reply = ""  # the quota is back: every contact is still there to be mailed
    assert sorted(send(campaign.name).sent) == ADDRESSES


def test_a_421_at_rcpt_is_about_the_server_not_the_recipient(db, campaign, smtp):
    smtp.handler.rcpt_replies = {"info@dental2.de": "421 4.3.2 Service shutting down"}
    report = send(campaign.name)
    assert report.sent == ["info@dental1.de"] and report.failed == [] and report.deferred == []
    assert "421 4.3.2 Service shutting down" in report.stopped
    assert statuses(db, campaign.id) == {"info@dental1.de": "sent"}  # dental2 was not touched


def test_a_refusal_of_a_retried_send_puts_it_back_as_it_was(db, campaign, smtp):
    smtp.handler.rcpt_replies = {"info@dental1.de": "451 4.7.1 Greylisted"}
    send(campaign.name, limit=1)
    with db.transaction() as conn:
        conn.execute("UPDATE outreach_sends SET retry_after = NULL")
    smtp.handler.rcpt_replies = {}
    smtp.handler.mail_reply = "550 5.4.5 quota"
    assert "5.4.5 quota" in send(campaign.name).stopped
    row = db.query_one("SELECT status, attempts FROM outreach_sends WHERE address = 'info@dental1.de'")
    assert (row["status"], row["attempts"]) == ("deferred", 1)


def test_a_rejected_login_exits_75(cli, db, campaign, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-password")
    with SMTPServer(password="right-password") as server:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": "none",
                           "SMTP_USER": "ann"}.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
        result = cli("outreach", "run", campaign.name, "--send")
    assert result.exit_code == 75 and "was rejected" in result.output and "wrong-password" not in result.output
    assert statuses(db, campaign.id) == {}


def test_recipient_errors_in_a_row_pause_until_a_person_retries(cli, db, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__PAUSE_AFTER_ERRORS", "2")
    smtp.handler.rcpt_replies = {"info@dental1.de": "554 5.7.1 Relay access denied",
                                 "info@dental2.de": "554 5.7.1 Relay access denied"}
    result = cli("outreach", "run", campaign.name, "--send")
    assert result.exit_code == 75 and "campaign paused: 2 recipient errors in a row" in result.output
    assert statuses(db, campaign.id) == {"info@dental1.de": "failed", "info@dental2.de": "failed"}
    assert campaigns.get(db, campaign.name).status == "paused"
    shown = cli("outreach", "show", campaign.name).output
    assert "paused: 2 recipient errors in a row" in shown
    assert "failed   info@dental1.de: 554 5.7.1 Relay access denied" in shown
    smtp.handler.rcpt_replies = {}
    again = cli("outreach", "run", campaign.name, "--send")  # paused means paused, also in a new process
    assert again.exit_code == 75 and "campaign is paused" in again.output and smtp.handler.messages == []
    retried = cli("outreach", "retry", campaign.name, "--failed")
    assert retried.exit_code == 0 and "resumed" in retried.output and "2 failed send(s) re-queued" in retried.output
    assert sorted(send(campaign.name).sent) == ADDRESSES
    assert smtp.handler.recipients() == {a: 1 for a in ADDRESSES}


def test_a_success_resets_the_error_count(db, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__PAUSE_AFTER_ERRORS", "2")
    smtp.handler.rcpt_replies = {a: "451 4.2.1 Mailbox busy" for a in ("info@dental1.de", "info@dental3.de")}
    report = send(campaign.name)
    assert report.stopped is None and len(report.sent) == 3


def test_a_hard_bounce_at_rcpt_suppresses_the_address_for_every_campaign(cli, db, campaign, smtp):
    smtp.handler.rcpt_replies = {"info@dental2.de": "550 5.1.1 <info@dental2.de>: user unknown"}
    report = send(campaign.name)
    assert report.failed == ["info@dental2.de"]
    [entry] = suppression.list_all(db)
    assert entry.value == "info@dental2.de" and "hard bounce: 550 5.1.1" in entry.reason
    other = make_campaign(db, "second")
    add_contact(db, other, "Dental 2", "info@dental2.de")
    assert send("second").skipped == [("info@dental2.de", "suppressed")]
    assert "0 failed send(s) re-queued" in cli("outreach", "retry", campaign.name, "--failed").output


def test_a_rejection_that_is_not_5_1_does_not_suppress(db, campaign, smtp):
    smtp.handler.rcpt_replies = {"info@dental2.de": "550 5.7.1 Message rejected as spam"}
    assert send(campaign.name).failed == ["info@dental2.de"]
    assert suppression.list_all(db) == []


def test_an_international_domain_goes_out_as_idna_and_the_run_goes_on(db, smtp):
    c = make_campaign(db, "bakers")
    add_contact(db, c, "Bäckerei Müller", "info@bäckerei-müller.de", website="https://bäckerei-müller.de/")
    add_contact(db, c, "Later", "hello@later-shop.de")
    report = send("bakers")
    assert sorted(report.sent) == ["hello@later-shop.de", "info@bäckerei-müller.de"]
    assert set(smtp.handler.recipients()) == {"info@xn--bckerei-mller-bfb28a.de", "hello@later-shop.de"}
    assert {m["To"] for m in smtp.handler.parsed()} == {"info@xn--bckerei-mller-bfb28a.de", "hello@later-shop.de"}


def test_a_non_ascii_local_part_is_skipped_without_smtputf8(db, smtp):
    c = make_campaign(db, "bakers")
    add_contact(db, c, "Jörg", "jörg@bäckerei-müller.de")
    add_contact(db, c, "Later", "hello@later-shop.de")
    report = send("bakers")
    assert report.sent == ["hello@later-shop.de"]
    [(address, why)] = report.skipped
    assert address == "jörg@bäckerei-müller.de" and "does not offer SMTPUTF8" in why
    assert statuses(db, c.id) == {"hello@later-shop.de": "sent"}  # no row left 'sending'


def test_a_non_ascii_local_part_goes_out_with_smtputf8_when_offered(db, monkeypatch):
    c = make_campaign(db, "bakers")
    add_contact(db, c, "Jörg", "jörg@bäckerei-müller.de")
    with SMTPServer(smtputf8=True) as server:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": "none",
                           "MIN_INTERVAL_S": "0", "MAX_INTERVAL_S": "0"}.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
        assert send("bakers").sent == ["jörg@bäckerei-müller.de"]
        assert list(server.handler.recipients()) == ["jörg@xn--bckerei-mller-bfb28a.de"]
        assert server.handler.parsed()[0]["To"] == "jörg@xn--bckerei-mller-bfb28a.de"


def test_a_sender_on_an_international_domain_goes_out_as_idna(db, smtp):
    c = campaigns.create(db, "idn-sender", niche="bakery", location="Berlin", sender_name="Jörg",
                         sender_email="jorg@bäckerei-müller.de", postal_address="Hauptstr. 1, Berlin")
    add_contact(db, c, "Shop", "info@shop-one.de")
    report = send("idn-sender")
    assert report.sent == ["info@shop-one.de"]
    msg = smtp.handler.parsed()[0]
    assert msg["From"].addresses[0].addr_spec == "jorg@xn--bckerei-mller-bfb28a.de"
    assert msg["Message-ID"].endswith("@xn--bckerei-mller-bfb28a.de>")
    assert msg["List-Unsubscribe"].strip() == "<mailto:jorg@xn--bckerei-mller-bfb28a.de?subject=unsubscribe>"


def test_a_stored_address_that_is_not_valid_is_skipped_not_a_crash(db, smtp):
    c = make_campaign(db, "odd")
    business_id = add_contact(db, c, "Fine", "hello@fine-shop.de")
    from moneyprinter.outreach import businesses, contacts

    odd, _ = businesses.upsert(db, businesses.BusinessIn(name="Odd", website="https://odd-shop.de/", source="test"))
    businesses.link_to_campaign(db, c.id, odd)
    contacts.save(db, odd, "in fo@@odd-shop.de", "https://odd-shop.de/", "listed", True)
    report = send("odd")
    assert report.sent == ["hello@fine-shop.de"] and business_id
    [(address, why)] = report.skipped
    assert address == "in fo@@odd-shop.de" and why.startswith("cannot be sent: not a valid address")
    assert statuses(db, c.id) == {"hello@fine-shop.de": "sent"}


def test_a_dry_run_of_international_addresses_writes_ascii_headers(app, db):
    from moneyprinter.platforms.outreach import Outreach

    c = make_campaign(db, "bakers")
    add_contact(db, c, "Bäckerei Müller", "info@bäckerei-müller.de")
    report = Outreach(app, c).run()
    [eml] = report.preview_dir.glob("*.eml")
    assert "To: info@xn--bckerei-mller-bfb28a.de" in eml.read_text()


def test_a_server_without_starttls_stops_with_75_and_sends_nothing_in_clear(cli, db, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_SECURITY", "starttls")
    result = cli("outreach", "run", campaign.name, "--send")
    assert result.exit_code == 75 and "refused TLS" in result.output and "STARTTLS" in result.output
    assert statuses(db, campaign.id) == {} and smtp.handler.messages == []
