"""Status length as Mastodon counts it (``StatusLengthValidator``): every link with a scheme counts as the
instance's ``characters_reserved_per_url`` (23), a mention ``@user@domain`` as ``@user``, and the rest by
grapheme clusters, so an emoji with a skin tone is one character."""

from __future__ import annotations

import re

import grapheme
from twitter_text import extract_urls_with_indices

URL_LENGTH = 23
_REMOTE_MENTION = re.compile(r"(?<![\w/])(@\w+)@[\w.-]+\w", re.UNICODE)


def status_length(text: str, url_length: int = URL_LENGTH) -> int:
    spans = sorted(u["indices"] for u in extract_urls_with_indices(text, extract_urls_without_protocol=False))
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], "x" * url_length]
        last = end
    countable = _REMOTE_MENTION.sub(r"\1", "".join(out) + text[last:])
    return grapheme.length(countable)
