"""Curated facts per niche, for text the bundled local model writes.

A 135M model states falsehoods with confidence, so offline scripts and posts are built from facts
that ship with the project (``text/facts/<niche>.toml``: subjects, each with plain true sentences and
a source to check them). The model only connects or rephrases the chosen facts; ``supporting_fact``
tells whether a sentence it wrote still says what a fact says. A topic that matches no fact set is
written as before, and waits in review.
"""

from __future__ import annotations

import random
from bisect import bisect_left
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from moneyprinter.text.keywords import is_stopword, keyphrases
from moneyprinter.text.sentences import normalize

MIN_FACTS = 3  # fewer relevant facts than this: the topic is not grounded
SUPPORT = 0.8  # share of a sentence's content words that one fact must hold
MAX_NEW = 2  # content words of a sentence that its fact does not have ('actually', 'often')
COVER = 0.6  # share of the fact's content words the sentence must say
MIN_WORDS = 3


@dataclass(frozen=True)
class Fact:
    text: str
    source: str
    subject: str  # the title of the subject it belongs to


@dataclass(frozen=True)
class Subject:
    title: str
    facts: tuple[Fact, ...]
    hook: str = ""  # a true opening line for a Short about the subject
    myth: str = ""  # a common belief the facts correct (for the myth-vs-fact format)


@dataclass(frozen=True)
class FactSet:
    niche: str  # the file's name: science, money, ...
    words: frozenset[str]  # words of an account's niche that choose this set
    subjects: tuple[Subject, ...]

    @property
    def facts(self) -> list[Fact]:
        return [f for s in self.subjects for f in s.facts]


@dataclass
class Grounding:
    """The facts chosen for one text, and where they came from."""

    fact_set: FactSet
    facts: list[Fact]
    subject: Subject | None = None  # when the topic is one of the set's subjects
    extra: list[str] = field(default_factory=list)  # true lines code may use besides the facts (hook, myth)

    @property
    def texts(self) -> list[str]:
        return [f.text for f in self.facts]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(f.source for f in self.facts))


@lru_cache(maxsize=1)
def fact_sets() -> tuple[FactSet, ...]:
    """Every fact set shipped in ``moneyprinter/text/facts``."""
    folder = resources.files("moneyprinter.text") / "facts"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found.append(_load(entry.name[: -len(".toml")], tomllib.loads(entry.read_text(encoding="utf-8"))))
    return tuple(found)


def _load(name: str, data: dict) -> FactSet:
    subjects = []
    for raw in data.get("subject", []):
        title = raw["title"]
        facts = tuple(Fact(f["text"].strip(), f["source"].strip(), title) for f in raw["facts"])
        subjects.append(Subject(title, facts, raw.get("hook", "").strip(), raw.get("myth", "").strip()))
    return FactSet(data.get("niche", name), frozenset(w.lower() for w in data.get("words", [])), tuple(subjects))


def _words(text: str) -> set[str]:
    return set(normalize(text).split())


def fact_set_for(niche: str) -> FactSet | None:
    """The set whose words the niche uses most ('surprising science facts' -> science); None when no set fits."""
    found = _words(niche)
    scored = [(len(found & s.words), s) for s in fact_sets()]
    score, best = max(scored, key=lambda pair: pair[0], default=(0, None))
    return best if score else None


NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "trillion half third quarter fifth once twice".split())


def _content(text: str) -> set[str]:
    """Content words cut to 5 letters as a rough stem; numbers (digits or words) kept whole."""
    return {w if w.isdigit() or w in NUMBER_WORDS else w[:5] for w in normalize(text).split()
            if w in NUMBER_WORDS or ((len(w) >= 3 or w.isdigit()) and not is_stopword(w))}


def _topic_stems(topic: str) -> set[str]:
    found: set[str] = set()
    for phrase in keyphrases(topic, top=6) or [topic]:
        found |= _content(phrase)
    return found | _content(topic)


