"""Turn a language model's answer into a post: no preamble, no wrapping quotes, few hashtags, never cut mid-sentence.

Small models wrap their answer ("Here's a tweet about coffee: \"...\""), add notes
("(240 characters)"), pile up hashtags and run out of tokens mid-sentence. Each function
here fixes one of those; ``clean_post`` applies them in order.
"""

from __future__ import annotations

import re

from moneyprinter.text.similarity import normalize
from moneyprinter.text.x_length import find_urls, weighted_length

_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb", "`": "`"}
# A preamble must talk about the post ("Here's a tweet about coffee:"); "Here's the trick:" is content.
_ABOUT_POST = r"(?:tweet|post|thread|pitch|caption|response|version|recommendation)s?"
_PREAMBLE = re.compile(
    r"^\s*(?:(?:sure|okay|ok|certainly|absolutely|of course)[!,.]?\s*)?"
    rf"(?:here(?:'s| is| are)|below is|this is)\b[^\n:]{{0,60}}?\b{_ABOUT_POST}\b[^\n:]{{0,60}}:\s*",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*(?:tweet|post|x post|x|thread|answer|output|pitch)\s*(?:\d+\s*)?:\s*", re.IGNORECASE)
_NOTE_LINE = re.compile(
    r"^\s*\(?\s*(?:\d+\s*characters?\b|(?:character count|word count|note|hashtags?)\s*[:=]).*$", re.IGNORECASE
)
_PREAMBLE_LINE = re.compile(
    rf"^\s*(?:(?:sure|okay|ok|certainly|absolutely|of course)\b.{{0,100}}|.{{0,100}}\b{_ABOUT_POST}\b.{{0,60}}):\s*$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
# After . ! ? or an ellipsis (and closing quotes) followed by a space, or after a CJK full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)]*\s+|(?<=[\u3002\uff01\uff1f])\s*")
_ABBREVIATIONS = frozenset("dr mr mrs ms st vs etc e.g i.e no approx jr sr prof inc ltd co".split())
# A template slot the model did not fill in: "[address]", "[Your Name]", "[link]".
_PLACEHOLDER = re.compile(r"\[[A-Za-z][\w .'-]{0,30}\]")
# A sentence about the post rather than of it: "Here's a sample of how to write the first post in your thread."
_META = re.compile(
    r"^\W*(?:(?:sure|okay|ok|certainly)[!,.]?\s*)?(?:here(?:'s| is| are)|below is)\b[^.!?\n]{0,80}?"
    r"\b(?:tweet|post|thread|pitch|sample|example|version|recommendation)s?\b",
    re.IGNORECASE,
)
_DANGLING = frozenset("and or but the a an to of for with in on at by your my our that which because so".split())


def strip_wrapping(text: str) -> str:
    """Remove a preamble line, a 'Tweet:' label, code fences and quotes around the whole text."""
    text = text.strip().strip("`").strip()
    lines = text.splitlines()
    if len(lines) > 1 and _PREAMBLE_LINE.match(lines[0]):
        lines = lines[1:]  # "Here's a tweet about X:" on its own line (but "3 tips:" is content)
    text = "\n".join(lines).strip()
    text = _PREAMBLE.sub("", text, count=1)
    text = _LABEL.sub("", text, count=1).strip()
    text = re.sub(r"^(?:[-*\u2022]|\d{1,2}[.)/](?:\d{1,2}\b)?)\s+", "", text)  # a list marker; threads are numbered by us
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        inner = text[1:-1].strip()
        if text[0] in inner:  # "a" and "b": quotes inside, not around
            break
        text = inner
    return text


def drop_notes(text: str) -> str:
    """Remove lines that talk about the post instead of being it, e.g. '(270 characters)'."""
    kept = [line for line in text.splitlines() if not _NOTE_LINE.match(line)]
    text = "\n".join(kept)
    return re.sub(r"\s*\((?:\d+|about \d+)\s*characters?\)\s*$", "", text, flags=re.IGNORECASE)


def cap_hashtags(text: str, maximum: int) -> str:
    """Keep the first ``maximum`` distinct hashtags; drop repeats and the rest."""
    seen: set[str] = set()
    kept = 0

    def replace(match: re.Match) -> str:
        nonlocal kept
        tag = match.group(1).lower()
        if tag in seen or kept >= maximum:
            return ""
        seen.add(tag)
        kept += 1
        return match.group(0)

    text = _HASHTAG.sub(replace, text)
    return tidy_spaces(text)


def tidy_spaces(text: str) -> str:
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.splitlines()]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return re.sub(r" +([.,!?;:])", r"\1", text).strip()


def sentences(text: str) -> list[str]:
    """The sentences, each with the punctuation and spacing that followed it, so ''.join() restores the text."""
    text = text.strip()
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"[\w.]+$", text[start : match.start() - 1])  # the word before the final '.'
        if text[match.start() - 1] == "." and word and word.group().lower() in _ABBREVIATIONS:
            continue  # "Dr. Smith" is one sentence
        if match.end() > start:
            parts.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        parts.append(text[start:])
    return parts


