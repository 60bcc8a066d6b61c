"""International addresses on the wire: IDNA domains in ASCII, SMTPUTF8 only for non-ASCII local parts.

A domain such as ``bäckerei-müller.de`` is sent as its IDNA form (``xn--...``), which every server
accepts. A non-ASCII local part (``jörg@...``) has no ASCII form: it can be sent only to a server
that offers SMTPUTF8 (RFC 6531), otherwise the contact is skipped with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email


@dataclass(frozen=True)
class WireAddress:
    display: str  # for the To header: ASCII when possible
    envelope: str  # for RCPT TO
    needs_smtputf8: bool


class Unsendable(ValueError):
    """An address that cannot go on the wire (invalid, or needs SMTPUTF8 the server does not offer)."""


def for_wire(address: str, *, smtputf8_offered: bool) -> WireAddress:
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise Unsendable(f"not a valid address ({exc})") from None
    if valid.ascii_email:
        return WireAddress(valid.ascii_email, valid.ascii_email, False)
    if not smtputf8_offered:
        raise Unsendable("its local part is not ASCII and the SMTP server does not offer SMTPUTF8")
    unicode_form = f"{valid.local_part}@{valid.ascii_domain}"
    return WireAddress(unicode_form, unicode_form, True)


def ascii_form(address: str) -> str:
    """The address with its domain in IDNA form, for headers that must stay ASCII (Message-ID, mailto);
    unchanged when it has no ASCII form."""
    try:
        return validate_email(address, check_deliverability=False).ascii_email or address
    except EmailNotValidError:
        return address