def find_subject(fact_set: FactSet, topic: str) -> Subject | None:
    """The subject a topic is about: its title and the topic share at least half of each one's content
    words. One word in common is not enough when either has more: 'Getting around Lisbon on a budget'
    is not 'The 50/30/20 budget rule'."""
    wanted = _content(topic)
    if not wanted:
        return None
    best, score = None, 0.0
    for subject in fact_set.subjects:
        title = _content(subject.title)
        shared = len(wanted & title)
        share = min(shared / len(wanted), shared / max(1, len(title)))
        if share > score:
            best, score = subject, share
    return best if score >= 0.5 else None


def ground(niche: str, topic: str, count: int) -> Grounding | None:
    """Up to ``count`` facts for a text about ``topic`` in ``niche``; None when no fact set covers it.

    The niche chooses the set; a topic that is one of the set's subjects takes that subject's facts
    first, then other facts of the set that share the topic's keyphrases. A topic outside the
    niche's set may still be a subject of another set ('Why Mars is red' on a general channel)."""
    own = fact_set_for(niche)
    for fact_set in [own, *(s for s in fact_sets() if s is not own)] if own else fact_sets():
        subject = find_subject(fact_set, topic)
        if fact_set is not own and subject is None:
            continue  # another niche's facts only for one of its own subjects
        chosen = list(subject.facts) if subject else []
        wanted = _topic_stems(topic)
        others = [f for f in fact_set.facts if f not in chosen]
        scored = sorted(((len(wanted & _content(f.text)), i, f) for i, f in enumerate(others)), key=lambda t: (-t[0], t[1]))
        chosen += [f for score, _, f in scored if score >= (1 if subject else 2)]
        if len(chosen) >= MIN_FACTS:
            extra = [x for x in (subject.hook, subject.myth) if x] if subject else []
            return Grounding(fact_set, chosen[:count], subject, extra)
    return None


def facts_for_post(niche: str, said: Sequence[str], rng: random.Random | None = None) -> list[Fact]:
    """The facts of one post: a fact of the niche's set not said in ``said`` (recent posts), the niche's
    own words first ('coffee' facts for 'home coffee brewing'), after the first fact of its subject,
    which gives it its context ('The coffee is then strained ...' alone says little). Empty when no
    set covers the niche."""
    fact = _fact_for_post(niche, said, rng)
    if fact is None:
        return []
    subject = next(s for fs in fact_sets() for s in fs.subjects if fact in s.facts)
    lead = subject.facts[0]
    return [fact] if lead == fact else [lead, fact]


def _fact_for_post(niche: str, said: Sequence[str], rng: random.Random | None = None) -> Fact | None:
    fact_set = fact_set_for(niche)
    if fact_set is None:
        return None
    sentences = [s for p in said for s in _parts(p)]

    def unsaid(fact: Fact) -> bool:
        return not any(supporting_fact(s, [fact.text]) for s in sentences)

    leads = {s.facts[0] for s in fact_set.subjects}  # they come with every other fact of their subject
    fresh = [f for f in fact_set.facts if f not in leads and unsaid(f)] or [f for f in leads if unsaid(f)]
    wanted = {w[:5] for w in specific_words(niche)}  # 'coffee' facts for 'home coffee brewing', not bread
    near = [f for f in fresh if wanted & (_content(f.text) | _content(f.subject))]
    pool = near or fresh
    return (rng or random).choice(pool) if pool else None


# Words of a niche that say nothing about what its facts are about.
GENERIC = frozenset("facts fact tips tip surprising interesting things guide basics beginners beginner ideas home "
                    "daily life better personal simple easy quick best top amazing fun".split())


def specific_words(niche: str) -> list[str]:
    """The niche's own words: 'home coffee brewing' -> coffee, brewing."""
    return [w for w in normalize(niche).split() if len(w) >= 3 and w not in GENERIC and not is_stopword(w)]


# Words of a topic that say how or for whom, not what: nobody follows #learning or #adult for guitar.
BROAD = frozenset("learning learn getting started start living making doing adult adults first small big new "
                  "daily simple easy".split())


