"""Build the email: rendered template + compliance footer + standard and unsubscribe headers."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import quote

from moneyprinter.outreach.campaigns import Campaign
from moneyprinter.outreach.templates import Rendered


def new_message_id(sender_email: str) -> str:
    return make_msgid(idstring="outreach", domain=sender_email.rpartition("@")[2] or None)


def unsubscribe_targets(campaign: Campaign, recipient: str, *, mailbox: str, url_template: str) -> tuple[str, str]:
    """(mailto URI, https URL or '') for List-Unsubscribe and the footer."""
    mailto = f"mailto:{mailbox or campaign.sender_email}?subject=unsubscribe"
    url = url_template.replace("{email}", quote(recipient, safe="")) if url_template.startswith("https://") else ""
    return mailto, url


def footer_text(campaign: Campaign, mailto: str, url: str) -> str:
    address = mailto.removeprefix("mailto:").split("?")[0]
    how = f"reply with \"unsubscribe\" or write to {address}" + (f", or visit {url}" if url else "")
    return (
        "\n\n-- \n"
        f"{campaign.sender_name}\n{campaign.postal_address}\n"
        f"You received this one-time message because your business is publicly listed. "
        f"To receive no further email from us, {how}.\n"
    )


def footer_html(campaign: Campaign, mailto: str, url: str) -> str:
    esc = html.escape
    link = f' or <a href="{esc(url)}">unsubscribe here</a>' if url else ""
    postal = "<br>".join(esc(line) for line in campaign.postal_address.splitlines())
    return (
        '<hr><p style="font-size:12px;color:#666">'
        f"{esc(campaign.sender_name)}<br>{postal}<br>"
        "You received this one-time message because your business is publicly listed. "
        f'To receive no further email from us, reply with "unsubscribe", write to '
        f'<a href="{esc(mailto)}">{esc(mailto.removeprefix("mailto:").split("?")[0])}</a>{link}.</p>'
    )


def build(
    campaign: Campaign, rendered: Rendered, recipient: str, *, message_id: str,
    unsubscribe_mailbox: str = "", unsubscribe_url: str = "",
) -> EmailMessage:
    mailto, url = unsubscribe_targets(campaign, recipient, mailbox=unsubscribe_mailbox, url_template=unsubscribe_url)
    msg = EmailMessage()
    msg["From"] = formataddr((campaign.sender_name, campaign.sender_email))
    msg["To"] = recipient
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = message_id
    msg["List-Unsubscribe"] = f"<{mailto}>" + (f", <{url}>" if url else "")
    # Always present, as bulk-sender rules expect; receivers act on one-click only when an https URI is
    # configured (RFC 8058) and fall back to the mailto otherwise.
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(rendered.text.rstrip() + footer_text(campaign, mailto, url))
    if rendered.html:
        msg.add_alternative(rendered.html + footer_html(campaign, mailto, url), subtype="html")
    return msg
