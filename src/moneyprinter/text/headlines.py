"""The on-screen headline of a scene: the most telling noun phrase of its sentence.

A headline is a phrase the sentence really says ("SUGARY LIQUID", "GREAT WALL OF CHINA"), never
a bag of words picked from all over it ("NECTAR FLOWERS PRODUCE") nor a verb phrase. YAKE,
which makes the tags, ranks verb phrases first on one sentence ("bees carry", "flowers
produce"), so the phrases here come from word classes instead: lemminflect's English lexicon
says which classes a word can have, a few context rules settle the ambiguous ones ("fan" is a
verb in "bees fan their wings"), and the noun phrases are ranked by how specific their words
are to this sentence within the script (a word every sentence says is the topic, not the scene).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence

from moneyprinter.text.keywords import STOP_WORDS

MAX_CONTENT_WORDS = 3
MAX_CHARS = 24  # one line of display type inside the safe area (the renderer shrinks it if needed)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,/]\d+)*%?|[.,;:!?()\"—–]")
_CONNECTORS = frozenset({"of", "and"})
_DETERMINERS = frozenset("""a an the this that these those their its his her our your my each every some any no
many much more most few several all both such what which whose""".split())
_SUBJECT_PRONOUNS = frozenset("i you we they he she it who that which".split())
_BEFORE_VERB = frozenset("to will would can could should may might must do does did not never also often always "
                         "usually still just really".split())
_OBJECT_PRONOUNS = frozenset("them it him her us me you".split())
_COPULAS = frozenset("is are was were be been being becomes become became seem seems seemed stays stay not less more "
                     "very so too quite".split())
_PARTICLES = frozenset("back away forward apart ahead aside home".split())  # "carry nectar back"
_WEAK = frozenset("little certain various different other same whole real true good bad first last next least less"
                  .split())  # "too little water"
_NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million
billion trillion""".split())
# Nouns that name nothing you could show ("the fact", "the way", "a lot").
_EMPTY_NOUNS = frozenset("""thing things way ways lot lots fact facts kind kinds part parts time times bit bits
number numbers amount amounts reason reasons something anything everything nothing one ones""".split())


@functools.lru_cache(maxsize=4096)
def _classes(word: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    return frozenset(getAllLemmas(word.lower()))


class _Token:
    __slots__ = ("text", "low", "role")

    def __init__(self, text: str) -> None:
        self.text, self.low, self.role = text, text.lower(), ""

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _roles(tokens: list[_Token]) -> None:
    """Each token's role: ``noun``, ``mod`` (may stand before a noun), ``link`` (of/and) or ``break``."""
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        coordinated = i >= 2 and tokens[i - 2].low == "and" and prev.role == "noun"  # "coffee and tea count"
        tok.role = _role(tok, prev, nxt, first=i == 0 or not (prev and prev.is_word) and i <= 1,
                         coordinated=coordinated)
    for i, tok in enumerate(tokens):  # "glucose and fructose", "cap of beeswax"; not "hearts and blue blood"
        if tok.role == "link":
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            joins = prev is not None and nxt is not None and nxt.role == "noun" and not nxt.low.endswith("ing")
            if tok.low == "and":  # two single nouns: a name or a longer phrase on either side is a list
                before = tokens[i - 2].role if i >= 2 else "break"
                after = tokens[i + 2].role if i + 2 < len(tokens) else "break"
                joins = joins and prev.role == "noun" and before not in ("noun", "mod") and after not in ("noun", "mod")
            tok.role = "link" if joins else "break"


def _role(tok: _Token, prev: _Token | None, nxt: _Token | None, first: bool, coordinated: bool = False) -> str:
    if not tok.is_word:
        return "break"
    if tok.low in _CONNECTORS:
        return "link"
    if tok.text.endswith("%"):
        return "noun"  # "300%" says it all
    if tok.text[0].isdigit() or tok.low in _NUMBER_WORDS:
        return "mod"
    classes = _classes(tok.text)
    named = tok.text[0].isupper() and not first and tok.low not in _DETERMINERS | _SUBJECT_PRONOUNS
    if named and len(tok.low) > 1 and not (classes - {"PROPN"}) & {"VERB", "ADV"}:
        return "noun"  # a name, even one made of common words: Venus, Milky Way, Great Wall
    if len(tok.low) < 3 or any(tok.low in words for words in (STOP_WORDS, _DETERMINERS, _PARTICLES, _WEAK)):
        return "break"
    if tok.low.endswith(("ible", "able")):
        classes = frozenset({"ADJ"})
    if prev is not None and prev.low in _COPULAS and ("ADJ" in classes or (
            "VERB" in classes and tok.low.endswith(("ed", "en", "ght")))):
        return "break"  # "the honey is thick", "are thought to": said of the noun, not a name for something
    if not classes:
        return "noun" if tok.text[0].isupper() else "mod" if tok.low.endswith(("ous", "ful", "ic", "al")) else "noun"
    nominal = classes & {"NOUN", "PROPN"}
    if "VERB" in classes and _used_as_verb(tok, prev, nxt, nominal, coordinated):
        return "break"
    if nominal and "ADJ" in classes and nxt is not None and _can_be_noun(nxt):
        return "mod"  # "special stomach", "little water"
    if nominal:
        return "noun"
    if "ADJ" in classes or _participle_before_noun(tok, nxt):
        return "mod"
    return "break"


def _used_as_verb(tok: _Token, prev: _Token | None, nxt: _Token | None, nominal, coordinated: bool) -> bool:
    if not nominal:  # only a verb ("carry", "evaporate"), unless it is a participle before a noun ("sealed honey")
        return not _participle_before_noun(tok, nxt)
    if prev is not None and (prev.low in _BEFORE_VERB or prev.low in _SUBJECT_PRONOUNS):
        return True  # "to fan", "they seal"
    if nxt is not None and (nxt.low in _DETERMINERS or nxt.low in _OBJECT_PRONOUNS):
        return True  # "fan their wings", "seal each cell"
    if prev is None or not prev.is_word:
        return False
    if prev.low.endswith("ly"):
        return True  # "slowly springs"
    # A plural noun then a word that can be a verb is a subject and its verb ("flowers produce", "bees fan"):
    # a noun that modifies another is singular ("honey stomach"). A noun then a verb in -s is one too
    # ("honey keeps", "interest turns").
    return _is_plural_noun(prev.low) or coordinated or (tok.low.endswith("s") and _can_be_noun(prev))


def _can_be_noun(tok: _Token) -> bool:
    return tok.is_word and tok.low not in STOP_WORDS and bool(_classes(tok.text) & {"NOUN", "PROPN"})


def _participle_before_noun(tok: _Token, nxt: _Token | None) -> bool:
    if not tok.low.endswith(("ed", "ing", "en")) or nxt is None or not nxt.is_word:
        return False
    return bool(_classes(nxt.text) & {"NOUN", "PROPN"}) and nxt.low not in STOP_WORDS


def _is_plural_noun(word: str) -> bool:
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word).get("NOUN", ())
    return bool(lemmas) and word.endswith("s") and word not in lemmas


