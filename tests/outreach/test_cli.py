"""The outreach commands end to end (in-process CLI), the menu screen, health and the inbox parser."""

import json

from moneyprinter.outreach import incoming
from tests.outreach.conftest import make_campaign


def test_campaign_lifecycle_through_the_cli(cli, db, tmp_path, smtp):
    text = tmp_path / "body.txt"
    text.write_text("Hi {{ business.name }} in {{ business.city }}!\n")
    result = cli("outreach", "new", "plumbers", "--niche", "plumber", "--location", "Hamburg", "--sender-name", "Bo",
                 "--sender-email", "bo@bo-plumbing.de", "--text-file", str(text), "--subject", "Pipes for {{ business.name }}")
    assert result.exit_code == 0 and "postal-address" in result.output
    listing = tmp_path / "list.csv"
    listing.write_text('Company,URL,Mail,Town\n"Rohr, Müller",rohr-mueller.de,info@rohr-mueller.de,Hamburg\n'
                       'Bad Ltd,,noreply@bad.de,Hamburg\n')
    result = cli("outreach", "discover", "plumbers", "--source", "csv", "--file", str(listing), "--map", "email=Mail")
    assert "2 new business(es)" in result.output and "1 listed email(s)" in result.output
    preview = cli("outreach", "run", "plumbers")
    assert "dry run: 1 message(s) rendered" in preview.output and smtp.handler.messages == []
    refused = cli("outreach", "run", "plumbers", "--send")
    assert refused.exit_code == 2 and "no postal address" in refused.output
    assert cli("outreach", "edit", "plumbers", "--postal-address", "Hafenstr. 1, Hamburg").exit_code == 0
    sent = cli("outreach", "run", "plumbers", "--send")
    assert sent.exit_code == 0 and "sent 1," in sent.output
    msg = smtp.handler.parsed()[0]
    assert msg["Subject"] == "Pipes for Rohr, Müller" and "Hi Rohr, Müller in Hamburg!" in msg.get_body(("plain",)).get_content()
    shown = json.loads(cli("outreach", "show", "plumbers", "--json").output)
    assert shown["stats"]["sent"] == 1 and shown["businesses"][0]["email"] == "info@rohr-mueller.de"
    assert "plumbers" in cli("outreach", "list").output
    assert "nothing awaiting review" in cli("outreach", "review-sending").output


def test_unsubscribe_commands(cli, tmp_path):
    assert "suppressed: a@b.de" in cli("outreach", "unsubscribe", "A@B.de").output
    assert "already suppressed" in cli("outreach", "unsubscribe", "a@b.de").output
    listing = tmp_path / "s.txt"
    listing.write_text("email\nx@y.de\n@spam.biz\n")
    assert "suppressed 2 new entries" in cli("outreach", "unsubscribe", "--import", str(listing)).output
    bad = cli("outreach", "unsubscribe", "not an address")
    assert bad.exit_code == 2 and "neither an email address nor a domain" in bad.output
    shown = cli("outreach", "unsubscribe", "--list").output
    assert "spam.biz" in shown and "x@y.de" in shown


def test_unknown_campaign_and_bad_options_are_one_line(cli):
    result = cli("outreach", "run", "nope")
    assert result.exit_code == 2 and result.output.strip().count("\n") == 0 and "no outreach campaign named 'nope'" in result.output


