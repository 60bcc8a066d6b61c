"""class Outreach: discover businesses -> find their emails -> send a campaign (dry run by default).

The CLI, the menu and the scheduler all drive a campaign through this class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from moneyprinter import paths
from moneyprinter.outreach import businesses, campaigns, contacts, discovery, emails, overpass, sending
from moneyprinter.outreach.businesses import BusinessIn
from moneyprinter.outreach.extract import clean, on_own_domain

if TYPE_CHECKING:
    from moneyprinter.app import App

log = logging.getLogger(__name__)


@dataclass
class DiscoveryReport:
    added: int = 0
    merged: int = 0
    emails: int = 0

    def summary(self) -> str:
        return f"{self.added} new business(es), {self.merged} merged into existing ones, {self.emails} listed email(s)"


@dataclass
class EmailReport:
    sites: int = 0
    with_email: int = 0
    new_emails: int = 0
    no_website: int = 0

    def summary(self) -> str:
        return (f"searched {self.sites} website(s): {self.with_email} with an email, {self.new_emails} new address(es);"
                f" {self.no_website} business(es) have no website of their own")


class Outreach:
    def __init__(self, app: App, campaign: campaigns.Campaign | str) -> None:
        self.app = app
        self.campaign = campaigns.get(app.db, campaign) if isinstance(campaign, str) else campaign

    @property
    def settings(self):
        return self.app.settings.outreach

    # --- discovery -------------------------------------------------------------------
    def add_businesses(self, items: Iterable[BusinessIn]) -> DiscoveryReport:
        report, db = DiscoveryReport(), self.app.db
        for item in items:
            business_id, created = businesses.upsert(db, item)
            businesses.link_to_campaign(db, self.campaign.id, business_id)
            report.added += created
            report.merged += not created
            site = businesses.get(db, business_id).website
            for raw in item.emails:  # emails the source listed; junk rules apply to them too
                address = clean(raw)
                if address:
                    report.emails += contacts.save(db, business_id, address, f"listed by {item.source}", "listed",
                                                   on_own_domain(address, site) if site else False)
        return report

    def discover_osm(self, *, area: str | None = None, bbox: str | None = None) -> DiscoveryReport:
        where = overpass.Area.parse_bbox(bbox) if bbox else overpass.Area(name=area or self.campaign.location)
        found = overpass.search(
            self.app.http, self.settings.overpass_url, self.campaign.niche, where,
            user_agent=self.settings.user_agent, timeout_s=self.settings.overpass_timeout_s,
        )
        return self.add_businesses(found)

    def import_gmaps(self, path: Path) -> DiscoveryReport:
        return self.add_businesses(list(discovery.read_gosom(path)))

    def run_gmaps_scraper(self) -> DiscoveryReport:
        query = f"{self.campaign.niche} in {self.campaign.location}".strip()
        results = discovery.run_gmaps_scraper(
            self.settings.gmaps_scraper_command, query, timeout_s=self.settings.gmaps_scraper_timeout_s,
            workdir=paths.ensure_data_dir() / "outreach" / "gmaps" / self.campaign.name,
        )
        return self.import_gmaps(results)

    def import_csv(self, path: Path, mapping: dict[str, str] | None = None) -> DiscoveryReport:
        return self.add_businesses(list(discovery.read_user_csv(path, mapping, category=self.campaign.niche)))

    # --- emails ----------------------------------------------------------------------
    def find_emails(self, *, recheck: bool = False, workers: int | None = None,
                    on_result: Callable[[emails.SiteResult], None] = lambda r: None) -> EmailReport:
        db, report = self.app.db, EmailReport()
        targets: dict[str, int] = {}
        for business in businesses.for_campaign(db, self.campaign.id):
            if not business.website or not business.domain:  # none, or only a Facebook/Instagram/... page
                report.no_website += 1
            elif recheck or business.emails_checked_at is None:
                targets.setdefault(business.website, business.id)
        limits = emails.CrawlLimits.from_settings(self.settings)
        mx_cache: dict[str, bool | None] = {}
        with emails.fetcher_for(self.settings) as fetcher:
            for result in emails.find_many(fetcher, targets, limits, workers=workers or self.settings.workers):
                self._store_result(result, targets[result.site_url], report, mx_cache)
                on_result(result)
        return report

    def _store_result(self, result: emails.SiteResult, business_id: int, report: EmailReport,
                      mx_cache: dict[str, bool | None]) -> None:
        db = self.app.db
        report.sites += 1
        report.with_email += bool(result.emails)
        for found in result.emails:
            mx = emails.mx_status(found.address.rpartition("@")[2], mx_cache) if self.settings.check_mx else None
            report.new_emails += contacts.save(db, business_id, found.address, found.source_url, found.method,
                                               found.own_domain, mx)
        businesses.mark_emails_checked(db, business_id, result.note)

    # --- sending ---------------------------------------------------------------------
    def preview_dir(self) -> Path:
        configured = self.settings.output_dir
        return Path(configured).expanduser() if configured else paths.ensure_data_dir() / "outreach"

    def dry_run(self) -> sending.RunReport:
        return sending.dry_run(self.app.db, self.campaign, self.settings, self.preview_dir())

    def send(self, *, limit: int | None = None, on_event: Callable[[str], None] = lambda line: None,
             sleep=None) -> sending.RunReport:
        kwargs = {"sleep": sleep} if sleep else {}
        password = self.app.config.secrets.get("SMTP_PASSWORD")
        sender = sending.Sender(self.app.db, self.campaign, self.settings, password, on_event=on_event, **kwargs)
        return sender.run(limit=limit)

    def run(self, *, send: bool = False, limit: int | None = None,
            on_event: Callable[[str], None] = lambda line: None) -> sending.RunReport:
        return self.send(limit=limit, on_event=on_event) if send else self.dry_run()


def scheduled_inbox_poll(app: App, target: str = "all") -> str:
    """The ``outreach.inbox`` job: one inbox poll for every campaign (the target is not used)."""
    from moneyprinter.outreach import inbox

    return inbox.poll_inbox(app.db, app.settings.outreach, app.config.secrets.get("IMAP_PASSWORD")).summary()


def scheduled_campaign(app: App, campaign_name: str) -> str:
    """Scheduler entry point: search new businesses' websites, then send the next batch.

    Mail goes out only if the campaign has auto-send on (``outreach edit NAME --auto-send``);
    otherwise this renders a dry run for review. The daily cap and interval limit each batch.
    """
    outreach = Outreach(app, campaign_name)
    found = outreach.find_emails()
    if not outreach.campaign.auto_send:
        report = outreach.dry_run()
        return f"{found.summary()}; auto-send is off: {report.summary()}"
    report = outreach.send()
    if report.stopped:  # recorded as deferred, not success: a person sees the cap or the unreachable server
        raise sending.CampaignStopped(f"{found.summary()}; {report.summary()}",
                                      hint="the rest goes out at the next scheduled run")
    return f"{found.summary()}; {report.summary()}"
