"""``moneyprinter outreach ...``: campaigns, discovery, email finding, preview, sending, suppression."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

import click

from moneyprinter.errors import UsageError
from moneyprinter.outreach import campaigns, contacts, inbox, ledger, replies, suppression
from moneyprinter.outreach import businesses as business_repo
from moneyprinter.outreach.discovery import parse_mapping
from moneyprinter.outreach.sending import CampaignStopped
from moneyprinter.platforms.outreach import Outreach
from moneyprinter.terminal.output import console, print_json, table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _read(path: Path | None) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path else None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text", hint="give a plain-text template file saved as UTF-8") from None


TEMPLATE_OPTIONS = (
    click.option("--subject", default=None, help="Subject template (Jinja2), e.g. 'A question for {{ business.name }}'."),
    click.option("--text-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Text body template."),
    click.option("--html-file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="HTML body template."),
)


def _template_options(func):
    for option in reversed(TEMPLATE_OPTIONS):
        func = option(func)
    return func


@click.group("outreach")
def outreach_group() -> None:
    """Find local businesses, find their contact email, send compliant cold email (dry run unless --send)."""


@outreach_group.command("new")
@click.argument("name")
@click.option("--niche", required=True, help="What the businesses do, e.g. dentist (or an OSM tag like shop=bakery).")
@click.option("--location", default="", help="Area name for discovery, e.g. 'Berlin'.")
@click.option("--sender-name", required=True, help="Your name or company, shown in From and the footer.")
@click.option("--sender-email", required=True, help="The From address (its mailbox gets the daily cap).")
@click.option("--postal-address", default="", help="Your postal address for the footer (required before sending).")
@_template_options
@click.option("--auto-send/--no-auto-send", default=False, help="Let scheduled runs send (default: they only preview).")
@click.pass_obj
def outreach_new(app: App, name, niche, location, sender_name, sender_email, postal_address, subject, text_file,
                 html_file, auto_send) -> None:
    """Create a campaign."""
    campaign = campaigns.create(
        app.db, name, niche=niche, location=location, sender_name=sender_name, sender_email=sender_email,
        postal_address=postal_address, subject=subject, body_text=_read(text_file), body_html=_read(html_file),
        auto_send=auto_send,
    )
    click.echo(f"created campaign '{campaign.name}' ({campaign.niche}, {campaign.location or 'no location'})")
    if not campaign.postal_address:
        click.echo("note: add --postal-address with 'outreach edit' before sending; mail without one is refused")


@outreach_group.command("edit")
@click.argument("name")
@click.option("--niche", default=None, help="What the businesses do, e.g. dentist.")
@click.option("--location", default=None, help="Area name for discovery.")
@click.option("--sender-name", default=None, help="Your name or company, shown in From and the footer.")
@click.option("--sender-email", default=None, help="The From address.")
@click.option("--postal-address", default=None, help="Your postal address for the footer (required before sending).")
@_template_options
@click.option("--auto-send/--no-auto-send", default=None, help="Let scheduled runs send, or only preview.")
@click.pass_obj
def outreach_edit(app: App, name, niche, location, sender_name, sender_email, postal_address, subject, text_file,
                  html_file, auto_send) -> None:
    """Change a campaign's details or template."""
    campaign = campaigns.get(app.db, name)
    given = (niche, location, sender_name, sender_email, postal_address, subject, text_file, html_file, auto_send)
    if all(v is None for v in given):
        raise UsageError("nothing to change", hint="give an option such as --postal-address; see --help")
    updated = campaigns.update(app.db, campaign, niche=niche, location=location, sender_name=sender_name,
                               sender_email=sender_email, postal_address=postal_address, subject=subject,
                               body_text=_read(text_file), body_html=_read(html_file), auto_send=auto_send)
    click.echo(f"updated campaign '{name}'")
    if text_file and not html_file and updated.body_html:
        click.echo("note: the HTML part was not changed - give --html-file too (an empty file sends text only)")


@outreach_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def outreach_list(app: App, as_json) -> None:
    """List campaigns with their progress."""
    rows = [(c, campaigns.stats(app.db, c.id)) for c in campaigns.list_all(app.db)]
    if as_json:
        print_json([{"name": c.name, "niche": c.niche, "location": c.location, "status": c.status, **s} for c, s in rows])
        return
    if not rows:
        click.echo("no campaigns yet - create one with 'moneyprinter outreach new NAME --niche dentist ...'")
        return
    console.print(table(None, ["name", "niche", "location", "status", "businesses", "with email", "sent", "review"],
                        [[c.name, c.niche, c.location, c.status, s["businesses"], s["with_email"], s["sent"], s["sending"]]
                         for c, s in rows]))


