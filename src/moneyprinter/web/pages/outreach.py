"""Outreach: campaigns and their numbers, the replies to answer by hand, the email one business would
get, sends awaiting review, and the suppression list."""

from __future__ import annotations

from fastapi import Form
from starlette.requests import Request

from moneyprinter.outreach import businesses, campaigns, contacts, ledger, replies, sending, suppression
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.render import act, render

router = page_router()


@router.get("/outreach")
def outreach_page(request: Request):
    app = thread_app(request)
    rows = [{"c": c, "stats": campaigns.stats(app.db, c.id), "outcomes": campaigns.outcomes(app.db, c.id)}
            for c in campaigns.list_all(app.db)]
    return render(request, "outreach.html", {
        "title": "Outreach", "rows": rows, "review": ledger.awaiting_review(app.db),
        "suppressed": suppression.list_all(app.db),
    })


def _parts(msg) -> dict:
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return {"headers": [(k, str(v)) for k, v in msg.items()],
            "text": text.get_content() if text else "", "html": html.get_content() if html else ""}


@router.get("/outreach/{name}")
def campaign_page(request: Request, name: str, business: int | None = None):
    app = thread_app(request)
    campaign = campaigns.get(app.db, name)
    found = businesses.for_campaign(app.db, campaign.id)
    emails = {b.id: contacts.best(app.db, b.id) for b in found}
    chosen = business or next((b.id for b in found if emails[b.id]), None)
    preview = _parts(sending.preview(app.db, campaign, chosen, app.settings.outreach)) if chosen else None
    return render(request, "campaign.html", {
        "title": f"Campaign {campaign.name}", "c": campaign, "stats": campaigns.stats(app.db, campaign.id),
        "outcomes": campaigns.outcomes(app.db, campaign.id), "businesses": found, "emails": emails,
        "chosen": chosen, "preview": preview, "replies": replies.for_campaign(app.db, campaign.id, "reply"),
        "auto_replies": replies.for_campaign(app.db, campaign.id, "auto_reply"),
    })


@router.post("/outreach/sends/{send_id}/mark")
def mark_send(request: Request, send_id: int, outcome: str = Form(...)):
    app = thread_app(request)

    def mark() -> str:
        ledger.resolve(app.db, send_id, outcome)
        return f"Send {send_id} marked {outcome}."

    return act("/outreach#review-sending", mark)


@router.post("/outreach/suppression")
def suppress(request: Request, value: str = Form(...), reason: str = Form("")):
    app = thread_app(request)

    def add() -> str:
        added = suppression.add(app.db, value, reason.strip() or "added in the web app")
        shown = suppression.parse_entry(value)[1]
        return f"{shown} will not be mailed." if added else f"{shown} was suppressed already."

    return act("/outreach#suppression", add)


@router.post("/outreach/suppression/remove")
def unsuppress(request: Request, value: str = Form(...)):
    app = thread_app(request)

    def remove() -> str:
        removed = suppression.remove(app.db, value)
        return f"{value} may be mailed again." if removed else f"{value} was not on the list."

    return act("/outreach#suppression", remove)