def noun_phrases(sentence: str) -> list[tuple[str, ...]]:
    """Every noun phrase of the sentence with at most three content words, as spoken (words in order)."""
    tokens = [_Token(t) for t in _TOKEN.findall(sentence)]
    _roles(tokens)
    phrases: set[tuple[str, ...]] = set()
    for start, tok in enumerate(tokens):
        if tok.role not in ("noun", "mod"):
            continue
        content = 0
        for end in range(start, len(tokens)):
            role = tokens[end].role
            if role == "break" or (role == "link" and (end == start or tokens[end - 1].role == "link")):
                break
            content += role != "link"
            if content > MAX_CONTENT_WORDS:
                break
            if role == "noun" and not (tokens[end].low in _EMPTY_NOUNS and tokens[end].text.islower()) \
                    and not _coordinated_modifier(tokens[end], tokens[end + 1] if end + 1 < len(tokens) else None):
                phrases.add(tuple(t.text for t in tokens[start:end + 1]))
    return sorted(phrases, key=lambda p: sentence.lower().find(" ".join(p).lower()))


def _coordinated_modifier(tok: _Token, nxt: _Token | None) -> bool:
    """'positive' in 'positive and negative charges': it describes what follows, it is not the thing."""
    return nxt is not None and nxt.low in ("and", "or") and "ADJ" in _classes(tok.text)


def _specificity(context: Sequence[str]):
    """How much a word says about one sentence of the script: rare across the sentences = specific."""
    docs = [set(w.lower() for w in _TOKEN.findall(s)) for s in context]
    total = len(docs)

    def weight(word: str) -> float:
        low = word.lower()
        if not total:
            return 1.0
        df = sum(low in d for d in docs)
        return math.log((total + 1) / (df + 0.5)) / math.log(total + 2)

    return weight


def _score(phrase: tuple[str, ...], weight, opening: str) -> float:
    words = [w for w in phrase if w.lower() not in _CONNECTORS]
    score = 0.0
    for i, word in enumerate(words):
        rare = min(len(word), 10) / 10  # long words are rarer and show better
        named = 0.3 if word[0].isupper() and not (i == 0 and word == opening) else 0.0  # not just the capital
        number = 0.8 if word.endswith("%") else 0.4 if word[0].isdigit() or word.lower() in _NUMBER_WORDS else 0.0
        gerund = 0.5 if word.lower().endswith("ing") else 1.0  # "serving", "resting": an action, not a thing
        score += weight(word) * (0.6 + rare) * gerund + named + number
    return score / len(words) ** 0.6  # a longer phrase must say more per word, not just more words


def headline(sentence: str, context: Sequence[str] = ()) -> str:
    """The sentence's most telling noun phrase in upper case, or "" when it has none worth showing.

    ``context``: the script's sentences, so that what every sentence says (the topic) counts less.
    """
    phrases = [p for p in noun_phrases(sentence) if len(" ".join(p)) <= MAX_CHARS] or noun_phrases(sentence)[:0]
    if not phrases:
        return ""
    weight = _specificity(context)
    opening = next(iter(_TOKEN.findall(sentence)), "")
    best = max(phrases, key=lambda p: (_score(p, weight, opening), -sentence.lower().find(" ".join(p).lower())))
    return " ".join(best).upper()
