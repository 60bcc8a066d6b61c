"""Keywords and keyphrases, without a model.

- ``keywords``/``search_terms``: the words that carry one sentence, for stock-footage search terms
  (stop words out, numbers and long or capitalised words first); ``headline`` (the type over a
  shot) is the sentence's best noun phrase, from ``text.headlines``.
- ``keyphrases``/``tags``/``hashtags``: the keyphrases of a text from YAKE (a statistical keyword
  extractor: no model, no download), for tags, hashtags and the quality gate's on-topic check, so a
  tag is never a stopword ("#what #knows #does #their" was what splitting the topic into words gave).
"""

from __future__ import annotations

import functools
import re

from moneyprinter.text.sentences import stems

STOP_WORDS = frozenset("""
a about above after again against all almost also although always am among an and another any are around as at
be became because become been before being below between both but by can cannot could did do does doing done down
during each either else enough even ever every few for from further get gets got had has have having he her here
hers herself him himself his how however i if in into is it its itself just keep kind know known less let like
made make makes many may maybe me might more most much must my myself near nearly need never new next no nor not
nothing now of off often on once one only or other others our ours out over own part per perhaps quite rather
really right said same say says see seem seems several shall she should show shows since so some something sometimes
still such take than that the their theirs them themselves then there these they thing things this those though
through thus to together too took toward under until up upon us use used uses using very was way ways we well were
what whatever when where whether which while who whole whom whose why will with within without would yet you your
yours yourself called even actually every fact facts here's it's that's there's they're we're you're don't doesn't
didn't isn't aren't wasn't can't won't let's people person thing lot lots
inside outside beneath beyond across along behind beside besides onto towards via amid throughout
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|\d[\d,.%]*")


def words(sentence: str) -> list[str]:
    return [w.strip("'-") for w in _WORD.findall(sentence)]


def keywords(sentence: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` content words of ``sentence``, in spoken order."""
    candidates = []
    for index, word in enumerate(words(sentence)):
        low = word.lower()
        if low in STOP_WORDS or (len(low) < 3 and not low[0].isdigit()):
            continue
        score = len(low) + (6 if low[0].isdigit() else 0) + (3 if word[0].isupper() and index > 0 else 0)
        if low.endswith(("ed", "ing", "ly")) and len(low) > 5:
            score -= 5  # verbs and adverbs say less on screen than the nouns around them
        candidates.append((score, index, word))
    seen: set[str] = set()
    best = []
    for score, index, word in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if word.lower() not in seen:
            seen.add(word.lower())
            best.append((index, word))
    return [w for _, w in sorted(best[:limit])]


def headline(sentence: str, context: tuple[str, ...] | list[str] = ()) -> str:
    """The large type over a shot: the sentence's most telling noun phrase, upper case (``text.headlines``)."""
    from moneyprinter.text.headlines import headline as noun_phrase_headline

    return noun_phrase_headline(sentence, context)


def search_terms(sentence: str, topic: str = "", limit: int = 3) -> str:
    """A stock-footage query: the sentence's strongest words, else the topic's."""
    found = keywords(sentence, limit) or keywords(topic, limit)
    return " ".join(w.lower() for w in found) or "abstract background"


# Words YAKE keeps that say nothing as a tag.
_GENERIC = frozenset(
    "thing things way ways lot lots fact facts kind part time times people today make makes made making get gets "
    "use uses used need needs know knows good great best long true work works matters matter built really "
    "started starting easier simple simpler".split()
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
    return word in stopwords(language) or word in stopwords("en") or word in _GENERIC or word in STOP_WORDS


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
    """Up to ``limit`` hashtags from the texts' keyphrases, single words first (they are what people search).

    In English, a single word the texts only use as a verb or a describing word ('change' in 'octopuses
    change colour', 'faster') goes last: a hashtag names a thing."""
    phrases = tags(*texts, language=language, limit=12)
    things = _noun_words(texts) if _lang(language) == "en" else None

    def order(phrase: str) -> tuple[int, int]:
        single = len(phrase.split()) == 1
        return (1 if single and things is not None and phrase not in things else 0, len(phrase.split()))

    return [hashtag(p) for p in sorted(phrases, key=order)[:limit]]  # stable: keyphrase order within a rank


def _noun_words(texts: tuple[str, ...]) -> set[str]:
    from moneyprinter.text.headlines import noun_phrases  # the lexicon loads on first use
    from moneyprinter.text.sentences import split_sentences

    return {word.lower() for text in texts for sentence in split_sentences(text)
            for phrase in noun_phrases(sentence) for word in phrase}