def drop_truncated_tail(text: str) -> str:
    """If the text was cut off (ends in '...' or a dangling word), drop the unfinished sentence."""
    stripped = text.rstrip()
    words = re.findall(r"[\w']+", stripped.lower())
    cut = stripped.endswith(("...", "\u2026")) or (bool(words) and words[-1] in _DANGLING and stripped[-1].isalnum())
    if not cut:
        return text
    parts = sentences(stripped)
    if len(parts) > 1:
        return "".join(parts[:-1]).strip()
    return stripped.rstrip(".\u2026 ").strip() if stripped.endswith(("...", "\u2026")) else ""


def fit(text: str, limit: int) -> str:
    """Drop whole sentences from the end until the text fits ``limit``; '' when even one does not.

    Trailing hashtags stay attached to the end. Never cuts inside a sentence.
    """
    if weighted_length(text) <= limit:
        return text
    body, tags = split_trailing_hashtags(text)
    parts = sentences(body)
    while parts:
        candidate = "".join(parts).strip() + (" " + tags if tags else "")
        if weighted_length(candidate) <= limit:
            return candidate.strip()
        if tags:  # first give up the hashtags, then sentences
            tags = ""
            continue
        parts.pop()
    return ""


def split_trailing_hashtags(text: str) -> tuple[str, str]:
    match = re.search(r"(?:\s*#\w+)+\s*$", text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip(), " ".join(match.group().split())


def remove_urls(text: str) -> str:
    """Drop any URL the model made up (pitches append the real link themselves)."""
    for start, end in reversed(find_urls(text)):
        text = text[:start] + text[end:]
    return tidy_spaces(text)


def drop_meta_sentences(text: str) -> str:
    """Drop sentences that talk about the post ('Here's a sample of ... post ...') wherever they stand."""
    parts = sentences(text)
    kept = [part for part in parts if not _META.match(part)]
    return text if len(kept) == len(parts) else "".join(kept).strip()


def drop_placeholders(text: str) -> str:
    """Drop the sentences holding an unfilled template slot such as '[address]'."""
    if not _PLACEHOLDER.search(text):
        return text
    return "".join(part for part in sentences(text) if not _PLACEHOLDER.search(part)).strip()


def drop_thread_markers(text: str, count: int) -> str:
    """Remove numbering the model copied from the thread ('1/3' at a line end, a bare '2.' line); we number it."""
    # "n/N" on its own, unless a lowercase word follows: "1/3 The next tip" is a marker, "1/3 cup" is not.
    text = re.sub(rf"(?<![\w/])\(?[1-{count}]/{count}\)?(?![\w/.,;:!?%])(?![ \t]+[a-z])[ \t]*", "", text)
    text = re.sub(rf"(?m)^[ \t]*\(?\d{{1,2}}(?:/{count})?[.):]?\)?[ \t]*$", "", text)
    return tidy_spaces(text)


def drop_repeated_sentences(text: str, earlier: list[str]) -> str:
    """Drop sentences that an earlier post of the same thread already says."""
    said = {normalize(part) for post in earlier for part in sentences(post)}
    kept = [part for part in sentences(text) if normalize(part) not in said]
    return "".join(kept).strip()


def clean_post(raw: str, *, max_hashtags: int, limit: int) -> str:
    """The whole cleanup; '' when nothing usable is left (the caller then asks again)."""
    text = strip_wrapping(raw)
    text = drop_notes(text)
    text = strip_wrapping(text)
    text = drop_meta_sentences(text)
    text = cap_hashtags(text, max_hashtags)
    text = drop_truncated_tail(text)
    text = drop_placeholders(text)
    return fit(tidy_spaces(text), limit)
