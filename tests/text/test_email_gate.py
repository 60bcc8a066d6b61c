"""Outreach email bodies pass the same gate: no unfilled placeholder or chatter is ever sent."""

from __future__ import annotations

import pytest

from moneyprinter.outreach.campaigns import DEFAULT_SUBJECT, DEFAULT_TEXT
from moneyprinter.outreach.templates import TemplateProblem, render

CONTEXT = {"business": {"name": "Rosa's Bakery", "city": "Lyon"}, "campaign": {"niche": "bakery"},
           "sender": {"name": "Sam"}}


def test_the_default_email_passes():
    rendered = render(DEFAULT_SUBJECT, DEFAULT_TEXT, "", CONTEXT)
    assert rendered.text.startswith("Hello Rosa's Bakery team,")


@pytest.mark.parametrize(("text", "reason"), [
    ("Hello {{ business.name }},\n\nI can help. Call me at [Your Phone Number].\n\nSam", "placeholder"),
    ("Sure, here is an email for the bakery:\n\nHello {{ business.name }}.", "meta talk"),
    ("Hello.\n\nWe bake websites for bakeries. We bake websites for bakeries!\n\nSam", "repeated sentence"),
])
def test_an_email_body_the_gate_refuses_is_a_template_problem(text, reason):
    with pytest.raises(TemplateProblem, match=reason):
        render(DEFAULT_SUBJECT, text, "", CONTEXT)
