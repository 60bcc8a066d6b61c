"""Text measured as each network measures it, and written in each network's form.

Networks count differently, and the count decides whether a post is accepted:
- X: weighted (``x_length``): most scripts 1, CJK and emoji 2, every link 23; 280.
- Bluesky: graphemes (what a reader sees as one character: an emoji with a skin tone is 1); 300.
- Mastodon: characters, with every link counted as 23 and a mention as its local part; the
  instance's limit (500 unless the instance says otherwise; the account option ``max_characters``).
- Threads: 500 characters; one topic tag per post (a second one is not a tag).
- TikTok: a caption of 2200 UTF-16 code units (TikTok's own unit).
- Instagram: a caption of 2200 characters with at most 30 hashtags.

Nothing here shortens a text: a text over the limit is reported (``problem``), never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import grapheme

from moneyprinter.text.x_length import URL_LENGTH, find_urls, weighted_length

_HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w")  # @user@instance: Mastodon counts '@user'


@dataclass(frozen=True)
class Limit:
    limit: int
    unit: str  # how the network counts, in words
    max_hashtags: int | None = None
    camel_tags: bool = True  # '#OwlFacts' reads better with screen readers; TikTok and Instagram use lowercase


LIMITS = {
    "x": Limit(280, "characters as X counts them (links 23, CJK and emoji 2)"),
    "bluesky": Limit(300, "graphemes"),
    "mastodon": Limit(500, "characters (links count 23)"),
    "threads": Limit(500, "characters", max_hashtags=1),
    "tiktok": Limit(2200, "UTF-16 code units", camel_tags=False),
    "instagram": Limit(2200, "characters", max_hashtags=30, camel_tags=False),
}
MASTODON_DEFAULT = LIMITS["mastodon"].limit


def measure(platform: str, text: str) -> int:
    """The length of ``text`` as ``platform`` counts it."""
    if platform == "x":
        return weighted_length(text)
    if platform == "bluesky":
        return grapheme.length(text)
    if platform == "mastodon":
        return _mastodon_length(text)
    if platform == "tiktok":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def _mastodon_length(text: str) -> int:
    """Mastodon's count: every link is 23 characters, ``@user@instance`` counts as ``@user``."""
    out, last = [], 0
    for start, end in find_urls(text):
        out += [text[last:start], "x" * URL_LENGTH]
        last = end
    rest = _MENTION.sub(lambda m: "@" + m.group(1), "".join(out) + text[last:])
    return grapheme.length(rest)


def hashtags(text: str) -> list[str]:
    return _HASHTAG.findall(text)


def problem(platform: str, text: str, limit: int | None = None) -> str | None:
    """Why ``platform`` would refuse ``text`` (too long, too many hashtags, empty), or None.

    ``limit`` overrides the network's default (a Mastodon instance's own, X's configured limit)."""
    rule = LIMITS.get(platform)
    if rule is None:
        return None
    if not text.strip():
        return "the text is empty"
    limit = limit or rule.limit
    length = measure(platform, text)
    if length > limit:
        return f"the text is {length} {rule.unit}; {_name(platform)} allows {limit}"
    tags = len(hashtags(text))
    if rule.max_hashtags is not None and tags > rule.max_hashtags:
        return f"the text has {tags} hashtags; {_name(platform)} allows {rule.max_hashtags}"
    return None


def hashtag(platform: str, tag: str) -> str:
    """A tag ('owl facts') in the network's form: '#OwlFacts', or '#owlfacts' on TikTok and Instagram."""
    words = re.findall(r"\w+", tag)
    if not words:
        return ""
    rule = LIMITS.get(platform)
    if rule is not None and not rule.camel_tags:
        return "#" + "".join(words).lower()
    if len(words) == 1:
        return "#" + words[0]
    return "#" + "".join(w[:1].upper() + w[1:] for w in words)


def hashtag_line(platform: str, tags: list[str], room: int | None = None) -> str:
    """The tags as one line of hashtags, at most the network's number (``room`` lowers it further)."""
    rule = LIMITS.get(platform)
    caps = [x for x in (rule.max_hashtags if rule else None, room) if x is not None]
    most = min(caps) if caps else None
    seen: list[str] = []
    for tag in tags:
        text = hashtag(platform, tag)
        if text and text.lower() not in (s.lower() for s in seen):
            seen.append(text)
    return " ".join(seen[:most] if most is not None else seen)


def _name(platform: str) -> str:
    return {"x": "X", "bluesky": "Bluesky", "mastodon": "this Mastodon instance", "threads": "Threads",
            "tiktok": "TikTok", "instagram": "Instagram"}.get(platform, platform)
