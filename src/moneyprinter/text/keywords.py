"""Keyphrases of a text, from YAKE (a statistical keyword extractor: no model, no download).

Tags, hashtags and the gate's on-topic check all come from here, so a tag is never a stopword
("#what #knows #does #their" was what splitting the topic into words gave).
"""

from __future__ import annotations

import functools
import re

from moneyprinter.text.sentences import stems

# Words YAKE keeps that say nothing as a tag.
_GENERIC = frozenset(
    "thing things way ways lot lots fact facts kind part time times people today make makes made making get gets "
    "use uses used need needs know knows good great best long true work works matters matter built really".split()
)


@functools.lru_cache(maxsize=8)
def _extractor(language: str, n: int, top: int):
    import yake

    return yake.KeywordExtractor(lan=language, n=n, top=top, dedupLim=0.7)


@functools.lru_cache(maxsize=4)
def stopwords(language: str = "en") -> frozenset[str]:
    """YAKE's stopword list of the language (English when it has none)."""
    return frozenset(_extractor(_lang(language), 1, 1).stopword_set)


def _lang(language: str) -> str:
    return (language or "en").split("-")[0].lower()


def is_stopword(word: str, language: str = "en") -> bool:
    word = word.lower().strip("#")
    return word in stopwords(language) or word in stopwords("en") or word in _GENERIC


def keyphrases(text: str, *, language: str = "en", top: int = 8, max_words: int = 2) -> list[str]:
    """The text's keyphrases, best first, lower-case; never a stopword, a number or a one-letter word."""
    if not text.strip():
        return []
    found = _extractor(_lang(language), max_words, top * 2).extract_keywords(text)
    phrases: list[str] = []
    for phrase, _score in found:
        words = phrase.lower().split()
        if not words or any(len(w) < 3 or w.isdigit() for w in words):
            continue
        if is_stopword(words[0], language) or is_stopword(words[-1], language):
            continue
        phrase = " ".join(words)
        if phrase not in phrases:
            phrases.append(phrase)
    return phrases[:top]


def tags(*texts: str, language: str = "en", limit: int = 8) -> list[str]:
    """Tags for a video: keyphrases of the texts in order of the texts (the topic first), no duplicates."""
    found: list[str] = []
    seen_stems: set[str] = set()
    for text in texts:
        for phrase in keyphrases(text, language=language, top=limit):
            key = " ".join(sorted(stems(phrase, min_length=3)))
            if key and key not in seen_stems:
                seen_stems.add(key)
                found.append(phrase)
    return found[:limit]


def hashtag(phrase: str) -> str:
    """'octopus colour' -> '#OctopusColour'; one word stays lower-case ('#octopus')."""
    words = re.findall(r"[^\W_]+", phrase)
    if len(words) == 1:
        return "#" + words[0].lower()
    return "#" + "".join(w[:1].upper() + w[1:].lower() for w in words)


def hashtags(*texts: str, language: str = "en", limit: int = 3) -> list[str]:
    """Up to ``limit`` hashtags from the texts' keyphrases, single words first (they are what people search)."""
    phrases = tags(*texts, language=language, limit=12)
    ordered = sorted(phrases, key=lambda p: len(p.split()))  # stable: keeps the keyphrase order within a length
    return [hashtag(p) for p in ordered[:limit]]
