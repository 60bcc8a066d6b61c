"""Build the email: rendered template + compliance footer + standard and unsubscribe headers."""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from moneyprinter.outreach import addresses, unsubscribe
from moneyprinter.outreach.campaigns import Campaign
from moneyprinter.outreach.templates import Rendered


def new_message_id(sender_email: str) -> str:
    return make_msgid(idstring="outreach", domain=addresses.ascii_form(sender_email).rpartition("@")[2] or None)


def unsubscribe_targets(campaign: Campaign, recipient: str, *, mailbox: str, url_template: str) -> tuple[str, str]:
    """(mailto URI, https URL with the recipient's signed token, or '') for List-Unsubscribe and the footer."""
    mailto = f"mailto:{addresses.ascii_form(mailbox or campaign.sender_email)}?subject=unsubscribe"
    return mailto, unsubscribe.url_for(url_template, recipient)


def footer_text(campaign: Campaign, mailto: str, url: str, ad_notice: str = "") -> str:
    address = mailto.removeprefix("mailto:").split("?")[0]
    how = f"reply with \"unsubscribe\" or write to {address}" + (f", or visit {url}" if url else "")
    return (
        "\n\n-- \n"
        + (f"{ad_notice}\n" if ad_notice else "")
        + f"{campaign.sender_name}\n{campaign.postal_address}\n"
        f"You received this one-time message because your business is publicly listed. "
        f"To receive no further email from us, {how}.\n"
    )


def footer_html(campaign: Campaign, mailto: str, url: str, ad_notice: str = "") -> str:
    esc = html.escape
    link = f' or <a href="{esc(url)}">unsubscribe here</a>' if url else ""
    postal = "<br>".join(esc(line) for line in campaign.postal_address.splitlines())
    return (
        '<hr><p style="font-size:12px;color:#666">'
        + (f"{esc(ad_notice)}<br>" if ad_notice else "")
        + f"{esc(campaign.sender_name)}<br>{postal}<br>"
        "You received this one-time message because your business is publicly listed. "
        f'To receive no further email from us, reply with "unsubscribe", write to '
        f'<a href="{esc(mailto)}">{esc(mailto.removeprefix("mailto:").split("?")[0])}</a>{link}.</p>'
    )


def build(
    campaign: Campaign, rendered: Rendered, recipient: str, *, message_id: str,
    unsubscribe_mailbox: str = "", unsubscribe_url: str = "", ad_notice: str = "", from_address: str = "",
) -> EmailMessage:
    mailto, url = unsubscribe_targets(campaign, recipient, mailbox=unsubscribe_mailbox, url_template=unsubscribe_url)
    msg = EmailMessage()
    msg["From"] = formataddr((campaign.sender_name, from_address or campaign.sender_email))
    msg["To"] = recipient
    msg["Subject"] = rendered.subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = message_id
    msg["List-Unsubscribe"] = f"<{mailto}>" + (f", <{url}>" if url else "")
    if url:  # RFC 8058: the one-click POST needs an HTTPS URI to go to; with only a mailto it would mislead
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(rendered.text.rstrip() + footer_text(campaign, mailto, url, ad_notice))
    if rendered.html:
        msg.add_alternative(rendered.html + footer_html(campaign, mailto, url, ad_notice), subtype="html")
    return msg
