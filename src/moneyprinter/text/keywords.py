"""The words that carry a sentence: for headlines over a shot and for stock-footage search terms.

No model: stop words out, numbers and long or capitalised words first, order kept as spoken.
Good enough for "Octopuses can change colour in less than a second" -> OCTOPUSES, CHANGE, COLOUR.
"""

from __future__ import annotations

import re

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


def headline(sentence: str, limit: int = 3) -> str:
    """The keywords as the large type over a shot: upper case, one line of up to three words."""
    return " ".join(keywords(sentence, limit)).upper()


def search_terms(sentence: str, topic: str = "", limit: int = 3) -> str:
    """A stock-footage query: the sentence's strongest words, else the topic's."""
    found = keywords(sentence, limit) or keywords(topic, limit)
    return " ".join(w.lower() for w in found) or "abstract background"
