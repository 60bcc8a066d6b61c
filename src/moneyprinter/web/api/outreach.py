"""/api/v1/outreach: campaigns with their stats, the replies they got, and a preview of the rendered
emails (nothing is sent)."""

from __future__ import annotations

from fastapi import Request

from moneyprinter.outreach import campaigns, replies, sending
from moneyprinter.web.api.deps import Page, Paging, api_router, current_app, page
from moneyprinter.web.api.models import CampaignOut, PreviewOut, ReplyOut

router = api_router("outreach")


def _campaign_out(db, c) -> dict:
    fields = {k: getattr(c, k) for k in CampaignOut.model_fields if k != "stats"}
    return {**fields, "stats": campaigns.numbers(db, c.id)}


@router.get("/outreach/campaigns", response_model=list[CampaignOut], summary="Campaigns with found, sent, bounced, "
            "unsubscribed, replied and auto-replied counts")
def list_campaigns(request: Request, status: str | None = None):
    db = current_app(request).db
    return [_campaign_out(db, c) for c in campaigns.list_all(db) if status is None or c.status == status]


@router.get("/outreach/campaigns/{name}", response_model=CampaignOut, summary="A campaign and its stats")
def get_campaign(request: Request, name: str):
    db = current_app(request).db
    return _campaign_out(db, campaigns.get(db, name))


@router.get("/outreach/campaigns/{name}/preview", response_model=Page[PreviewOut],
            summary="The email each business would get, rendered (nothing is sent or written)")
def preview(request: Request, name: str, paging: Paging):
    db = current_app(request).db
    campaign = campaigns.get(db, name)
    planned = sending.plan(db, campaign).items
    rows = [{"business": p.business.name, "address": p.contact.address, "found_on": p.contact.source_url or "",
             "subject": p.rendered.subject, "text": p.rendered.text, "html": p.rendered.html,
             "note": sending.would_skip(db, campaign, p.contact.address, p.business.id)}
            for p in planned[paging.offset: paging.offset + paging.limit]]
    return page(request, rows, paging, len(planned))


@router.get("/outreach/campaigns/{name}/replies", response_model=Page[ReplyOut],
            summary="The answers a campaign got, newest first (kind: reply, auto_reply, unsubscribe or all)")
def list_replies(request: Request, name: str, paging: Paging, kind: str = "reply"):
    db = current_app(request).db
    found = replies.for_campaign(db, campaigns.get(db, name).id, kind)
    rows = [{k: getattr(r, k) for k in ReplyOut.model_fields} for r in found[paging.offset: paging.offset + paging.limit]]
    return page(request, rows, paging, len(found))
