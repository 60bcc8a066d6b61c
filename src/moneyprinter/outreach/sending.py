"""Run a campaign: render every message, then (only with ``send=True``) mail them one by one.

A dry run (the default) writes each message as an .eml file for review and sends nothing.
A real run renders everything first, so a template error never leaves a campaign half sent,
then for each contact: wait the randomized interval, reserve the send in the ledger (suppression,
dedup and daily cap are checked in that same transaction), send over SMTP, record the outcome.

A refusal that is about the sender (MAIL FROM refused, 421, login, connection) stops the run and
un-reserves the contact; ``pause_after_errors`` recipient errors in a row pause the campaign until a
person resumes it; a 5.1.x answer (no such mailbox) suppresses the address for every campaign.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from moneyprinter.errors import MoneyPrinterError, NotFound, ServiceUnavailable, UsageError
from moneyprinter.outreach import addresses, businesses, campaigns, contacts, ledger, message, suppression, templates
from moneyprinter.outreach.campaigns import Campaign
from moneyprinter.outreach.smtp import Mailer, Outcome, SmtpAuthFailed
from moneyprinter.outreach.suppression import is_suppressed
from moneyprinter.settings.outreach import OutreachSettings
from moneyprinter.store.db import Database
from moneyprinter.store.outreach import replies, sends
from moneyprinter.store.states import CampaignStatus, SendStatus


class CampaignStopped(MoneyPrinterError):
    """A run stopped early (daily cap reached, SMTP server unreachable): what is left goes out later."""

    exit_code = 75  # deferred: try again later (the exit code of 'moneyprinter run')


@dataclass
class Planned:
    business: businesses.Business
    contact: contacts.Contact
    rendered: templates.Rendered


@dataclass
class RunReport:
    mode: str
    planned: int = 0
    no_email: int = 0
    sent: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stopped: str | None = None
    preview_dir: Path | None = None
    warning: str | None = None

    def summary(self) -> str:
        if self.mode == "dry-run":
            text = f"dry run: {self.planned} message(s) rendered to {self.preview_dir}, nothing sent"
        else:
            text = (f"sent {len(self.sent)}, deferred {len(self.deferred)}, failed {len(self.failed)}, "
                    f"awaiting review {len(self.unknown)}")
        text += f"; skipped {len(self.skipped)}; {self.no_email} business(es) without an email"
        text += f"; stopped: {self.stopped}" if self.stopped else ""
        return text + (f"; WARNING: {self.warning}" if self.warning else "")


def context(campaign: Campaign, business: businesses.Business, contact: contacts.Contact) -> dict:
    return {
        "business": {**business.fields(), "email": contact.address},
        "campaign": campaign.fields(),
        "sender": campaign.sender(),
    }


@dataclass
class Plan:
    items: list[Planned] = field(default_factory=list)
    no_email: int = 0
    # (address, why) for businesses the template cannot be filled in for: the fields they miss
    missing: list[tuple[str, str]] = field(default_factory=list)


def plan(db: Database, campaign: Campaign) -> Plan:
    """Render a message for every business that has an email. Raises TemplateProblem on the first
    template error; a business missing a field the template prints is set aside with the fields named."""
    templates.check_syntax(campaign.subject, campaign.body_text, campaign.body_html)
    result = Plan()
    for business in businesses.for_campaign(db, campaign.id):
        contact = contacts.best(db, business.id)
        if contact is None:
            result.no_email += 1
            continue
        try:
            rendered = templates.render(
                campaign.subject, campaign.body_text, campaign.body_html,
                context(campaign, business, contact), who=f"'{business.name}'",
            )
        except templates.MissingFields as missing:
            result.missing.append((contact.address, f"'{business.name}' has no {missing} (the template uses it)"))
            continue
        result.items.append(Planned(business, contact, rendered))
    return result


def preview(db: Database, campaign: Campaign, business_id: int, settings: OutreachSettings):
    """The message one business would get, exactly as it would be sent (nothing is recorded)."""
    business = next((b for b in businesses.for_campaign(db, campaign.id) if b.id == business_id), None)
    if business is None:
        raise NotFound(f"campaign '{campaign.name}' has no business with id {business_id}",
                       hint=f"see: moneyprinter outreach show {campaign.name}")
    contact = contacts.best(db, business.id)
    if contact is None:
        raise UsageError(f"'{business.name}' has no email address yet",
                         hint=f"find one: moneyprinter outreach find-emails {campaign.name}")
    try:
        rendered = templates.render(campaign.subject, campaign.body_text, campaign.body_html,
                                    context(campaign, business, contact), who=f"'{business.name}'")
    except templates.MissingFields as missing:
        raise UsageError(f"'{business.name}' has no {missing}, which the template prints",
                         hint="guard the field with {% if ... %} in the template, or fill it in") from None
    return message.build(
        campaign, rendered, addresses.ascii_form(contact.address), message_id=message.new_message_id(campaign.sender_email),
        unsubscribe_mailbox=settings.unsubscribe_email, unsubscribe_url=settings.unsubscribe_url,
        ad_notice=settings.ad_notice, from_address=addresses.ascii_form(campaign.sender_email),
    )


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9@._-]+", "_", text)[:80]


def dry_run(db: Database, campaign: Campaign, settings: OutreachSettings, out_root: Path) -> RunReport:
    report = RunReport("dry-run")
    planning = plan(db, campaign)
    planned, report.no_email = planning.items, planning.no_email
    report.skipped.extend(planning.missing)
    stamp = ledger.iso(ledger.now()).replace(":", "").replace("+0000", "Z")
    out_dir = out_root / _safe_name(campaign.name) / stamp
    out_dir.mkdir(parents=True, exist_ok=True)
    index = []
    for number, item in enumerate(planned, 1):
        msg = message.build(
            campaign, item.rendered, addresses.ascii_form(item.contact.address),
            message_id=message.new_message_id(campaign.sender_email),
            unsubscribe_mailbox=settings.unsubscribe_email, unsubscribe_url=settings.unsubscribe_url,
            ad_notice=settings.ad_notice, from_address=addresses.ascii_form(campaign.sender_email),
        )
        path = out_dir / f"{number:04d}-{_safe_name(item.contact.address)}.eml"
        path.write_bytes(bytes(msg))
        note = _dry_run_note(db, campaign, item.contact.address, item.business.id)
        if note:
            report.skipped.append((item.contact.address, note))
        index.append(f"{path.name}\t{item.business.name}\t{item.contact.address}\t{item.contact.source_url}\t{note or 'would send'}")
    index += [f"-\t\t{address}\t\t{why}" for address, why in planning.missing]
    if not campaign.postal_address.strip():
        report.warning = ("no postal address - sending is refused until one is set "
                          f"('outreach edit {campaign.name} --postal-address ...')")
        index.insert(0, "# WARNING: no postal address - sending is refused until one is set")
    (out_dir / "index.tsv").write_text("\n".join(index) + "\n", encoding="utf-8")
    report.planned, report.preview_dir = len(planned), out_dir
    return report


def would_skip(db: Database, campaign: Campaign, address: str, business_id: int) -> str:
    """Why a preview's message would not be sent ('suppressed', 'replied ...', 'already sent'), else ''."""
    return _dry_run_note(db, campaign, address, business_id)


