"""An empty field is never sent as a blank: it counts as undefined, and a business whose message
would print it is skipped with the fields named (preview lists them). Fake Re:/Fwd: subjects are
refused when the campaign is saved."""

import pytest

from moneyprinter.outreach import businesses, campaigns, contacts
from moneyprinter.outreach.templates import TemplateProblem
from tests.outreach.conftest import make_campaign
from tests.outreach.test_sending import send


def add(db, campaign, name, address, city):
    business_id, _ = businesses.upsert(db, businesses.BusinessIn(
        name=name, website=f"https://{address.rpartition('@')[2]}/", city=city, source="test"))
    businesses.link_to_campaign(db, campaign.id, business_id)
    contacts.save(db, business_id, address, "https://x/", "mailto", True)


@pytest.fixture
def two(db):
    c = make_campaign(db, "cities", body_text="Hi {{ business.name }} (you are in {{ business.city }})\n")
    add(db, c, "With City", "a@with-city.de", "Berlin")
    add(db, c, "No City", "b@no-city.de", "")
    add(db, c, "Blank City", "c@blank-city.de", "   ")
    return c


def test_a_business_without_the_field_is_skipped_with_the_field_named(two, smtp):
    report = send(two.name)
    assert report.sent == ["a@with-city.de"]
    assert report.skipped == [("b@no-city.de", "'No City' has no business.city (the template uses it)"),
                              ("c@blank-city.de", "'Blank City' has no business.city (the template uses it)")]
    [msg] = smtp.handler.parsed()
    assert "(you are in Berlin)" in msg.get_body(("plain",)).get_content()


def test_preview_lists_which_business_misses_which_field(cli, two):
    result = cli("outreach", "preview", two.name)
    assert result.exit_code == 0 and "dry run: 1 message(s)" in result.output
    assert "would skip b@no-city.de: 'No City' has no business.city" in result.output
    assert "would skip c@blank-city.de: 'Blank City' has no business.city" in result.output


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi{% if business.city %} from {{ business.city }}{% endif %}!", "Hi!"),
    ("Hi from {{ business.city or 'your area' }}!", "Hi from your area!"),
    ("Hi{% if business.city is defined %} from {{ business.city }}{% endif %}!", "Hi!"),
])
def test_a_template_that_handles_the_empty_field_sends(db, smtp, text, expected):
    c = make_campaign(db, "careful", body_text=text + "\n")
    add(db, c, "No City", "b@no-city.de", "")
    assert send(c.name).sent == ["b@no-city.de"]
    assert smtp.handler.parsed()[0].get_body(("plain",)).get_content().startswith(expected)


def test_a_misspelt_variable_is_still_an_error(db, two, smtp):
    campaigns.update(db, two, body_text="Hi {{ business.cty }}")
    with pytest.raises(TemplateProblem, match="cty"):
        send(two.name)


@pytest.mark.parametrize("subject", ["Re: your practice", "FWD: an idea", "AW: Frage", "  re : x"])
def test_fake_reply_subjects_are_refused_when_saved(cli, db, subject):
    with pytest.raises(TemplateProblem, match="reply or forward"):
        make_campaign(db, "fake", subject=subject)
    c = make_campaign(db, "honest")
    with pytest.raises(TemplateProblem, match="reply or forward"):
        campaigns.update(db, c, subject=subject)
    result = cli("outreach", "edit", "honest", "--subject", subject)
    assert result.exit_code == 2 and "reply or forward" in result.output
    assert campaigns.get(db, "honest").subject == campaigns.DEFAULT_SUBJECT
