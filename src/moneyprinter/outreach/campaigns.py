"""The campaign record: niche, location, sender identity and template."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from moneyprinter.errors import NotFound, UsageError
from moneyprinter.outreach import templates
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import campaigns as store
from moneyprinter.store.outreach.campaigns import Campaign
from moneyprinter.store.states import CampaignStatus

DEFAULT_SUBJECT = "A question about {{ business.name }}"
DEFAULT_TEXT = """Hello {{ business.name }} team,

I came across your {{ campaign.niche }} business{% if business.city %} in {{ business.city }}{% endif %} \
and wanted to ask whether you would be open to a short conversation about {{ campaign.niche }} marketing.

Best regards,
{{ sender.name }}
"""
DEFAULT_HTML = """<p>Hello {{ business.name }} team,</p>
<p>I came across your {{ campaign.niche }} business{% if business.city %} in {{ business.city }}{% endif %}
and wanted to ask whether you would be open to a short conversation about {{ campaign.niche }} marketing.</p>
<p>Best regards,<br>{{ sender.name }}</p>
"""


def check_sender_email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise UsageError(f"sender email '{value}' is not valid: {exc}", hint="use an address like you@yourcompany.com") from None


def create(
    db: Database, name: str, *, niche: str, location: str, sender_name: str, sender_email: str,
    postal_address: str = "", subject: str | None = None, body_text: str | None = None,
    body_html: str | None = None, auto_send: bool = False,
) -> Campaign:
    name = name.strip()
    if not name or not niche.strip() or not sender_name.strip():
        raise UsageError("a campaign needs a name, a niche and a sender name")
    sender_email = check_sender_email(sender_email)
    if body_html is None:  # the default HTML would say something else than the user's own text
        body_html = "" if body_text else DEFAULT_HTML
    elif body_html.strip() and not body_text:
        raise _needs_own_text()
    subject, body_text = subject or DEFAULT_SUBJECT, body_text or DEFAULT_TEXT
    templates.check_syntax(subject, body_text, body_html)
    fields = dict(niche=niche.strip(), location=location.strip(), sender_name=sender_name.strip(),
                  sender_email=sender_email, postal_address=postal_address.strip(), subject=subject,
                  body_text=body_text, body_html=body_html, auto_send=auto_send)
    if not store.insert(db, name, fields):
        raise UsageError(f"campaign '{name}' already exists", hint="choose another name or use 'outreach edit'")
    return get(db, name)


def _needs_own_text() -> UsageError:
    return UsageError("an HTML template needs a text template saying the same",
                      hint="give --text-file too (mail clients show one part or the other)")


def get(db: Database, name: str) -> Campaign:
    campaign = store.find(db, name)
    if campaign is None:
        raise NotFound(f"no outreach campaign named '{name}'", hint="see 'moneyprinter outreach list'")
    return campaign


def list_all(db: Database) -> list[Campaign]:
    return store.list_all(db)


def update(db: Database, campaign: Campaign, **changes) -> Campaign:
    changes = {k: v for k, v in changes.items() if v is not None}
    unknown = set(changes) - store.EDITABLE
    if unknown:
        raise UsageError(f"cannot change {', '.join(sorted(unknown))}")
    if "sender_email" in changes:
        changes["sender_email"] = check_sender_email(changes["sender_email"])
    if "body_text" in changes and "body_html" not in changes and campaign.body_html == DEFAULT_HTML:
        changes["body_html"] = ""  # the default HTML would contradict the user's own text
    if changes.get("body_html", "").strip() and changes.get("body_text", campaign.body_text) == DEFAULT_TEXT:
        raise _needs_own_text()
    if {"subject", "body_text", "body_html"} & set(changes):
        templates.check_syntax(changes.get("subject", campaign.subject), changes.get("body_text", campaign.body_text),
                               changes.get("body_html", campaign.body_html))
    if not changes:
        return campaign
    store.update(db, campaign.id, changes)
    return get(db, campaign.name)


def stop(db: Database, campaign: Campaign, reason: str) -> Campaign:
    """The SMTP server rejected the login: nothing more is sent until a run logs in again."""
    store.set_status(db, campaign.id, CampaignStatus.STOPPED, reason)
    return store.get_by_id(db, campaign.id)


def pause(db: Database, campaign: Campaign, reason: str) -> Campaign:
    """Too many recipient errors in a row: nothing more is sent until a person resumes it (``resume``)."""
    store.set_status(db, campaign.id, CampaignStatus.PAUSED, reason)
    return store.get_by_id(db, campaign.id)


def resume(db: Database, campaign: Campaign) -> Campaign:
    """A person looked: 'outreach retry NAME'."""
    if campaign.status == CampaignStatus.ACTIVE:
        return campaign
    store.set_status(db, campaign.id, CampaignStatus.ACTIVE, "")
    return store.get_by_id(db, campaign.id)


def restart(db: Database, campaign: Campaign) -> Campaign:
    store.set_status(db, campaign.id, CampaignStatus.ACTIVE, "")
    return store.get_by_id(db, campaign.id)


def stats(db: Database, campaign_id: int) -> dict[str, int]:
    return store.stats(db, campaign_id)


def outcomes(db: Database, campaign_id: int) -> dict[str, int]:
    """Bounced, unsubscribed, replied (a person answered) and auto_replied (an out-of-office) among the
    campaign's mailed addresses."""
    return store.outcome_counts(db, campaign_id)


def numbers(db: Database, campaign_id: int) -> dict[str, int]:
    """Everything counted about a campaign: found, with an email, each send status, and the answers."""
    return {**store.stats(db, campaign_id), **store.outcome_counts(db, campaign_id)}