def test_menu_screen_creates_and_previews(app, monkeypatch):
    from moneyprinter.menu import outreach as screen

    answers = iter(["2", "cafes", "cafe", "Leipzig", "Cleo", "not-an-email", "cleo@cleo-coffee.de", "Markt 1, Leipzig",
                    "1", "6", "5"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    screen.screen(app)
    from moneyprinter.outreach import campaigns

    assert campaigns.get(app.db, "cafes").postal_address == "Markt 1, Leipzig"


def test_health_checks_smtp_only_when_a_campaign_exists(app, db, smtp, home, monkeypatch):
    from moneyprinter.config import load_config
    from moneyprinter.health.checks_outreach import sends_to_review, smtp_ready
    from moneyprinter.health.registry import HealthContext, Status
    from tests.outreach.smtpserver import free_port

    ctx = HealthContext(config=app.config, http=app.http, data_dir=home)
    assert smtp_ready(ctx).status == Status.SKIP
    make_campaign(db)
    assert smtp_ready(ctx).status == Status.PASS
    assert sends_to_review(ctx).status == Status.PASS
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_PORT", str(free_port()))
    down = smtp_ready(HealthContext(config=load_config(), http=app.http, data_dir=home))
    assert down.status == Status.FAIL and "not reachable" in down.message
    monkeypatch.setenv("MONEYPRINTER_OUTREACH__SMTP_HOST", "")
    assert smtp_ready(HealthContext(config=load_config(), http=app.http, data_dir=home)).status == Status.FAIL


DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: ann@ann-example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; Gone@Dental9.de
Original-Recipient: rfc822;gone@dental9.de
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--B--
"""

REPLY = b"""From: Dr. Who <who@clinic.de>
To: ann@ann-example.com
Subject: Re: A question about Clinic
Content-Type: text/plain

Please unsubscribe me.

> Hello Clinic team,
"""

NORMAL = b"""From: who@clinic.de
Subject: Re: A question
Content-Type: text/plain

Sounds interesting, call me.

> To receive no further email from us, reply with "unsubscribe"
"""


def test_inbox_classifies_bounces_and_unsubscribe_replies():
    assert incoming.classify(DSN) == incoming.Incoming("bounce", "gone@dental9.de")
    assert (incoming.classify(REPLY).kind, incoming.classify(REPLY).address) == ("unsubscribe", "who@clinic.de")
    assert incoming.classify(NORMAL).kind == "reply"  # a person's answer, not a request


def test_scheduled_campaign_previews_unless_auto_send(app, db, smtp, monkeypatch):
    from moneyprinter.outreach import campaigns
    from moneyprinter.platforms.outreach import scheduled_campaign
    from tests.outreach.conftest import add_contact

    campaign = make_campaign(db)
    add_contact(db, campaign, "A", "a@a-clinic.de")
    summary = scheduled_campaign(app, campaign.name)
    assert "auto-send is off" in summary and "dry run: 1 message(s)" in summary and smtp.handler.messages == []
    campaigns.update(db, campaign, auto_send=True)
    summary = scheduled_campaign(app, campaign.name)
    assert "sent 1," in summary and list(smtp.handler.recipients()) == ["a@a-clinic.de"]
    assert "sent 0," in scheduled_campaign(app, campaign.name)


def test_poll_inbox_suppresses_unsubscribes_and_bounces(cli, db, monkeypatch):
    from moneyprinter.outreach import suppression
    from tests.outreach.imapserver import IMAPServer

    with IMAPServer([DSN, REPLY, NORMAL]) as server:
        for key, value in {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": str(server.port), "IMAP_SECURITY": "none",
                           "IMAP_USER": "ann"}.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
        monkeypatch.setenv("IMAP_PASSWORD", "wrong")
        denied = cli("outreach", "poll-inbox")
        assert denied.exit_code == 1 and "login rejected" in denied.output and "wrong" not in denied.output
        monkeypatch.setenv("IMAP_PASSWORD", "imap-secret")
        result = cli("outreach", "poll-inbox")
        assert result.exit_code == 0 and "2 request(s) found, 2 new suppression(s)" in result.output
        assert server.seen == {0, 1}  # the ordinary reply stays unread for a person
        assert "0 request(s) found" in cli("outreach", "poll-inbox").output  # acted on once
    assert {(r.value, r.reason) for r in suppression.list_all(db)} == {
        ("gone@dental9.de", "bounce: user unknown (DSN)"), ("who@clinic.de", "unsubscribe reply")}


def test_own_text_template_is_not_contradicted_by_the_default_html(cli, tmp_path, smtp):
    text = tmp_path / "body.txt"
    text.write_text("Hi {{ business.name }}, a short question from a neighbour.\n")
    assert cli("outreach", "new", "bakers", "--niche", "bakery", "--sender-name", "Bo", "--sender-email",
               "bo@bo-plumbing.de", "--postal-address", "Hafenstr. 1, Hamburg", "--text-file", str(text)).exit_code == 0
    listing = tmp_path / "list.csv"
    listing.write_text("name,email\nBrot AG,info@brot-ag.de\n")
    cli("outreach", "discover", "bakers", "--source", "csv", "--file", str(listing))
    assert cli("outreach", "run", "bakers", "--send").exit_code == 0
    msg = smtp.handler.parsed()[0]
    assert msg.get_body(("html",)) is None  # text only: no HTML part saying something else
    assert "a short question from a neighbour" in msg.get_body(("plain",)).get_content()
    # editing the text of a campaign that still has the default HTML drops that HTML too
    make = cli("outreach", "new", "cooks", "--niche", "cook", "--sender-name", "Bo",
               "--sender-email", "bo@bo-plumbing.de")
    assert make.exit_code == 0
    assert cli("outreach", "edit", "cooks", "--text-file", str(text)).exit_code == 0
    assert json.loads(cli("outreach", "show", "cooks", "--json").output)["body_html"] == ""
    html = tmp_path / "body.html"
    html.write_text("<p>Hi {{ business.name }}</p>")
    alone = cli("outreach", "new", "cakes", "--niche", "cake", "--sender-name", "Bo", "--sender-email",
                "bo@bo-plumbing.de", "--html-file", str(html))
    assert alone.exit_code == 2 and "needs a text template saying the same" in alone.output
    assert cli("outreach", "edit", "bakers", "--html-file", str(html)).exit_code == 0  # its text is its own


def test_template_syntax_errors_and_bad_files_are_refused_when_saved(cli, tmp_path):
    broken = cli("outreach", "new", "x1", "--niche", "cook", "--sender-name", "Bo", "--sender-email",
                 "bo@bo-plumbing.de", "--subject", "Hi {{ business.name")
    assert broken.exit_code == 2 and "subject template, line 1" in broken.output
    assert "no campaigns yet" in cli("outreach", "list").output
    assert cli("outreach", "new", "x1", "--niche", "cook", "--sender-name", "Bo", "--sender-email",
               "bo@bo-plumbing.de").exit_code == 0
    html = tmp_path / "body.html"
    html.write_text("<p>{% if business.city %}open if</p>")
    edited = cli("outreach", "edit", "x1", "--html-file", str(html))
    assert edited.exit_code == 2 and "HTML template" in edited.output
    binary = tmp_path / "body.bin"
    binary.write_bytes(b"\xd0\xff\x00binary")
    refused = cli("outreach", "edit", "x1", "--text-file", str(binary))
    assert refused.exit_code == 2 and "not UTF-8 text" in refused.output and "Unexpected" not in refused.output


def test_a_run_stopped_by_an_unreachable_server_or_the_cap_is_deferred_not_done(cli, app, db, monkeypatch):
    import pytest

    from moneyprinter.outreach import campaigns
    from moneyprinter.outreach.sending import CampaignStopped
    from moneyprinter.store import schedules as store
    from moneyprinter.scheduler.runner import run_job
    from tests.outreach.conftest import add_contact
    from tests.outreach.smtpserver import free_port

    for key, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(free_port()), "SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
    campaign = make_campaign(db)
    add_contact(db, campaign, "Dental 1", "info@dental1.de")
    result = cli("outreach", "run", campaign.name, "--send")
    assert result.exit_code == 75 and "stopped: SMTP: cannot connect" in result.output
    campaigns.update(db, campaign, auto_send=True)
    with pytest.raises(CampaignStopped, match="cannot connect"):
        run_job(app, "outreach.campaign", campaign.name)
    [run] = store.recent_runs(db, 1)
    assert run.outcome == "deferred" and "cannot connect" in run.message


def test_preview_without_a_postal_address_says_sending_will_be_refused(cli, db):
    from tests.outreach.conftest import add_contact

    campaign = make_campaign(db, postal="")
    add_contact(db, campaign, "Dental 1", "info@dental1.de")
    result = cli("outreach", "preview", campaign.name)
    assert result.exit_code == 0 and "WARNING: no postal address - sending is refused" in result.output


def test_menu_refuses_a_taken_campaign_name_before_asking_the_rest(app, db, monkeypatch, capsys):
    from moneyprinter.menu import outreach as screen

    make_campaign(db, "cafes")
    answers = iter(["2", "cafes", "cafes2", "cafe", "Leipzig", "Cleo", "cleo@cleo-coffee.de", "Markt 1, Leipzig",
                    "6", "5"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    screen.screen(app)
    from moneyprinter.outreach import campaigns

    assert "campaign 'cafes' already exists" in capsys.readouterr().out
    assert campaigns.get(app.db, "cafes2").location == "Leipzig"


def test_show_prints_the_template_it_promises(cli, db):
    make_campaign(db)
    shown = cli("outreach", "show", "dentists").output
    assert "subject: A question about {{ business.name }}" in shown
    assert "text:\n  Hello {{ business.name }} team," in shown and "HTML part:" in shown


def test_edit_without_a_change_says_so(cli, db):
    make_campaign(db)
    result = cli("outreach", "edit", "dentists")
    assert result.exit_code == 2 and "nothing to change" in result.output and "updated" not in result.output


def test_broken_unsubscribe_settings_are_config_errors(cli, home):
    home.mkdir(parents=True, exist_ok=True)
    for line, problem in (('unsubscribe_url = "http://shop.de/u"', "must be an https:// URL"),
                          ('unsubscribe_email = "stop-at-shop.de"', "is not an email address")):
        (home / "config.toml").write_text(f"[outreach]\n{line}\n")
        result = cli("config", "validate")
        assert result.exit_code == 2 and problem in result.output and "outreach.unsubscribe_" in result.output
    (home / "config.toml").write_text('[outreach]\nunsubscribe_url = "https://shop.de/u?e={email}"\n')
    assert cli("config", "validate").exit_code == 0
