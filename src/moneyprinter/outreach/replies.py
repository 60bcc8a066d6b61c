"""The answers a campaign got, for the person who follows up by hand."""

from __future__ import annotations

from moneyprinter.errors import UsageError
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import replies as store
from moneyprinter.store.outreach.replies import Reply
from moneyprinter.store.states import ReplyKind

__all__ = ["KINDS", "Reply", "for_campaign"]

KINDS = ("all", *(k.value for k in ReplyKind))


def for_campaign(db: Database, campaign_id: int, kind: str = "all") -> list[Reply]:
    """The campaign's answers, newest first: every kind, or one of reply, auto_reply, unsubscribe."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind of answer '{kind}'", hint=f"use one of: {', '.join(KINDS)}")
    kinds = tuple(ReplyKind) if kind == "all" else (ReplyKind(kind),)
    return store.for_campaign(db, campaign_id, kinds)
