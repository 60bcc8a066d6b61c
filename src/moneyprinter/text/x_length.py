"""X's weighted post length (twitter-text v3 rules), so oversized posts are refused before sending.

- Text is NFC-normalised, then counted per code point: code points in the light ranges
  (Latin, Greek, Cyrillic, Hebrew, Arabic... up to U+10FF, and some punctuation) weigh 1,
  everything else (CJK, most symbols) weighs 2.
- Every URL counts as 23, however long (X shortens it with t.co).
- Every emoji, including ZWJ sequences, flags and skin tones, counts as 2.
- The limit is 280.

URL detection covers ``http(s)://...``, ``www....`` and bare domains with common TLDs; it is
a close approximation of twitter-text's full TLD list, erring on counting more, never less.
"""

from __future__ import annotations

import re
import unicodedata

from moneyprinter.errors import UsageError

MAX_WEIGHTED_LENGTH = 280
URL_WEIGHT = 23
_SCALE = 100
_DEFAULT_WEIGHT = 200
_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

_TLDS = (
    "com|org|net|edu|gov|io|co|dev|app|ai|me|ly|gl|info|biz|tv|xyz|shop|store|blog|news|link|site|online|"
    "uk|de|fr|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|ie|us|ca|au|nz|jp|kr|cn|in|br|mx|ru|tr|za|eu|gg|to|fm|so"
)
_URL = re.compile(
    r"(?:https?://[^\s<>\"]+"
    r"|(?<![\w@.\-])(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"\.(?:" + _TLDS + r")\b(?::\d+)?(?:/[^\s<>\"]*)?)",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""
_EMOJI_CORE = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u2190-\u21FF\u3030\u303D\u3297\u3299]"
_EMOJI = re.compile(
    r"[\U0001F1E6-\U0001F1FF]{2}"  # flags
    r"|[0-9#*]\uFE0F?\u20E3"  # keycaps
    r"|" + _EMOJI_CORE + r"[\uFE0F\U0001F3FB-\U0001F3FF]*"
    r"(?:\u200D" + _EMOJI_CORE + r"[\uFE0F\U0001F3FB-\U0001F3FF]*)*"
)


class PostTooLong(UsageError):
    """The text is over X's weighted limit; it is never cut to fit."""


def find_urls(text: str) -> list[str]:
    urls = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url:
            urls.append(url)
    return urls


def _char_weight(char: str) -> int:
    code = ord(char)
    for low, high in _LIGHT_RANGES:
        if low <= code <= high:
            return 100
    return _DEFAULT_WEIGHT


def weighted_length(text: str) -> int:
    """The length X counts for ``text``."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    spans = [(m.start(), m.start() + len(m.group(0).rstrip(_TRAILING)), URL_WEIGHT * _SCALE) for m in _URL.finditer(text)]
    spans += [(m.start(), m.end(), _DEFAULT_WEIGHT) for m in _EMOJI.finditer(text)]
    spans = _non_overlapping(spans)
    for start, end, weight in spans:
        total += sum(_char_weight(c) for c in text[position:start]) + weight
        position = end
    total += sum(_char_weight(c) for c in text[position:])
    return -(-total // _SCALE)  # ceil


def _non_overlapping(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    kept: list[tuple[int, int, int]] = []
    for span in sorted(spans):
        if span[1] <= span[0]:
            continue
        if kept and span[0] < kept[-1][1]:
            continue  # an emoji inside a URL: the URL already counts 23
        kept.append(span)
    return kept


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
