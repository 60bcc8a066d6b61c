"""Turn a language model's answer into a post: no preamble, no wrapping quotes, few hashtags, never cut mid-sentence.

Small models wrap their answer ("Here's a tweet about coffee: \"...\""), add notes
("(240 characters)"), pile up hashtags and run out of tokens mid-sentence. Each function
here fixes one of those; ``clean_post`` applies them in order.
"""

from __future__ import annotations

import re

from moneyprinter.text.patterns import PLACEHOLDER, is_dangling_pointer, is_fabricated_event, is_meta
from moneyprinter.text.sentences import DANGLING, normalize, sentences
from moneyprinter.text.similarity import is_repeat
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
# A sentence about the post rather than of it: "Here's a sample of how to write the first post in your thread."
_META = re.compile(
    r"^\W*(?:(?:sure|okay|ok|certainly)[!,.]?\s*)?(?:here(?:'s| is| are)|below is)\b[^.!?\n]{0,80}?"
    r"\b(?:tweet|post|thread|pitch|sample|example|version|recommendation)s?\b",
    re.IGNORECASE,
)


def _unquote(text: str) -> str:
    """Quotes around the whole text (not "a" and "b": quotes inside)."""
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        inner = text[1:-1].strip()
        if text[0] in inner:
            break
        text = inner
    return text


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
    return _unquote(text)


def drop_headlines(text: str) -> str:
    """Drop a short line without end punctuation that stands above more text ('The Ultimate Roasthouse
    Brew'): a title the model added, not a sentence. A list's intro ('3 tips:') ends with ':' and stays."""
    lines = text.splitlines()
    kept = [line for i, line in enumerate(lines)
            if not (i + 1 < len(lines) and lines[i + 1].strip() and _is_headline(line))]
    return "\n".join(kept)


def _is_headline(line: str) -> bool:
    stripped = re.sub(r"(?:\s*#\w+)+\s*$", "", line.strip())
    return bool(stripped) and stripped[-1] not in ".!?:;,\u2026\"')" and len(stripped.split()) <= 12 \
        and not re.match(r"^\d+[.)/]", stripped)


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


def drop_stray_quote(text: str) -> str:
    """A lone quote mark left at the start or end (the model opened or closed a quote it never matched)."""
    for mark in ('"', "\u201c", "\u201d"):
        if text.count(mark) % 2 == 1 and (text.startswith(mark) or text.endswith(mark)):
            text = text[1:] if text.startswith(mark) else text[:-1]
    return text.strip()


def tidy_spaces(text: str) -> str:
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.splitlines()]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return re.sub(r" +([.,!?;:])", r"\1", text).strip()


def drop_truncated_tail(text: str) -> str:
    """If the text was cut off (ends in '...' or a dangling word), drop the unfinished sentence."""
    stripped = text.rstrip()
    words = re.findall(r"[\w']+", stripped.lower())
    cut = stripped.endswith(("...", "\u2026")) or (bool(words) and words[-1] in DANGLING and stripped[-1].isalnum())
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
    """Drop sentences about the post ('Here's a sample of ... post ...', 'Your post will be titled'),
    and first-person announcements the model made up ('I'm thrilled to announce ...'), wherever they stand."""
    parts = sentences(text)
    kept = [part for part in parts if not (_META.match(part) or is_meta(part) or is_fabricated_event(part))]
    return text if len(kept) == len(parts) else "".join(kept).strip()


def drop_link_sentences(text: str) -> str:
    """Drop each sentence holding a URL the model made up, and each one pointing at nothing
    ('Download the free chart at today.', 'Read more:'), so no half-sentence is left behind."""
    parts = sentences(text)
    kept = [part for part in parts if not find_urls(part) and not is_dangling_pointer(_without_tags(part))]
    return text if len(kept) == len(parts) else tidy_spaces("".join(kept))


def _without_tags(sentence: str) -> str:
    return re.sub(r"(?:\s*#\w+)+\s*$", "", sentence)


def drop_repeats_within(text: str) -> str:
    """A sentence said twice (or nearly) in one text keeps its first occurrence only."""
    seen: set[str] = set()
    kept = []
    for part in sentences(text):
        key = normalize(part)
        if key and is_repeat(key, seen, threshold=0.8):
            continue
        seen.add(key)
        kept.append(part)
    return "".join(kept).strip()


def drop_copied_context(text: str, context: list[str], *, run: int = 5) -> str:
    """Drop sentences that copy ``run`` or more words in a row from the prompt's context (the earlier
    posts shown as 'do not repeat', which reach the model cut at a length and reappear mid-word)."""
    shingles = {tuple(words[i : i + run]) for line in context for words in [normalize(line).split()]
                for i in range(len(words) - run + 1)}
    if not shingles:
        return text
    kept = []
    for part in sentences(text):
        words = normalize(part).split()
        if not any(tuple(words[i : i + run]) in shingles for i in range(len(words) - run + 1)):
            kept.append(part)
    return "".join(kept).strip()


def drop_placeholders(text: str) -> str:
    """Drop the sentences holding an unfilled template slot such as '[address]'."""
    if not PLACEHOLDER.search(text):
        return text
    return "".join(part for part in sentences(text) if not PLACEHOLDER.search(part)).strip()


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
    text = drop_headlines(text)
    text = drop_meta_sentences(text)
    text = cap_hashtags(text, max_hashtags)
    text = drop_truncated_tail(text)
    text = drop_placeholders(text)
    text = drop_link_sentences(text)
    text = drop_repeats_within(text)
    text = _unquote(drop_stray_quote(text))  # what was dropped may have left quotes around the rest
    if not re.search(r"[^\W\d_]{2}", re.sub(r"#\w+", "", text)):
        return ""  # only hashtags or symbols are left
    return fit(tidy_spaces(text), limit)