def post_hashtags(niche: str, limit: int = 2) -> list[str]:
    """Hashtags a person would use for the niche: its own words (what, before how or for whom),
    else the fact set's name."""
    own = list(dict.fromkeys(specific_words(niche)))
    found = [w for w in own if w not in BROAD] or own
    fact_set = fact_set_for(niche)
    if fact_set is not None and fact_set.niche not in found:
        found.append(fact_set.niche)
    return ["#" + w for w in found[:limit]]


def _parts(post: str) -> list[str]:
    return [p for p in re.split(r"(?<=[.!?])\s+", re.sub(r"(?:\s*#\w+)+\s*$", "", post)) if p]


def next_subject(fact_set: FactSet, used: Iterable[str], rng: random.Random | None = None) -> Subject:
    """A subject for a new Short: one whose title is not among ``used`` topics, else any."""
    taken = {normalize(u) for u in used}
    fresh = [s for s in fact_set.subjects if normalize(s.title) not in taken]
    return (rng or random).choice(fresh or list(fact_set.subjects))


_NUMBERS = re.compile(r"\d[\d,.]*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|cannot|without)\b|n't\b", re.I)
ORDER = 0.8  # share of the shared words that must come in the fact's order ('red ... blue' is not 'blue ... red')


def supporting_fact(sentence: str, facts: Sequence[str]) -> str | None:
    """The fact that supports ``sentence``, or None.

    Supported means, for one fact: the sentence has at least ``MIN_WORDS`` content words, at least
    ``SUPPORT`` of them (and all but ``MAX_NEW``) are in the fact, mostly in the fact's order; it says
    at least ``COVER`` of the fact; every number of the sentence is in the fact; and both or neither
    say 'not'. A lightly rephrased fact passes; a sentence that adds a claim ('... and can have
    multiple event lines'), says little of it ('Be sure to drink it soon'), swaps the roles of its
    words or drops a negation does not."""
    sentence = sentence.replace("\u2019", "'")
    words = _content(sentence)
    if len(words) < MIN_WORDS:
        return None
    numbers = _numbers(sentence)
    negated = bool(_NEGATION.search(sentence))
    best, score = None, 0.0
    for fact in facts:
        if not numbers <= _numbers(fact) or negated != bool(_NEGATION.search(fact.replace("\u2019", "'"))):
            continue
        fact_words = _content(fact)
        shared = words & fact_words
        share = len(shared) / len(words)
        if (share > score and len(words - fact_words) <= MAX_NEW and len(shared) / len(fact_words) >= COVER
                and _in_order(sentence, fact)):
            best, score = fact, share
    return best if score >= SUPPORT else None


def near_copy(sentence: str, fact: str) -> bool:
    """The sentence has exactly the fact's content words in the fact's order and changes only small
    words or endings ('separated' for 'separate', 'are' for a comma): such an edit adds nothing but
    the risk of broken grammar, so the fact as written reads better. A real rephrasing changes a
    content word ('crash together') and is kept."""
    return normalize(sentence) != normalize(fact) and _sequence(sentence) == _sequence(fact)


def _numbers(text: str) -> set[str]:
    """Numbers in digits and in words: 'three hearts' is not 'four hearts'."""
    return ({n.rstrip(".,").replace(",", "") for n in _NUMBERS.findall(text)}
            | {w for w in normalize(text).split() if w in NUMBER_WORDS})


def _sequence(text: str) -> list[str]:
    return [w if w.isdigit() or w in NUMBER_WORDS else w[:5] for w in normalize(text).split()
            if w in NUMBER_WORDS or ((len(w) >= 3 or w.isdigit()) and not is_stopword(w))]


def _in_order(sentence: str, fact: str) -> bool:
    """Most shared words come in the fact's order (the longest increasing run of their positions)."""
    positions = {w: i for i, w in reversed(list(enumerate(_sequence(fact))))}
    order = [positions[w] for w in dict.fromkeys(_sequence(sentence)) if w in positions]
    if not order:
        return False
    tails: list[int] = []
    for p in order:
        i = bisect_left(tails, p)
        tails[i:i + 1] = [p]
    return len(tails) / len(order) >= ORDER
