"""A fix as the pages show it: where a page does what a hint's ``moneyprinter ...`` command does, a link
to that page takes the command's place; a command only the terminal can run (a login, the scheduler
daemon, the configuration file) stays, as code to copy.

The domain writes its hints once, for the CLI (``MoneyPrinterError.hint``, a check's remediation, a
publication's stored error), so the web translates them here instead of every error carrying two texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup, escape

# Flags that take no value; any other flag takes the next word (or a quoted text) as its value.
_SWITCHES = ("retry-unknown", "retry", "json", "failed", "force", "yes", "again", "no-browser")
_VALUE = r'(?:"[^"]*"|\.\.\.|[^\s;,)]+)'
_FLAGS = rf"(?:\s+--(?:{'|'.join(_SWITCHES)})(?![\w-])|\s+--[\w-]+(?:=|\s+){_VALUE})*"
_NAME = r"[^\s;,)'\"]+"

Link = tuple[str, str]  # (what the link says, where it goes)


def _q(value: str) -> str:
    return quote(value, safe="")


def _review(m: re.Match) -> Link:
    item = m["id"]
    if item and m["verb"] == "edit" and "--sentence" in m.group(0):
        return (f"edit the script of item {item}", f"/drafts/{item}")
    if item:
        return (f"{m['verb'] or 'open'} item {item} in Review", f"/review#item-{item}")
    return ("open Review", "/review")


def _publications(m: re.Match) -> Link:
    status = m["status"]
    return ("open Publications" + (f" ({status.replace('_', ' ')})" if status else ""),
            "/publications" + (f"?status={_q(status)}" if status else ""))


RULES: tuple[tuple[re.Pattern, Callable[[re.Match], Link]], ...] = tuple(
    (re.compile(rf"moneyprinter\s+{pattern}(?![\w-]){_FLAGS}"), build) for pattern, build in (
        (rf"accounts\s+edit\s+(?P<platform>[a-z]+)\s+(?P<nick>{_NAME})",
         lambda m: (f"the page of {m['platform']} account {m['nick']}", f"/accounts/by-name/{_q(m['platform'])}/{_q(m['nick'])}")),
        (r"accounts\s+add(?:\s+[a-z|]+(?:\s+[A-Z]+)?)?", lambda m: ("the Add an account form", "/accounts#add")),
        (r"accounts(?:\s+list)?", lambda m: ("open Accounts", "/accounts")),
        (rf"tiktok\s+settings\s+--account\s+(?P<nick>{_NAME})",
         lambda m: ("the account's TikTok options", f"/accounts/by-name/tiktok/{_q(m['nick'])}")),
        (r"review(?:\s+(?P<verb>approve|edit|reject)(?:\|(?:approve|edit|reject))*)?(?:\s+(?P<id>\d+))?", _review),
        (r"outbox\s+mark-published\s+(?P<id>\d+)(?:\s+URL)?",
         lambda m: (f"mark item {m['id']} published", f"/publications/by-item/{m['id']}")),
        (r"publish\s+(?P<id>\d+)", lambda m: (f"publish item {m['id']} from its page", f"/publications/by-item/{m['id']}")),
        (r"publications(?:\s+--status\s+(?P<status>[a-z_]+))?", _publications),
        (r"schedule(?:\s+(?:add|list|enable|disable|edit|remove|manage))?", lambda m: ("open Schedules", "/schedules")),
        (r"short(?=\s+--account|\s+--batch)", lambda m: ("make a Short", "/make")),
        (rf"outreach\s+show\s+(?P<name>{_NAME})", lambda m: (f"open the campaign {m['name']}", f"/outreach/{_q(m['name'])}")),
        (r"outreach(?:\s+(?:list|review-sending))?(?![\w-])", lambda m: ("open Outreach", "/outreach")),
        (r"health(?![\w-])", lambda m: ("open Health", "/health")),
    )
)
# Any other command is one only the terminal runs: it is kept as code, its words and flags.
_COMMAND = re.compile(rf"moneyprinter(?:\s+[a-z][\w-]*){{1,2}}{_FLAGS}")


_QUOTES = ("'", '"', "`")
_RUN = re.compile(r"\brun(?::\s*|\s+)$")


def parts(text: str) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, link): prose (link None), a command a page replaces (link set), or a
    command kept for the terminal (link "")."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for found in re.finditer(r"moneyprinter\s+[a-z]", text):
        start = found.start()
        if start < at:
            continue
        piece, link, end = _translate(text, start)
        if end == start:
            continue
        prose = text[at:start]
        if prose[-1:] in _QUOTES and text[end:end + 1] == prose[-1]:  # 'moneyprinter ...': the quotes go with it
            prose, end = prose[:-1], end + 1
        if link:  # "run: <a>publish item 12</a>" says it twice: the link is the action
            prose = _RUN.sub("", prose)
        if prose:
            out.append((prose, None))
        out.append((piece, link))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


def _translate(text: str, start: int) -> tuple[str, str, int]:
    for pattern, build in RULES:
        match = pattern.match(text, start)
        if match:
            label, href = build(match)
            return label, href, match.end()
    match = _COMMAND.match(text, start)
    return (match.group(0), "", match.end()) if match else ("", "", start)


def web_hint(text: str | None) -> Markup:
    """The hint as HTML: links where a page does it, ``<code>`` for what stays in the terminal."""
    if not text:
        return Markup("")
    html = []
    for piece, link in parts(str(text)):
        if link is None:
            html.append(escape(piece))
        elif link:
            html.append(Markup('<a class="fix-link" href="{}">{}</a>').format(link, piece))
        else:
            html.append(Markup('<code class="cli">{}</code>').format(piece))
    return Markup("").join(html)
