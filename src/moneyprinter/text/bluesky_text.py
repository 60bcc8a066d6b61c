"""Post text as Bluesky reads it: length in graphemes, and the links, mentions and hashtags in it as
UTF-8 byte ranges (the ``index`` of an ``app.bsky.richtext.facet``).

Bluesky counts what a reader sees as one character (a grapheme: an emoji with its skin tone or
a family of four is one), up to 300 per post. Facet offsets count bytes of the UTF-8 text, never
Python string positions: 'café @a.bsky.social' puts the mention at bytes 6-20, not 5-19.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import grapheme

MAX_GRAPHEMES = 300
MAX_TAG_GRAPHEMES = 64  # app.bsky.richtext.facet#tag

# The handle syntax of the AT Protocol spec (atproto.com/specs/handle), after '@' at a word start.
_MENTION = re.compile(r"(?:^|(?<=[\s(]))@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
                      r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)\b")
_LINK = re.compile(r"(?:^|(?<=[\s(]))(https?://\S+)", re.IGNORECASE)
# A hashtag: '#' at a word start, then a word that is not only digits (as the Bluesky app detects them).
_TAG = re.compile(r"(?:^|(?<=\s))[#＃]((?!\ufe0f)[^\s\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2]+)")
_TRAILING = re.compile(r"[.,;:!?'\"]+$")


@dataclass(frozen=True)
class Span:
    """One facet's place and meaning: ``kind`` is link, mention or tag; ``value`` the URI, handle or tag."""

    kind: str
    start: int  # byte offset in the UTF-8 text, inclusive
    end: int  # exclusive
    value: str


def grapheme_length(text: str) -> int:
    return grapheme.length(text)


def find_spans(text: str) -> list[Span]:
    """Every link, mention and hashtag, in text order; overlapping ones (a '#' inside a URL) are dropped."""
    spans = [*_links(text), *_mentions(text), *_tags(text)]
    spans.sort(key=lambda s: (s.start, -s.end))
    kept: list[Span] = []
    for span in spans:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def _byte_range(text: str, start: int, end: int) -> tuple[int, int]:
    head = len(text[:start].encode("utf-8"))
    return head, head + len(text[start:end].encode("utf-8"))


def _links(text: str) -> list[Span]:
    out = []
    for match in _LINK.finditer(text):
        uri = _TRAILING.sub("", match.group(1))
        if uri.endswith(")") and "(" not in uri:  # '(see https://x.y/z)': the bracket is prose
            uri = uri[:-1]
        start = match.start(1)
        out.append(Span("link", *_byte_range(text, start, start + len(uri)), uri))
    return out


def _mentions(text: str) -> list[Span]:
    return [Span("mention", *_byte_range(text, m.start(), m.end()), m.group(1).lower())
            for m in _MENTION.finditer(text)]


def _tags(text: str) -> list[Span]:
    out = []
    for match in _TAG.finditer(text):
        tag = _strip_punctuation(match.group(1))
        if not tag or tag.isdigit() or grapheme.length(tag) > MAX_TAG_GRAPHEMES:
            continue
        start = match.start()
        out.append(Span("tag", *_byte_range(text, start, start + 1 + len(tag)), tag))
    return out


def _strip_punctuation(word: str) -> str:
    """Trailing punctuation (Unicode category P*) ends a tag: '#owls!' tags 'owls'."""
    while word and unicodedata.category(word[-1]).startswith("P"):
        word = word[:-1]
    return word


def hashtag(word: str) -> str:
    """'Deep sea' -> '#DeepSea': a tag as Bluesky links it (letters and digits, no spaces)."""
    parts = re.findall(r"\w+", word)
    joined = "".join(p[:1].upper() + p[1:] if len(parts) > 1 else p for p in parts)
    return f"#{joined}" if joined and not joined.isdigit() else ""
