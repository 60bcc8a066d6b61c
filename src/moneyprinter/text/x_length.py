"""X's weighted post length (twitter-text v3 rules), without a network call.

X does not count characters: it counts weights. Per twitter-text's v3 configuration
(``config/v3.json``): text is NFC-normalized; code points in a few ranges (Latin, Greek,
Cyrillic, Hebrew, Arabic, ... and some punctuation) weigh 1; everything else (CJK, most
symbols) weighs 2; an emoji sequence (with skin tones, ZWJ joins, flags, keycaps) weighs 2
as a whole; every URL weighs 23, however long, because X rewrites it to a t.co link.
A post is valid when its weighted length is between 1 and 280.

URL detection follows twitter-text's rules closely enough for posts we write: ``http(s)://``
URLs with a valid host, and scheme-less ``domain.tld`` with a known top-level domain. Host
labels longer than 63 characters (after punycode) or starting/ending with '-' are not URLs.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

from moneyprinter.errors import UsageError

MAX_WEIGHTED_LENGTH = 280
URL_LENGTH = 23
_SCALE = 100
_DEFAULT_WEIGHT = 200
_RANGES = ((0, 4351, 100), (8192, 8205, 100), (8208, 8223, 100), (8242, 8247, 100))

# --- emoji sequences ----------------------------------------------------------------------
_BASE = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2300-\u23FF\u2B00-\u2BFF\u3030\u303D\u3297\u3299]"
_MODIFIERS = "(?:\uFE0F|[\U0001F3FB-\U0001F3FF]|\u20E3)*"
_EMOJI = re.compile(
    "[\U0001F1E6-\U0001F1FF]{2}"  # a flag: two regional indicators
    "|\U0001F3F4[\U000E0020-\U000E007F]+"  # a subdivision flag (tag sequence)
    "|[0-9#*]\uFE0F?\u20E3"  # a keycap
    f"|{_BASE}{_MODIFIERS}(?:\u200D{_BASE}{_MODIFIERS})*"  # a base with modifiers and ZWJ joins
)

# --- URLs ---------------------------------------------------------------------------------
# Top-level domains accepted without a scheme: the common generic ones and every two-letter
# country code (twitter-text ships the full IANA list; this subset covers real posts).
_GENERIC_TLDS = frozenset(
    "com net org info biz edu gov mil int io co ai app dev me tv ly gl gg fm to xyz shop store online site "
    "tech blog news link club live life world today page amazon".split()
)
_PUNCT_END = ".,;:!?'\"*"
_WITH_SCHEME = re.compile(r"(?<![\w@$#])https?://[^\s<>\"]+", re.IGNORECASE)
_WITHOUT_SCHEME = re.compile(r"(?<![\w@$#.\-/:%])(?:[a-z0-9_\-]+\.)+[a-z]{2,}(?:[:/?#][^\s<>\"]*)?", re.IGNORECASE)


def _label_ok(label: str, *, allow_underscore: bool) -> bool:
    if not label or label.startswith("-") or label.endswith("-"):
        return False
    if "_" in label and not allow_underscore:
        return False
    if not label.isascii():
        if "%" in label:
            return False
        try:
            label = "xn--" + label.encode("punycode").decode("ascii")
        except UnicodeError:
            return False
    return len(label) <= 63 and all(ch.isalnum() or ch in "-_" for ch in label)


def _host_ok(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if re.fullmatch(r"[\d.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    labels = host.split(".")
    if len(labels) < 2:
        return False
    # Underscores are tolerated in subdomains, never in the registered domain or the TLD.
    subdomains, registered = labels[:-2], labels[-2:]
    return all(_label_ok(l, allow_underscore=True) for l in subdomains) and all(
        _label_ok(l, allow_underscore=False) for l in registered
    )


def _trim(url: str) -> str:
    """Drop trailing punctuation and an unbalanced closing bracket, as twitter-text does."""
    while url:
        if url[-1] in _PUNCT_END:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _split_authority(rest: str) -> tuple[str, str] | None:
    """``rest`` after the scheme -> (userinfo-free host, remainder) or None when invalid."""
    end = len(rest)
    for i, ch in enumerate(rest):
        if ch in "/?#":
            end = i
            break
    authority, remainder = rest[:end], rest[end:]
    if "@" in authority:
        userinfo, authority = authority.rsplit("@", 1)
        if not re.fullmatch(r"[\w\-.~%!$&'()*+,;=:]+", userinfo):
            return None
    if authority.startswith("["):
        host, _, port = authority.partition("]")
        host += "]"
        port = port[1:] if port.startswith(":") else port
    else:
        host, _, port = authority.partition(":")
    if port and not port.isdigit():
        return None
    return host, remainder


def find_urls(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the URLs X would shorten, in order."""
    spans: list[tuple[int, int]] = []
    for match in _WITH_SCHEME.finditer(text):
        url = _trim(match.group())
        scheme_end = url.index("://") + 3
        parts = _split_authority(url[scheme_end:])
        if parts and _host_ok(parts[0]) and '"' not in parts[1]:
            spans.append((match.start(), match.start() + len(url)))
    for match in _WITHOUT_SCHEME.finditer(text):
        start = match.start()
        if any(s <= start < e for s, e in spans):
            continue
        url = _trim(match.group())
        host = re.split(r"[:/?#]", url, maxsplit=1)[0]
        tld = host.rsplit(".", 1)[-1].lower()
        if (tld in _GENERIC_TLDS or len(tld) == 2) and _host_ok(host):
            spans.append((start, start + len(url)))
    return sorted(spans)


def _char_weight(ch: str) -> int:
    code = ord(ch)
    for low, high, weight in _RANGES:
        if low <= code <= high:
            return weight
    return _DEFAULT_WEIGHT


def weighted_length(text: str) -> int:
    """The length X counts against the 280 limit."""
    text = unicodedata.normalize("NFC", text)
    urls = {start: end for start, end in find_urls(text)}
    emoji = {m.start(): m.end() for m in _EMOJI.finditer(text)}
    total, i = 0, 0
    while i < len(text):
        if i in urls:
            total += URL_LENGTH * _SCALE
            i = urls[i]
        elif i in emoji:
            total += _DEFAULT_WEIGHT
            i = emoji[i]
        else:
            total += _char_weight(text[i])
            i += 1
    return total // _SCALE


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