@outreach_group.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def outreach_show(app: App, name, as_json) -> None:
    """Show a campaign, its template and its businesses."""
    campaign = campaigns.get(app.db, name)
    items = []
    for b in business_repo.for_campaign(app.db, campaign.id):
        best = contacts.best(app.db, b.id)
        items.append({"name": b.name, "website": b.website, "phone": b.phone, "source": b.source,
                      "email": best.address if best else "", "email_source": best.source_url if best else "",
                      "search": b.emails_note})
    if as_json:
        print_json({**vars(campaign), "stats": campaigns.numbers(app.db, campaign.id), "businesses": items,
                    "replies": [vars(r) for r in replies.for_campaign(app.db, campaign.id)]})
        return
    stats = campaigns.numbers(app.db, campaign.id)
    click.echo(f"{campaign.name}: {campaign.niche} in {campaign.location or '-'} ({campaign.status}"
               f"{': ' + campaign.stop_reason if campaign.stop_reason else ''})")
    click.echo(f"from: {campaign.sender_name} <{campaign.sender_email}>; postal address: "
               f"{campaign.postal_address or 'MISSING (sending refused)'}; auto-send: {'on' if campaign.auto_send else 'off'}")
    click.echo(f"subject: {campaign.subject}")
    click.echo("text:\n" + "\n".join(f"  {line}".rstrip() for line in campaign.body_text.rstrip().splitlines()))
    html = f"{len(campaign.body_html)} characters (see --json)" if campaign.body_html.strip() else "none (text only)"
    click.echo(f"HTML part: {html}")
    click.echo(", ".join(f"{k} {v}" for k, v in stats.items()))
    if items:
        console.print(table(None, ["business", "website", "email", "found on"],
                            [[i["name"], i["website"], i["email"], i["email_source"]] for i in items]))
    answered = replies.for_campaign(app.db, campaign.id, "reply")
    if answered:
        click.echo("replies:")
        for r in answered:
            click.echo(f"  {r.received_at} {r.business} ({r.sender}): {r.snippet or r.subject}")
    problems = ledger.problems(app.db, campaign.id)
    if problems:
        click.echo("sends that failed or wait for a retry:")
        for send in problems:
            click.echo(f"  {send.status:8} {send.address}: {send.error or '-'}")
    skipped = [i for i in items if "skipped" in i["search"]]
    if skipped:
        click.echo("email search skipped:")
        for i in skipped:
            click.echo(f"  {i['name']}: {i['search']}")


@outreach_group.command("discover")
@click.argument("name")
@click.option("--source", type=click.Choice(["osm", "gmaps", "gmaps-run", "csv"]), default="osm", show_default=True,
              help="osm = OpenStreetMap Overpass; gmaps = import google-maps-scraper CSV/JSON; "
                   "gmaps-run = run the configured scraper; csv = your own list.")
@click.option("--file", "file_", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="File for gmaps/csv.")
@click.option("--area", default=None, help="OSM area name (default: the campaign's location).")
@click.option("--bbox", default=None, help="OSM bounding box SOUTH,WEST,NORTH,EAST instead of an area name.")
@click.option("--map", "mapping", multiple=True, help="CSV column mapping FIELD=COLUMN (name, address, city, phone, website, category, email).")
@click.pass_obj
def outreach_discover(app: App, name, source, file_, area, bbox, mapping) -> None:
    """Add businesses to a campaign from OpenStreetMap, google-maps-scraper output or a CSV."""
    outreach = Outreach(app, name)
    if source in ("gmaps", "csv") and file_ is None:
        raise UsageError(f"--source {source} needs --file")
    if source == "osm":
        report = outreach.discover_osm(area=area, bbox=bbox)
    elif source == "gmaps":
        report = outreach.import_gmaps(file_)
    elif source == "gmaps-run":
        report = outreach.run_gmaps_scraper()
    else:
        report = outreach.import_csv(file_, parse_mapping(mapping))
    click.echo(report.summary())


@outreach_group.command("find-emails")
@click.argument("name")
@click.option("--recheck", is_flag=True, help="Search websites that were already searched, too.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Sites searched at once (default: setting).")
@click.pass_obj
def outreach_find_emails(app: App, name, recheck, workers) -> None:
    """Search the businesses' websites for contact emails (robots.txt respected)."""
    def show(result):
        best = result.emails[0].address if result.emails else "-"
        click.echo(f"{result.site_url}: {best} ({result.note})")

    report = Outreach(app, name).find_emails(recheck=recheck, workers=workers, on_result=show)
    click.echo(report.summary())


@outreach_group.command("preview")
@click.argument("name")
@click.pass_obj
def outreach_preview(app: App, name) -> None:
    """Render every message to .eml files for review (same as 'run' without --send)."""
    report = Outreach(app, name).dry_run()
    click.echo(report.summary())
    for address, why in report.skipped:
        click.echo(f"  would skip {address}: {why}")