def _dry_run_note(db: Database, campaign: Campaign, address: str, business_id: int) -> str:
    if is_suppressed(db.conn, address):
        return "suppressed"
    replied_at = replies.first_reply_at(db.conn, campaign.id, business_id, address)
    if replied_at:
        return f"replied on {replied_at}"
    status = sends.status_of(db, campaign.id, address)
    return f"already {status}" if status and status != SendStatus.DEFERRED else ""


def require_sendable(campaign: Campaign) -> None:
    if not campaign.postal_address.strip():
        raise UsageError(
            f"campaign '{campaign.name}' has no postal address, so it cannot send (CAN-SPAM requires one)",
            hint=f"moneyprinter outreach edit {campaign.name} --postal-address 'Street 1, 12345 City, Country'",
        )


@dataclass
class _Ready:
    sender: addresses.WireAddress
    recipient: addresses.WireAddress
    message_id: str
    msg: EmailMessage


class Sender:
    """One real run. ``sleep`` and ``rng`` are parameters so the interval logic is testable."""

    def __init__(self, db: Database, campaign: Campaign, settings: OutreachSettings, password: str | None, *,
                 on_event: Callable[[str], None] = lambda line: None, sleep=time.sleep, rng=random) -> None:
        require_sendable(campaign)
        self.db, self.campaign, self.s = db, campaign, settings
        self.mailbox = campaign.sender_email.lower()
        self.mailer = Mailer(settings, password)
        self.on_event, self._sleep, self._rng = on_event, sleep, rng
        self._errors_in_a_row = 0

    def run(self, *, limit: int | None = None) -> RunReport:
        report = RunReport("send")
        planning = plan(self.db, self.campaign)
        planned, report.no_email = planning.items, planning.no_email
        report.skipped.extend(planning.missing)
        report.planned = len(planned)
        if self.campaign.status == CampaignStatus.PAUSED:
            report.stopped = (f"campaign is paused ({self.campaign.stop_reason}); after checking, resume it with "
                              f"'moneyprinter outreach retry {self.campaign.name}' (--failed re-queues the failures)")
            return report
        try:
            for item in planned:
                if limit is not None and len(report.sent) + len(report.unknown) >= limit:
                    break
                if not self._send_one(item, report):
                    break
        finally:
            self.mailer.close()
        return report

    def _connect(self) -> None:
        try:
            self.mailer.connect()
        except SmtpAuthFailed as exc:
            campaigns.stop(self.db, self.campaign, exc.message)
            raise
        if self.campaign.status == CampaignStatus.STOPPED:
            self.campaign = campaigns.restart(self.db, self.campaign)

    def _wait_interval(self) -> None:
        last = ledger.last_send_at(self.db, self.mailbox)
        if last is None:
            return
        gap = self._rng.uniform(self.s.min_interval_s, max(self.s.min_interval_s, self.s.max_interval_s))
        wait = (last + timedelta(seconds=gap) - ledger.now()).total_seconds()
        if wait > 0:
            self.on_event(f"waiting {wait:.0f} s before the next send")
            self._sleep(wait)

    def _send_one(self, item: Planned, report: RunReport) -> bool:
        """Returns False when the run must stop (daily cap, the sender refused, server unreachable)."""
        address = item.contact.address
        why, _ = ledger.blocked(self.db.conn, self.campaign.id, item.business.id, address,
                                self.s.resend_after_days, ledger.now())
        if why:  # a cheap look first, so a skipped contact costs no waiting; reserve() checks again
            report.skipped.append((address, why))
            return True
        self._wait_interval()
        try:
            self._connect()  # after the wait: servers drop idle connections
        except ServiceUnavailable as exc:
            report.stopped = exc.message
            return False
        ready = self._prepare(item, report)
        if ready is None:
            return report.stopped is None
        reservation = self._reserve(item, ready.message_id, report)
        if reservation is None:
            return report.stopped is None
        try:
            outcome = self.mailer.send(ready.msg, ready.sender.envelope, ready.recipient.envelope,
                                       smtputf8=ready.recipient.needs_smtputf8 or ready.sender.needs_smtputf8)
        except (ServiceUnavailable, SmtpAuthFailed) as exc:  # only a reconnect raises: nothing was sent
            ledger.release(self.db, reservation)
            if isinstance(exc, SmtpAuthFailed):
                campaigns.stop(self.db, self.campaign, exc.message)
                raise
            report.stopped = exc.message
            return False
        return self._record(reservation, outcome, report)

    def _prepare(self, item: Planned, report: RunReport) -> _Ready | None:
        """The message and both addresses in their wire form, before anything is reserved, so that an
        address that cannot be sent is skipped with a reason and never left 'sending'."""
        try:  # the sender's own address is about the sender: it stops the run
            sender = addresses.for_wire(self.campaign.sender_email, smtputf8_offered=self.mailer.smtputf8)
        except addresses.Unsendable as exc:
            report.stopped = f"the sender address {self.campaign.sender_email} cannot be sent: {exc}"
            return None
        try:
            recipient = addresses.for_wire(item.contact.address, smtputf8_offered=self.mailer.smtputf8)
            message_id = message.new_message_id(self.campaign.sender_email)
            msg = message.build(
                self.campaign, item.rendered, recipient.display, message_id=message_id,
                unsubscribe_mailbox=self.s.unsubscribe_email, unsubscribe_url=self.s.unsubscribe_url,
                ad_notice=self.s.ad_notice, from_address=sender.display,
            )
        except (addresses.Unsendable, UnicodeError, ValueError) as exc:
            report.skipped.append((item.contact.address, f"cannot be sent: {exc}"))
            return None
        return _Ready(sender, recipient, message_id, msg)

    def _reserve(self, item: Planned, message_id: str, report: RunReport) -> ledger.Reservation | None:
        address = item.contact.address
        try:
            reservation = ledger.reserve(
                self.db, campaign_id=self.campaign.id, business_id=item.business.id, address=address,
                mailbox=self.mailbox, message_id=message_id, cap=self.s.daily_cap_per_mailbox,
                resend_after_days=self.s.resend_after_days,
            )
        except ledger.CapReached as cap:
            report.stopped = f"daily cap of {cap.cap} reached for {self.mailbox}; next slot after {cap.frees_at}"
            return None
        if isinstance(reservation, str):
            report.skipped.append((address, reservation))
            return None
        return reservation

    def _record(self, reservation: ledger.Reservation, outcome: Outcome, report: RunReport) -> bool:
        """Store what SMTP said; False when the run must stop (the sender was refused, or paused)."""
        address, send_id = reservation.address, reservation.send_id
        self.on_event(f"{outcome.kind:8} {address} {outcome.detail}")
        if outcome.kind == "refused_sender":  # about the sender: the contact is left as it was
            ledger.release(self.db, reservation)
            report.stopped = f"the SMTP server refused the sender: {outcome.detail}"
            return False
        if outcome.kind == "sent":
            ledger.mark_sent(self.db, send_id)
            report.sent.append(address)
            self._errors_in_a_row = 0
            return True
        if outcome.kind == "unknown":  # stays 'sending' forever unless a person resolves it
            ledger.note(self.db, send_id, outcome.detail)
            report.unknown.append(address)
            return True
        if outcome.kind == "deferred":
            ledger.mark_deferred(self.db, send_id, outcome.detail, self.s.retry_after_minutes)
            report.deferred.append(address)
        else:
            ledger.mark_failed(self.db, send_id, outcome.detail)
            report.failed.append(address)
            if outcome.kind == "bounced":  # the mailbox does not exist: no campaign may mail it again
                suppression.add(self.db, address, f"hard bounce: {outcome.detail}"[:200])
        return self._count_error(report)

    def _count_error(self, report: RunReport) -> bool:
        self._errors_in_a_row += 1
        if self._errors_in_a_row < self.s.pause_after_errors:
            return True
        reason = f"{self._errors_in_a_row} recipient errors in a row (outreach.pause_after_errors)"
        self.campaign = campaigns.pause(self.db, self.campaign, reason)
        report.stopped = (f"campaign paused: {reason}; check the errors ('outreach show {self.campaign.name}'), "
                          f"then 'moneyprinter outreach retry {self.campaign.name} [--failed]'")
        return False
