"""The normalized businesses table and its dedup rules.

A business is the same as one already stored when its website domain matches, else its phone
number, else its name plus address. A match fills in the fields the stored row lacks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from moneyprinter.store.db import Database
from moneyprinter.store.outreach import businesses as store
from moneyprinter.store.outreach.businesses import (
    FIELDS,
    Business,
    Keys,
    for_campaign,
    get,
    link_to_campaign,
    mark_emails_checked,
)

__all__ = ["Business", "BusinessIn", "for_campaign", "get", "link_to_campaign", "mark_emails_checked", "upsert"]


@dataclass
class BusinessIn:
    """A business as a discovery source reports it (any field may be empty but the name)."""

    name: str
    address: str = ""
    city: str = ""
    phone: str = ""
    website: str = ""
    category: str = ""
    source: str = ""
    emails: list[str] = field(default_factory=list)  # emails the source itself listed


def normalize_website(raw: str) -> str:
    """'example.com/x' -> 'http://example.com/x'; anything without a host -> ''."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not re.match(r"^https?://", raw, re.I):
        if "://" in raw or " " in raw:
            return ""
        raw = "http://" + raw
    host = urlsplit(raw).hostname
    return raw if host and "." in host or host in ("localhost",) or _is_ip(host) else ""


def _is_ip(host: str | None) -> bool:
    return bool(host) and re.fullmatch(r"[\d.]+", host or "") is not None


def domain_key(website: str) -> str | None:
    """The host without 'www.', or None. Social and map links are not a business's own domain."""
    host = urlsplit(website).hostname if website else None
    if not host:
        return None
    host = host.lower().removeprefix("www.")
    port = urlsplit(website).port
    if any(host == d or host.endswith("." + d) for d in SHARED_HOSTS):
        return None
    return f"{host}:{port}" if port else host


# Hosts many businesses share: a link there does not identify one business.
SHARED_HOSTS = ("facebook.com", "instagram.com", "google.com", "goo.gl", "linktr.ee", "yelp.com", "wa.me")


def phone_key(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("00"):
        digits = digits[2:]
    return digits[-9:] if len(digits) >= 6 else None  # the last 9 digits ignore country-code spelling


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def name_key(name: str, address: str) -> str:
    return f"{_fold(name)}|{_fold(address)}"


def keys_of(item: BusinessIn) -> Keys:
    website = normalize_website(item.website)
    return Keys(domain_key(website), phone_key(item.phone), name_key(item.name, item.address), bool(item.address))


def upsert(db: Database, item: BusinessIn) -> tuple[int, bool]:
    """Store ``item`` or merge it into its duplicate. Returns (business id, created)."""
    if not item.name.strip():
        raise ValueError("a business needs a name")
    website = normalize_website(item.website)
    fields = {f: website if f == "website" else getattr(item, f).strip() for f in FIELDS}
    return store.save(db, fields, item.source, keys_of(item), domain_of=domain_key, phone_of=phone_key)
