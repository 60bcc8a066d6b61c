"""Outreach fixtures: SMTP on loopback, fixture websites, and a campaign with contacts."""

from __future__ import annotations

import pytest

from moneyprinter.outreach import businesses, campaigns, contacts
from tests.outreach.smtpserver import SMTPServer

POSTAL = "Ann Example Ltd, 1 Main Street, 10115 Berlin, Germany"


@pytest.fixture
def smtp(monkeypatch):
    """A recording SMTP server, with the outreach settings pointing at it and no waiting between sends."""
    with SMTPServer() as server:
        for key, value in {
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "SMTP_SECURITY": "none",
            "MIN_INTERVAL_S": "0", "MAX_INTERVAL_S": "0", "SMTP_TIMEOUT_S": "5",
        }.items():
            monkeypatch.setenv(f"MONEYPRINTER_OUTREACH__{key}", value)
        yield server


def make_campaign(db, name="dentists", *, postal=POSTAL, **kw):
    return campaigns.create(db, name, niche="dentist", location="Berlin", sender_name="Ann Example",
                            sender_email="ann@ann-example.com", postal_address=postal, **kw)


def add_contact(db, campaign, name: str, address: str, *, website: str = "") -> int:
    domain = address.rpartition("@")[2]
    business_id, _ = businesses.upsert(db, businesses.BusinessIn(
        name=name, website=website or f"https://www.{domain}/", city="Berlin", source="test"))
    businesses.link_to_campaign(db, campaign.id, business_id)
    contacts.save(db, business_id, address, f"https://www.{domain}/kontakt", "mailto", True)
    return business_id


@pytest.fixture
def campaign(db):
    c = make_campaign(db)
    for i in range(1, 6):
        add_contact(db, c, f"Dental {i}", f"info@dental{i}.de")
    return c
