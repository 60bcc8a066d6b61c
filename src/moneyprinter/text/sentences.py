"""Sentences and words of model output: one splitter and one normaliser for every generator."""

from __future__ import annotations

import re
import unicodedata

from moneyprinter.text.x_length import find_urls

# After . ! ? or an ellipsis (and closing quotes) followed by a space, or after a CJK full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)]*\s+|(?<=[\u3002\uff01\uff1f])\s*")
ABBREVIATIONS = frozenset("dr mr mrs ms st vs etc e.g i.e no approx jr sr prof inc ltd co".split())
# Words a sentence cannot end on: it was cut off ("... and the").
DANGLING = frozenset(
    "and or but the a an to of for with in on at by your my our their its that which because so as from into "
    "than then this these those is are was were be will can".split()
)


def sentences(text: str) -> list[str]:
    """The sentences, each with the punctuation and spacing that followed it, so ''.join() restores the text.

    "Dr. Smith" and "e.g. for taste" stay one sentence: an abbreviation or a lower-case next word
    does not start a new one.
    """
    text = text.strip()
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"[\w.]+$", text[start : match.start() - 1])  # the word before the final '.'
        if text[match.start() - 1] == "." and word and word.group().lower() in ABBREVIATIONS:
            continue
        following = text[match.end() : match.end() + 1]
        if following.islower() and text[match.start() - 1] != "\u2026":
            continue  # "e.g. for taste", "vs. them": not a new sentence
        if match.end() > start:
            parts.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        parts.append(text[start:])
    return parts


def split_sentences(text: str) -> list[str]:
    """The sentences, stripped."""
    return [part.strip() for part in sentences(text) if part.strip()]


def normalize(text: str) -> str:
    """Lower-case words only, without links, hashtag and mention signs: for comparing texts."""
    text = unicodedata.normalize("NFKC", text)
    for start, end in reversed(find_urls(text)):
        text = text[:start] + " " + text[end:]
    text = text.casefold().replace("#", " ").replace("@", " ")
    return " ".join(re.findall(r"\w+", text))


def stems(text: str, *, min_length: int = 4) -> set[str]:
    """Content words cut to 5 letters as a rough stem ("octopuses" meets "octopus")."""
    return {w[:5] for w in normalize(text).split() if len(w) >= min_length}


def ends_complete(sentence: str) -> bool:
    """True when the sentence ends like a finished one: . ! ? (or a CJK stop), not '...' or a dangling word."""
    body = re.sub(r"(?:\s*#\w+)+\s*$", "", sentence.strip()).rstrip("\"'\u201d\u2019) ")
    if not body or body.endswith(("...", "\u2026")):
        return False
    if body[-1] not in ".!?\u3002\uff01\uff1f":
        return False
    words = re.findall(r"[\w']+", body.lower())
    has_word = re.search(r"[^\W\d_]{2}", body)  # "2." alone is a list marker, not a sentence
    return bool(words) and bool(has_word) and words[-1] not in DANGLING
