"""Jinja2 message templates: a subject, a text part and an optional HTML part.

``StrictUndefined`` turns a misspelt or missing variable into an error at preview time, so a
sent mail never carries a blank where a name should be. The compliance footer is added by code
after rendering, so no template can leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from moneyprinter.errors import UsageError
from moneyprinter.text import gate

_env_text = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
_env_html = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, keep_trailing_newline=True)

DECEPTIVE_SUBJECT = re.compile(r"^\s*(re|fwd?|aw|wg)\s*:", re.I)


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


class TemplateProblem(UsageError):
    """A template does not compile or uses a variable the data does not have."""


def _render(env: jinja2.Environment, part: str, source: str, context: dict, who: str) -> str:
    try:
        return env.from_string(source).render(**context)
    except jinja2.UndefinedError as exc:
        raise TemplateProblem(
            f"{part} template for {who}: {exc.message}",
            hint="available: business.name/address/city/phone/website/domain/category/email, campaign.*, sender.*",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{part} template, line {exc.lineno}: {exc.message}") from None


def render(subject: str, text: str, html: str, context: dict, *, who: str = "a business") -> Rendered:
    out_subject = " ".join(_render(_env_text, "subject", subject, context, who).split())
    if not out_subject:
        raise TemplateProblem(f"subject template for {who}: renders empty")
    if DECEPTIVE_SUBJECT.match(out_subject):
        raise TemplateProblem(
            f"subject '{out_subject}' pretends to be a reply or forward",
            hint="CAN-SPAM forbids deceptive subjects; remove the Re:/Fwd: prefix",
        )
    out_text = _render(_env_text, "text", text, context, who)
    verdict = gate.check(out_text, gate.Kind.EMAIL)
    if not verdict.passed:
        raise TemplateProblem(f"text template for {who}: " + "; ".join(verdict.reasons()),
                              hint="edit the campaign's text: fill in or remove the placeholder, say each thing once")
    return Rendered(
        subject=out_subject,
        text=out_text,
        html=_render(_env_html, "HTML", html, context, who) if html.strip() else "",
    )


def check_syntax(subject: str, text: str, html: str) -> None:
    for part, source, env in (("subject", subject, _env_text), ("text", text, _env_text), ("HTML", html, _env_html)):
        try:
            env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{part} template, line {exc.lineno}: {exc.message}") from None
