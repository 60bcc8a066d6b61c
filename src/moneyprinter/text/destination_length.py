"""Text measured as each network measures it, and written in each network's form.

Networks count differently, and the count decides whether a post is accepted:
- X: weighted (``x_length``): most scripts 1, CJK and emoji 2, every link 23; 280.
- Bluesky: graphemes (what a reader sees as one character: an emoji with a skin tone is 1); 300.
- Mastodon: characters, with every link counted as 23 and a mention as its local part; the
  instance's limit (500 unless the instance says otherwise; the account option ``max_characters``).
- Threads: 500 characters, an emoji counted as its UTF-8 bytes (Meta's rule); one topic tag per post,
  so a Short's caption carries one.
- TikTok: a caption of 2200 UTF-16 code units (TikTok's own unit).
- Instagram: a caption of 2200 characters with at most 30 hashtags.

Nothing here shortens a text: a text over the limit is reported (``problem``), never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import grapheme

from moneyprinter.text.mastodon_length import URL_LENGTH, status_length
from moneyprinter.text.x_length import weighted_length

_HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
_ANY_MENTION = re.compile(r"(?<![\w.])@\w[\w.]*")  # '@name' as Instagram counts mentions


@dataclass(frozen=True)
class Limit:
    limit: int
    unit: str  # how the network counts, in words
    max_hashtags: int | None = None  # more are refused by the network
    max_mentions: int | None = None
    caption_tags: int = 5  # how many of a Short's tags its caption carries
    camel_tags: bool = True  # '#OwlFacts' reads better with screen readers; TikTok and Instagram use lowercase
    noun: str = "text"  # what the network calls it in its own rules


LIMITS = {
    "x": Limit(280, "characters as X counts them (links 23, CJK and emoji 2)"),
    "bluesky": Limit(300, "graphemes"),
    "mastodon": Limit(500, "characters (links count {url_length})"),
    "threads": Limit(500, "characters (an emoji counts its UTF-8 bytes)", caption_tags=1),
    "tiktok": Limit(2200, "UTF-16 code units", camel_tags=False, noun="caption"),
    "instagram": Limit(2200, "characters", max_hashtags=30, max_mentions=20, caption_tags=30, camel_tags=False,
                       noun="caption"),
}
MASTODON_DEFAULT = LIMITS["mastodon"].limit


def measure(platform: str, text: str, *, url_length: int = URL_LENGTH) -> int:
    """The length of ``text`` as ``platform`` counts it (``url_length``: what a Mastodon instance counts a link)."""
    if platform == "x":
        return weighted_length(text)
    if platform == "bluesky":
        return grapheme.length(text)
    if platform == "mastodon":
        return status_length(text, url_length)  # the Mastodon publisher measures with this same function
    if platform == "tiktok":
        return len(text.encode("utf-16-le")) // 2
    if platform == "threads":
        return sum(len(ch.encode("utf-8")) if _is_emoji_part(ch) else 1 for ch in text)
    return len(text)


def _is_emoji_part(ch: str) -> bool:
    """A code point of an emoji sequence (pictographs, symbols, skin tones, joiners, selectors, flags' tags)."""
    code = ord(ch)
    return (0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or code in (0x200D, 0xFE0F)
            or 0xE0020 <= code <= 0xE007F)


def hashtags(text: str) -> list[str]:
    return _HASHTAG.findall(text)


def problem(platform: str, text: str, limit: int | None = None, *, url_length: int = URL_LENGTH) -> str | None:
    """Why ``platform`` would refuse ``text`` (too long, too many hashtags, empty), or None.

    ``limit`` overrides the network's default (a Mastodon instance's own, X's configured limit);
    ``url_length`` is what a Mastodon instance counts a link as."""
    rule = LIMITS.get(platform)
    if rule is None:
        return None
    if not text.strip():
        return f"the {rule.noun} is empty"
    limit = limit or rule.limit
    length = measure(platform, text, url_length=url_length)
    if length > limit:
        unit = rule.unit.format(url_length=url_length)
        return f"the {rule.noun} is {length} {unit}; {_name(platform)} allows {limit}"
    tags = len(hashtags(text))
    if rule.max_hashtags is not None and tags > rule.max_hashtags:
        return f"the {rule.noun} has {tags} hashtags; {_name(platform)} allows {rule.max_hashtags}"
    mentions = len(_ANY_MENTION.findall(text))
    if rule.max_mentions is not None and mentions > rule.max_mentions:
        return f"the {rule.noun} mentions {mentions} accounts (@); {_name(platform)} allows {rule.max_mentions}"
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


def hashtag_line(platform: str, tags: list[str]) -> str:
    """A Short's tags as one line of hashtags in the network's form, as many as its caption carries."""
    rule = LIMITS.get(platform)
    most = rule.caption_tags if rule else None
    seen: list[str] = []
    for tag in tags:
        text = hashtag(platform, tag)
        if text and text.lower() not in (s.lower() for s in seen):
            seen.append(text)
    return " ".join(seen[:most] if most is not None else seen)


def _name(platform: str) -> str:
    return {"x": "X", "bluesky": "Bluesky", "mastodon": "this Mastodon instance", "threads": "Threads",
            "tiktok": "TikTok", "instagram": "Instagram"}.get(platform, platform)
