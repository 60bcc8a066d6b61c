"""Messages as they arrive in the sender's inbox: a person's answer, an out-of-office, a stop request,
mail about something else; and a sent message in the ledger to answer, for tests without SMTP."""

from __future__ import annotations

from email.message import EmailMessage

from moneyprinter.outreach import ledger

QUOTE = ("On Mon, 30 Nov 2026 at 10:00, Ann Example <ann@ann-example.com> wrote:\n"
         "> Hello Dental team,\n> I came across your dentist business in Berlin.\n"
         "> To receive no further email, reply \"unsubscribe\".\n")


def answer(body: str, *, message_id: str, in_reply_to: str = "", references: str = "",
           sender: str = "Owner <owner@gmail.example>", subject: str = "Re: A question about Dental 1",
           date: str = "Tue, 01 Dec 2026 09:30:00 +0100", headers: tuple[tuple[str, str], ...] = (),
           html: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "ann@ann-example.com", subject
    msg["Date"] = date
    if message_id:  # some clients write none
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in headers:
        msg[name] = value
    if html:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    return bytes(msg)


def human(to: str, *, message_id: str = "<r1@gmail.example>", sender: str = "Anna <anna@gmail.example>") -> bytes:
    return answer("Sounds interesting, call me Tuesday.\n\n" + QUOTE, message_id=message_id, in_reply_to=to,
                  references=to, sender=sender)


def out_of_office(to: str, *, message_id: str = "<ooo1@dental3.de>", sender: str = "info@dental3.de") -> bytes:
    return answer("Thank you for your email. I am out of the office until 7 December with limited access "
                  "to email.\n\n" + QUOTE, message_id=message_id, in_reply_to=to, references=to, sender=sender,
                  subject="Automatic reply: A question about Dental 3", date="Tue, 01 Dec 2026 09:00:05 +0100",
                  headers=(("Auto-Submitted", "auto-replied"),))


def stop(to: str, *, message_id: str = "<stop1@dental2.de>", sender: str = "info@dental2.de") -> bytes:
    return answer("STOP\n\n" + QUOTE, message_id=message_id, in_reply_to=to, references=to, sender=sender,
                  subject="Re: A question about Dental 2", date="Tue, 01 Dec 2026 10:00:00 +0100")


def references_only(to: str, *, message_id: str = "<r4@dental4.de>", sender: str = "Dr. Vier <chef@dental4.de>"
                    ) -> bytes:
    """Answered from a client that writes no In-Reply-To: only References ties it to our message."""
    return answer("Gerne, rufen Sie mich am Donnerstag an.\n\nMit freundlichen Grüßen\nDr. Vier\n\n"
                  "Am 30.11.2026 um 10:00 schrieb Ann Example <ann@ann-example.com>:\n> Hallo Dental 4 Team,\n",
                  message_id=message_id, references=f"<older@elsewhere.example> {to}", sender=sender,
                  subject="AW: A question about Dental 4", date="Tue, 01 Dec 2026 11:15:00 +0100")


UNRELATED = answer("Our spring newsletter is out!", message_id="<news1@shop.example>",
                   sender="news@shop.example", subject="Spring offers", in_reply_to="<someone-else@shop.example>")


def sent(db, campaign, business_id: int, address: str, message_id: str) -> None:
    """A message of the campaign that went out (reserved, then confirmed, as a real send is)."""
    reservation = ledger.reserve(db, campaign_id=campaign.id, business_id=business_id, address=address,
                                 mailbox=campaign.sender_email, message_id=message_id, cap=50, resend_after_days=90)
    ledger.mark_sent(db, reservation.send_id)
