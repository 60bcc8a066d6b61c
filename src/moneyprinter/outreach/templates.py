"""Jinja2 message templates: a subject, a text part and an optional HTML part.

A misspelt variable is an error at preview time. An empty field (a business without a city) is
treated as undefined, never printed as a blank: ``{% if business.city %}`` is how a template says
"only when known"; a field printed without such a test makes that business skipped, with the
missing fields named. The compliance footer is added by code after rendering, so no template can
leave it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2

from moneyprinter.errors import UsageError
from moneyprinter.text import gate


class Fields(dict):
    """One template namespace (``business``, ...) without its empty values, remembering which were
    empty and which of those the template tried to print."""

    def __init__(self, prefix: str, values: dict) -> None:
        super().__init__({k: v for k, v in values.items() if not _empty(v)})
        self.prefix = prefix
        self.empty = {k for k, v in values.items() if _empty(v)}
        self.printed_empty: set[str] = set()


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Undefined(jinja2.StrictUndefined):
    """Strict, except that a test like ``{% if x %}`` is false, and printing an empty field is recorded
    (the business is then skipped) instead of raising."""

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        owner = self._undefined_obj
        if isinstance(owner, Fields) and self._undefined_name in owner.empty:
            owner.printed_empty.add(self._undefined_name)
            return ""
        return self._fail_with_undefined_error()


_env_text = jinja2.Environment(undefined=_Undefined, autoescape=False, keep_trailing_newline=True)
_env_html = jinja2.Environment(undefined=_Undefined, autoescape=True, keep_trailing_newline=True)

DECEPTIVE_SUBJECT = re.compile(r"^\s*(re|fwd?|aw|wg)\s*:", re.I)


@dataclass
class Rendered:
    subject: str
    text: str
    html: str


class TemplateProblem(UsageError):
    """A template does not compile or uses a variable the data does not have."""


class MissingFields(Exception):
    """The template prints fields this business has empty: it is skipped, with the fields named."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


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


def namespaces(context: dict[str, dict]) -> dict[str, Fields]:
    return {name: Fields(name, values) for name, values in context.items()}


def render(subject: str, text: str, html: str, context: dict, *, who: str = "a business") -> Rendered:
    """Raises ``MissingFields`` when the template prints a field that is empty for this business."""
    context = namespaces(context)
    try:
        rendered = _render_all(subject, text, html, context, who)
    except TemplateProblem:
        if not _printed_empty(context):  # else the problem is the blank (e.g. a subject of only the city)
            raise
        rendered = None
    missing = _printed_empty(context)
    if missing:
        raise MissingFields(missing)
    return rendered


def _printed_empty(context: dict[str, Fields]) -> list[str]:
    return sorted(f"{ns.prefix}.{name}" for ns in context.values() for name in ns.printed_empty)


def _render_all(subject: str, text: str, html: str, context: dict, who: str) -> Rendered:
    out_subject = " ".join(_render(_env_text, "subject", subject, context, who).split())
    if not out_subject:
        raise TemplateProblem(f"subject template for {who}: renders empty")
    _refuse_deceptive(out_subject)  # also when a variable put the prefix there
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


def _refuse_deceptive(subject: str) -> None:
    if DECEPTIVE_SUBJECT.match(subject):
        raise TemplateProblem(
            f"subject '{subject}' pretends to be a reply or forward",
            hint="CAN-SPAM forbids deceptive subjects; remove the Re:/Fwd: prefix",
        )


def check_syntax(subject: str, text: str, html: str) -> None:
    """Checked when a campaign is saved: the templates compile and the subject is not a fake Re:/Fwd:."""
    _refuse_deceptive(subject)
    for part, source, env in (("subject", subject, _env_text), ("text", text, _env_text), ("HTML", html, _env_html)):
        try:
            env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(f"{part} template, line {exc.lineno}: {exc.message}") from None
