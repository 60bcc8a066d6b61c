"""Sending against a real SMTP server (aiosmtpd) on loopback."""

import pytest

from moneyprinter.app import App
from moneyprinter.errors import UsageError
from moneyprinter.outreach import campaigns, ledger, suppression
from moneyprinter.outreach.smtp import SmtpAuthFailed
from moneyprinter.outreach.templates import TemplateProblem
from moneyprinter.platforms.outreach import Outreach
from tests.outreach.conftest import POSTAL, add_contact, make_campaign
from tests.outreach.smtpserver import SMTPServer

ADDRESSES = [f"info@dental{i}.de" for i in range(1, 6)]


def fresh_app() -> App:
    """A new App, as after a restart: nothing carried over in memory."""
    return App()


def send(campaign_name: str, **kw):
    app = fresh_app()
    try:
        return Outreach(app, campaign_name).run(send=True, **kw)
    finally:
        app.close()


def statuses(db, campaign_id):
    return {r["address"]: r["status"] for r in db.query("SELECT address, status FROM outreach_sends WHERE campaign_id = ?", (campaign_id,))}


def test_unsubscribe_headers_without_an_https_url(campaign, smtp):
    send(campaign.name)
    for msg in smtp.handler.parsed():
        assert msg["List-Unsubscribe"] == "<mailto:ann@ann-example.com?subject=unsubscribe>"
        assert msg["List-Unsubscribe-Post"] is None  # RFC 8058: one-click needs an HTTPS URI


