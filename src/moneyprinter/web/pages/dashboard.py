"""The dashboard: health, what runs next, what ran, what needs a person, and today's quota use."""

from __future__ import annotations

from starlette.requests import Request

from moneyprinter.outreach import campaigns, ledger
from moneyprinter.publishers import quota
from moneyprinter.publishers.youtube_upload import QUOTA_SERVICE
from moneyprinter.scheduler import schedules as sched
from moneyprinter.scheduler.status import daemon_state
from moneyprinter.store import publications
from moneyprinter.store import schedules as runs_store
from moneyprinter.store.accounts import list_accounts
from moneyprinter.store.states import PublicationStatus
from moneyprinter.web.context import thread_app
from moneyprinter.web.pages import page_router
from moneyprinter.web.pages.health import latest
from moneyprinter.web.render import render

router = page_router()


def quota_use(app) -> list[dict]:
    """Today's spend against each daily limit: YouTube API units and each outreach mailbox's cap."""
    settings = app.settings
    rows = [{"what": "YouTube API units (today, Pacific time)", "used": quota.spent(app.db, QUOTA_SERVICE),
             "limit": settings.publishing.youtube_daily_quota or None}]
    mailboxes = sorted({c.sender_email.lower() for c in campaigns.list_all(app.db)})
    for mailbox in mailboxes:
        used, _ = ledger.sent_last_24h(app.db.conn, mailbox, ledger.now())
        rows.append({"what": f"email from {mailbox} (last 24 h)", "used": used,
                     "limit": settings.outreach.daily_cap_per_mailbox})
    return rows


@router.get("/")
def dashboard(request: Request):
    app = thread_app(request)
    db = app.db
    counts = publications.count_by_status(db)
    context = {
        "title": "Dashboard",
        "health": latest(request),
        "daemon": daemon_state(db, app.settings.scheduler),
        "upcoming": sched.upcoming(db, 8),
        "runs": runs_store.recent_runs(db, 8),
        "attention": publications.list_publications(db, status=PublicationStatus.NEEDS_ATTENTION, limit=10),
        "counts": counts,
        "quota": quota_use(app),
        "accounts": {a.id: a for a in list_accounts(db)},
    }
    return render(request, "dashboard.html", context)