@outreach_group.command("run")
@click.argument("name")
@click.option("--send", is_flag=True, help="Really send. Without it this is a dry run that renders files.")
@click.option("--limit", type=click.IntRange(1), default=None, help="Send at most this many in this run.")
@click.pass_obj
def outreach_run(app: App, name, send, limit) -> None:
    """Run a campaign: a dry run by default; --send mails within the daily cap and interval."""
    outreach = Outreach(app, name)
    report = outreach.run(send=send, limit=limit, on_event=lambda line: click.echo(line))
    click.echo(report.summary())
    for address, why in report.skipped:
        click.echo(f"  {'skipped' if send else 'would skip'} {address}: {why}")
    if report.unknown:
        click.echo("some sends have an unknown outcome - see 'moneyprinter outreach review-sending'")
    if report.stopped:  # for cron and scripts: not done, try again later
        raise SystemExit(CampaignStopped.exit_code)


@outreach_group.command("retry")
@click.argument("name")
@click.option("--failed", is_flag=True, help="Also send again to addresses whose send failed (suppressed ones stay).")
@click.pass_obj
def outreach_retry(app: App, name, failed) -> None:
    """Resume a paused campaign after you checked why it paused; --failed re-queues its failed sends."""
    campaign = campaigns.get(app.db, name)
    if campaign.status != "active":
        campaigns.resume(app.db, campaign)
        click.echo(f"campaign '{name}' resumed (was {campaign.status}: {campaign.stop_reason or 'no reason'})")
    if failed:
        requeued = ledger.requeue_failed(app.db, campaign.id)
        click.echo(f"{len(requeued)} failed send(s) re-queued for the next run" +
                   (": " + ", ".join(requeued) if requeued else ""))
    elif campaign.status == "active":
        click.echo(f"campaign '{name}' is active; nothing to resume (add --failed to re-queue failed sends)")


@outreach_group.command("unsubscribe")
@click.argument("address", required=False)
@click.option("--import", "import_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File with one address or domain per line.")
@click.option("--reason", default="requested", show_default=True)
@click.option("--list", "show", is_flag=True, help="Show the suppression list.")
@click.pass_obj
def outreach_unsubscribe(app: App, address, import_file, reason, show) -> None:
    """Never mail ADDRESS (name@domain or a whole domain) again; or --import a list."""
    if show:
        rows = suppression.list_all(app.db)
        console.print(table(None, ["kind", "value", "reason", "since"], [[r.kind, r.value, r.reason, r.created_at] for r in rows]))
        return
    if bool(address) == bool(import_file):
        raise UsageError("give an ADDRESS or --import FILE", hint="e.g. 'outreach unsubscribe someone@shop.com'")
    if import_file:
        added, known = suppression.import_file(app.db, import_file, reason=reason)
        click.echo(f"suppressed {added} new entr{'y' if added == 1 else 'ies'} ({known} already known)")
        return
    added = suppression.add(app.db, address, reason)
    click.echo(f"{'suppressed' if added else 'already suppressed'}: {suppression.parse_entry(address)[1]}")


@outreach_group.command("review-sending")
@click.option("--mark", nargs=2, type=(int, click.Choice(["sent", "failed", "retry"])), default=None,
              metavar="ID OUTCOME", help="Resolve one: sent (it arrived), failed, or retry (send again).")
@click.pass_obj
def outreach_review(app: App, mark) -> None:
    """List sends whose outcome is unknown (crash or drop during DATA); they are never resent automatically."""
    if mark:
        ledger.resolve(app.db, mark[0], mark[1])
        click.echo(f"send {mark[0]} marked {mark[1]}")
        return
    rows = ledger.awaiting_review(app.db)
    if not rows:
        click.echo("nothing awaiting review")
        return
    console.print(table(None, ["id", "campaign", "address", "since", "what happened"],
                        [[r.id, r.campaign, r.address, r.reserved_at, r.error or "process ended"] for r in rows]))
    click.echo("check the sent folder or ask the recipient, then: outreach review-sending --mark ID sent|failed|retry")


@outreach_group.command("poll-inbox")
@click.pass_obj
def outreach_poll(app: App) -> None:
    """Record the answers to your campaigns; suppress who asks to stop and addresses that bounce.

    Replies and out-of-office answers stay unread for you; mail that answers none of your campaigns is not touched."""
    report = inbox.poll_inbox(app.db, app.settings.outreach, app.config.secrets.get("IMAP_PASSWORD"))
    click.echo(report.summary())


STATS_LABELS = {"businesses": "found", "with_email": "with email", "sent": "sent", "sending": "awaiting review",
                "deferred": "deferred", "failed": "failed", "bounced": "bounced", "unsubscribed": "unsubscribed",
                "replied": "replied", "auto_replied": "auto-replied"}


@outreach_group.command("stats")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def outreach_stats(app: App, name, as_json) -> None:
    """Count a campaign's businesses, sends and answers (replied = a person answered; auto-replied = out-of-office)."""
    campaign = campaigns.get(app.db, name)
    numbers = campaigns.numbers(app.db, campaign.id)
    if as_json:
        print_json(numbers)
        return
    click.echo(", ".join(f"{label} {numbers[key]}" for key, label in STATS_LABELS.items()))
    if numbers["replied"]:
        click.echo(f"see who replied: moneyprinter outreach show {campaign.name}")


def register(group: click.Group) -> None:
    group.add_command(outreach_group)