def test_every_sent_message_has_headers_and_footer(campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__UNSUBSCRIBE_URL", "https://ann-example.com/unsub?e={email}")
    report = send(campaign.name)
    assert sorted(report.sent) == ADDRESSES
    assert smtp.handler.recipients() == {a: 1 for a in ADDRESSES}
    message_ids = set()
    for msg in smtp.handler.parsed():
        to = msg["To"]
        assert msg["From"] == "Ann Example <ann@ann-example.com>"
        assert msg["Date"] and msg["Message-ID"].endswith("@ann-example.com>")
        message_ids.add(msg["Message-ID"])
        assert " ".join(msg["List-Unsubscribe"].split()).startswith(f"<mailto:ann@ann-example.com?subject=unsubscribe>, "
                                                  f"<https://ann-example.com/unsub?e={to.replace('@', '%40')}&token=")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        number = to.removeprefix("info@dental").removesuffix(".de")
        assert msg["Subject"] == f"A question about Dental {number}"
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        for part in (text, html):
            assert "Ann Example" in part and "1 Main Street, 10115 Berlin" in part and "unsubscribe" in part
        assert text.startswith(f"Hello Dental {number} team,")
    assert len(message_ids) == 5


def test_dry_run_is_the_default_and_sends_nothing(app, campaign, smtp):
    report = Outreach(app, campaign).run()
    assert report.mode == "dry-run" and report.planned == 5
    files = sorted(p.name for p in report.preview_dir.glob("*.eml"))
    assert files == [f"{i:04d}-info@dental{i}.de.eml" for i in range(1, 6)]
    assert "List-Unsubscribe" in (report.preview_dir / files[0]).read_text()
    assert smtp.handler.messages == [] and statuses(app.db, campaign.id) == {}


def test_no_postal_address_refuses_to_send(app, db, smtp):
    c = make_campaign(db, "nopostal", postal="")
    add_contact(db, c, "A", "a@a-shop.de")
    with pytest.raises(UsageError, match="no postal address"):
        Outreach(app, c).run(send=True)
    assert smtp.handler.messages == [] and statuses(db, c.id) == {}


def test_undefined_template_variable_fails_before_anything_is_sent(app, db, campaign, smtp):
    campaigns.update(db, campaign, body_text="Hi {{ business.owner_name }}")
    with pytest.raises(TemplateProblem, match="owner_name"):
        Outreach(app, campaign.name).run()
    with pytest.raises(TemplateProblem, match="'Dental 1'.*owner_name"):
        Outreach(app, campaign.name).run(send=True)
    assert smtp.handler.messages == []


def test_deceptive_subject_is_refused(app, db, campaign):
    campaigns.update(db, campaign, subject="{{ 'Re' }}: our call")  # only rendering shows the prefix
    with pytest.raises(TemplateProblem, match="reply or forward"):
        Outreach(app, campaign.name).run()


def test_never_twice_in_a_campaign_and_not_across_campaigns_within_n_days(app, db, campaign, smtp):
    assert len(send(campaign.name).sent) == 5
    again = send(campaign.name)
    assert again.sent == [] and {why for _, why in again.skipped} == {"already sent in this campaign"}
    other = make_campaign(db, "second")
    add_contact(db, other, "Dental 1", "info@dental1.de")
    add_contact(db, other, "Fresh", "hello@fresh-teeth.de")
    report = send("second")
    assert report.sent == ["hello@fresh-teeth.de"]
    assert report.skipped == [("info@dental1.de", "mailed by another campaign in the last 90 days")]
    assert max(smtp.handler.recipients().values()) == 1


def test_suppression_holds_across_restarts(app, db, campaign, smtp, tmp_path):
    suppression.add(db, "info@dental2.de", "asked")
    listing = tmp_path / "suppress.txt"
    listing.write_text("# from the old tool\n@dental3.de\nsomeone@else.de\n")
    assert suppression.import_file(db, listing) == (2, 0)
    app.close()
    report = send(campaign.name)
    assert sorted(report.sent) == ["info@dental1.de", "info@dental4.de", "info@dental5.de"]
    assert sorted(report.skipped) == [("info@dental2.de", "suppressed"), ("info@dental3.de", "suppressed")]
    assert "info@dental2.de" not in smtp.handler.recipients()


def test_bad_suppression_file_imports_nothing(db, tmp_path):
    listing = tmp_path / "bad.txt"
    listing.write_text("ok@shop.de\nnot an address\n")
    with pytest.raises(Exception, match="line 2"):
        suppression.import_file(db, listing)
    assert suppression.list_all(db) == []


def test_daily_cap_holds_across_restarts(db, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__DAILY_CAP_PER_MAILBOX", "2")
    first = send(campaign.name)
    assert len(first.sent) == 2 and "daily cap of 2 reached" in first.stopped
    second = send(campaign.name)  # a new process would see the same: the count is in the database
    assert second.sent == [] and "daily cap" in second.stopped
    assert len(smtp.handler.messages) == 2
    # the same mailbox in another campaign shares the cap
    other = make_campaign(db, "other")
    add_contact(db, other, "New", "new@new-shop.de")
    assert send("other").sent == []


def test_interval_is_randomized_and_counts_from_the_last_send(app, campaign, smtp, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__MIN_INTERVAL_S", "30")
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__MAX_INTERVAL_S", "90")
    waits = []
    report = Outreach(fresh_app(), campaign.name).send(limit=3, sleep=waits.append)
    assert len(report.sent) == 3 and len(waits) == 2
    assert all(28 <= w <= 90 for w in waits)
    waits.clear()
    Outreach(fresh_app(), campaign.name).send(limit=1, sleep=waits.append)  # a restart still waits
    assert len(waits) == 1 and 28 <= waits[0] <= 90


def test_4xx_is_retried_later_and_5xx_marks_the_contact_failed(db, campaign, smtp, monkeypatch):
    smtp.handler.rcpt_replies = {"info@dental2.de": "451 4.7.1 Greylisted, try later",
                                 "info@dental3.de": "550 5.1.1 No such user"}
    report = send(campaign.name)
    assert report.deferred == ["info@dental2.de"] and report.failed == ["info@dental3.de"]
    assert sorted(report.sent) == ["info@dental1.de", "info@dental4.de", "info@dental5.de"]
    row = db.query_one("SELECT * FROM outreach_sends WHERE address = 'info@dental2.de'")
    assert row["status"] == "deferred" and "451" in row["error"] and row["retry_after"]
    assert "550 5.1.1" in db.query_one("SELECT error FROM outreach_sends WHERE address = 'info@dental3.de'")[0]
    smtp.handler.rcpt_replies = {}
    early = send(campaign.name)
    assert early.sent == [] and ("info@dental2.de", f"deferred until {row['retry_after']}") in early.skipped
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__RETRY_AFTER_MINUTES", "0")
    with db.transaction() as conn:
        conn.execute("UPDATE outreach_sends SET retry_after = '2000-01-01T00:00:00+00:00' WHERE status = 'deferred'")
    later = send(campaign.name)
    assert later.sent == ["info@dental2.de"] and later.failed == []
    assert smtp.handler.recipients() == {a: 1 for a in ADDRESSES if a != "info@dental3.de"}


def test_auth_failure_stops_the_campaign_clearly(db, campaign, monkeypatch):
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-password")
    with SMTPServer(password="right-password") as server:
        for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": "none",
                           "SMTP_USER": "ann", "MIN_INTERVAL_S": "0", "MAX_INTERVAL_S": "0"}.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
        with pytest.raises(SmtpAuthFailed, match="login to 127.0.0.1.* as ann was rejected") as info:
            send(campaign.name)
        assert "wrong-password" not in str(info.value)
        assert campaigns.get(db, campaign.name).status == "stopped"
        assert server.handler.messages == [] and statuses(db, campaign.id) == {}
        monkeypatch.setenv("SMTP_PASSWORD", "right-password")
        assert len(send(campaign.name).sent) == 5
        assert campaigns.get(db, campaign.name).status == "active"


def test_connection_dropped_during_data_is_left_for_review(db, campaign, smtp):
    smtp.handler.drop_data = {"info@dental3.de"}
    report = send(campaign.name)
    assert report.unknown == ["info@dental3.de"]
    assert sorted(report.sent) == ["info@dental1.de", "info@dental2.de", "info@dental4.de", "info@dental5.de"]
    review = ledger.awaiting_review(db)
    assert [r.address for r in review] == ["info@dental3.de"] and "during DATA" in review[0].error
    smtp.handler.drop_data = set()
    assert send(campaign.name).sent == []  # never resent automatically
    ledger.resolve(db, review[0].id, "retry")
    assert send(campaign.name).sent == ["info@dental3.de"]
    assert smtp.handler.recipients() == {a: 1 for a in ADDRESSES}


def test_smtp_down_stops_the_run_without_reserving(db, campaign, monkeypatch):
    from tests.outreach.smtpserver import free_port

    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_PORT", str(free_port()))
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_SECURITY", "none")
    report = send(campaign.name)
    assert report.sent == [] and "cannot connect" in report.stopped and statuses(db, campaign.id) == {}


def test_sends_without_smtp_settings_say_how_to_configure(db, campaign):
    from moneyprinter.errors import ConfigError

    with pytest.raises(ConfigError, match="SMTP is not configured"):
        send(campaign.name)
    assert POSTAL in campaigns.get(db, campaign.name).postal_address


def test_connection_dropped_before_data_defers_and_the_run_reconnects(db, campaign, smtp):
    smtp.handler.drop_rcpt = {"info@dental2.de"}
    report = send(campaign.name)
    assert report.deferred == ["info@dental2.de"] and len(report.sent) == 4 and report.unknown == []
    assert "before DATA" in db.query_one("SELECT error FROM outreach_sends WHERE address = 'info@dental2.de'")[0]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_modes_verify_the_server_and_log_in(db, campaign, tmp_path, monkeypatch, security):
    import ssl

    from tests.outreach.tlscert import make_cert

    cert, key = make_cert(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts only this throwaway certificate
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret-pass")
    with SMTPServer(password="s3cret-pass", tls_context=context, implicit_tls=security == "ssl") as server:
        for key_name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": security,
                                "SMTP_USER": "ann", "MIN_INTERVAL_S": "0", "MAX_INTERVAL_S": "0"}.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key_name}", value)
        assert len(send(campaign.name, limit=2).sent) == 2
        assert len(server.handler.messages) == 2
        monkeypatch.delenv("SSL_CERT_FILE")
        monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path / "none"))
        other = make_campaign(db, "untrusted")
        add_contact(db, other, "X", "x@x-shop.de")
        report = send("untrusted")  # an unverifiable certificate is refused, nothing is sent
        assert report.sent == [] and "cannot connect" in report.stopped and len(server.handler.messages) == 2
