"""The Outreach screen: campaigns, discovery, email finding, preview and (confirmed) sending."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

from rich.markup import escape

from moneyprinter.errors import MoneyPrinterError, UsageError
from moneyprinter.menu.prompts import ask, choose, confirm, console
from moneyprinter.outreach import campaigns, ledger, suppression
from moneyprinter.platforms.outreach import Outreach
from moneyprinter.terminal.output import table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _valid_email(value: str) -> str | None:
    try:
        campaigns.check_sender_email(value)
    except UsageError as exc:
        return exc.message
    return None


def _existing_file(value: str) -> str | None:
    return None if Path(value).expanduser().is_file() else f"no file at {value}"


def create_campaign(app: App) -> campaigns.Campaign:
    taken = {c.name for c in campaigns.list_all(app.db)}
    name = ask("Campaign name",
               validate=lambda v: f"campaign '{v.strip()}' already exists" if v.strip() in taken else None)
    niche = ask("Niche (e.g. dentist, plumber, or an OSM tag like shop=bakery)")
    location = ask("Location (city or area)")
    sender_name = ask("Your name or company")
    sender_email = ask("Your sending address", validate=_valid_email)
    postal = ask("Your postal address (required by law in the footer)")
    campaign = campaigns.create(app.db, name, niche=niche, location=location, sender_name=sender_name,
                                sender_email=sender_email, postal_address=postal)
    console.print(f"[green]Created '{campaign.name}'. Edit its template with 'moneyprinter outreach edit'.[/]")
    return campaign


def _discover(app: App, outreach: Outreach) -> None:
    sources = ["OpenStreetMap (Overpass)", "google-maps-scraper CSV/JSON file", "Your own CSV file", "Back"]
    index = choose("Discover businesses from", sources)
    if index == 0:
        report = outreach.discover_osm(area=ask("Area name", default=outreach.campaign.location or None))
    elif index in (1, 2):
        path = Path(ask("File path", validate=_existing_file)).expanduser()
        report = outreach.import_gmaps(path) if index == 1 else outreach.import_csv(path)
    else:
        return
    console.print(report.summary())


def _show(app: App, outreach: Outreach) -> None:
    stats = campaigns.stats(app.db, outreach.campaign.id)
    console.print(", ".join(f"{k} {v}" for k, v in stats.items()))


def _send(app: App, outreach: Outreach) -> None:
    preview = outreach.dry_run()
    console.print(preview.summary())
    if not preview.planned:
        return
    if not confirm(f"Send now, within the daily cap of {app.settings.outreach.daily_cap_per_mailbox}?"):
        return
    report = outreach.send(on_event=console.print)
    console.print(report.summary())


def _review(app: App) -> None:
    rows = ledger.awaiting_review(app.db)
    if not rows:
        console.print("Nothing awaiting review.")
        return
    console.print(table(None, ["id", "campaign", "address", "since"], [[r.id, r.campaign, r.address, r.reserved_at] for r in rows]))
    row = rows[choose("Resolve which send?", [f"{r.id} {r.address}" for r in rows])]
    outcome = ["sent", "failed", "retry"][choose("What happened?", ["It arrived (sent)", "It failed", "Send it again"])]
    ledger.resolve(app.db, row.id, outcome)


def campaign_screen(app: App, campaign: campaigns.Campaign) -> None:
    actions = ["Show progress", "Discover businesses", "Find emails on their websites", "Preview messages (dry run)",
               "Send (after a preview)", "Back"]
    while True:
        outreach = Outreach(app, campaign.name)
        index = choose(f"Campaign {campaign.name}", actions)
        try:
            if index == 0:
                _show(app, outreach)
            elif index == 1:
                _discover(app, outreach)
            elif index == 2:
                console.print(outreach.find_emails().summary())
            elif index == 3:
                console.print(outreach.dry_run().summary())
            elif index == 4:
                _send(app, outreach)
            else:
                return
        except MoneyPrinterError as exc:
            console.print(f"[yellow]{escape(str(exc))}[/]")


def screen(app: App) -> None:
    actions = ["Open a campaign", "Create a campaign", "Review sends with unknown outcome", "Unsubscribe an address", "Back"]
    while True:
        index = choose("Outreach", actions)
        if index == 0:
            existing = campaigns.list_all(app.db)
            if not existing:
                console.print("No campaigns yet.")
                continue
            labels = [f"{c.name} ({', '.join(filter(None, (c.niche, c.location)))})" for c in existing]
            campaign_screen(app, existing[choose("Campaign", labels)])
        elif index == 1:
            campaign_screen(app, create_campaign(app))
        elif index == 2:
            _review(app)
        elif index == 3:
            value = ask("Address or domain to suppress")
            try:
                suppression.add(app.db, value, "menu")
                console.print("[green]Suppressed.[/]")
            except UsageError as exc:
                console.print(f"[yellow]{escape(str(exc))}[/]")
        else:
            return
