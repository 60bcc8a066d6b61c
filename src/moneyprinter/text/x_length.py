"""X's weighted post length and link detection, through twitter-text (``twitter-text-parser``).

X does not count characters: it counts weights, by twitter-text's v3 configuration: text is
NFC-normalized; code points in a few ranges (Latin, Greek, Cyrillic, Hebrew, Arabic, ... and some
punctuation) weigh 1; everything else (CJK, most symbols) weighs 2; an emoji sequence weighs 2 as a
whole; every link weighs 23, however long, because X rewrites it to a t.co link. A post is valid when
its weighted length is between 1 and 280.

Which text is a link is decided by twitter-text's own rules and its complete TLD list, so a bare
``example.museum`` is a link (23) and ``app.js`` is not (6), exactly as X counts them.
"""

from __future__ import annotations

import re


from moneyprinter.errors import UsageError

MAX_WEIGHTED_LENGTH = 280
URL_LENGTH = 23
LINK = "<link>"


def find_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the links X would shorten, in order."""
    from twitter_text import extract_urls_with_indices  # 0.5 s to import: only when text is measured

    return sorted((u["indices"][0], u["indices"][1]) for u in extract_urls_with_indices(text))


def weighted_length(text: str) -> int:
    """The length X counts against the 280 limit."""
    from twitter_text import parse_tweet

    return parse_tweet(text).weightedLength


def normalise_links(text: str) -> str:
    """``text`` with every link (whatever its TLD, or a t.co link X put in its place) replaced by one
    marker and whitespace collapsed: two texts that X would show alike compare equal."""
    out, last = [], 0
    for start, end in find_urls(text):
        out += [text[last:start], LINK]
        last = end
    return re.sub(r"\s+", " ", "".join(out) + text[last:]).strip()


def is_valid_post(text: str, limit: int = MAX_WEIGHTED_LENGTH) -> bool:
    """Non-empty (after trimming whitespace) and within the weighted limit."""
    return bool(text.strip()) and weighted_length(text) <= limit


class PostTooLong(UsageError):
    """The text is over X's weighted limit; it is never cut to fit."""


def check_length(text: str, limit: int = MAX_WEIGHTED_LENGTH) -> int:
    """Return the weighted length, or raise PostTooLong naming how far over it is."""
    if not text.strip():
        raise PostTooLong("the post text is empty", hint="write some text before publishing")
    length = weighted_length(text)
    if length > limit:
        raise PostTooLong(
            f"the post is {length} weighted characters; X allows {limit}",
            hint=f"shorten it by {length - limit} (URLs count 23, CJK characters and emoji 2) - it is never cut automatically",
        )
    return length
