"""Text for a topic no curated fact set covers, written with the bundled local model.

Offline, nothing can confirm a claim about a person's own niche, and a 135M model's claims are
often made up ("a brand called The Grip", "Your first game is about a cat"). So such text says what
needs no facts: practical suggestions ("Start with a small pot.") and a question that asks the
audience for theirs. The model writes short suggestions as JSON; each is checked alone
(``suggestion_problems``) and the best are kept (``best_suggestions``). Questions, hooks and the
last-resort suggestions are templates filled with the topic's own words, so they are honest by
construction.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from moneyprinter.text import gate
from moneyprinter.text.grounding import BROAD, specific_words
from moneyprinter.text.json_answers import parse_json_object
from moneyprinter.text.sentences import normalize, split_sentences
from moneyprinter.text.similarity import is_repeat

SYSTEM = "You give practical tips to people who are new to something. Answer with JSON only."
EXAMPLE_TOPIC = "brewing coffee at home"
EXAMPLE_TIPS = [
    "Buy whole beans and grind them just before you brew.",
    "Weigh your coffee and water instead of guessing.",
    "Clean your brewer every week so old oils do not spoil the taste.",
    "Taste each cup and change one thing at a time.",
    "Keep your beans in a sealed jar away from light.",
    "Use fresh, cold water for every brew.",
    "Try the same beans in two brewers to learn what you like.",
]

# What the example is about: a tip on another topic that speaks of it took it from the example.
_EXAMPLE_WORDS = frozenset(w[:4] for w in "coffee beans brew brewer brewing grind ground cup".split())
MIN_WORDS, MAX_WORDS = 5, 22


def prompt(topic: str, count: int) -> str:
    return f"Give {count} practical tips for beginners about: {topic}"


def example(count: int) -> tuple[str, str]:
    return prompt(EXAMPLE_TOPIC, count), json.dumps({"tips": EXAMPLE_TIPS[:count]})


def schema(count: int) -> dict:
    """Short tips: a long one is where the small model wanders off or is cut off."""
    tip = {"type": "string", "minLength": 20, "maxLength": 110}
    return {"type": "object", "properties": {"tips": {"type": "array", "items": tip, "minItems": count,
                                                       "maxItems": count}}, "required": ["tips"]}


def tips_from_answer(answer: str) -> list[str]:
    data = parse_json_object(answer) or {}
    tips = data.get("tips") if isinstance(data.get("tips"), list) else []
    # A tip cut off at its length limit often starts well: its first sentence is kept ('... neighborhood. They')
    return [(split_sentences(" ".join(t.split())) or [""])[0] for t in tips if isinstance(t, str) and t.strip()]


# --- checking one suggestion ----------------------------------------------------------------------

# A suggestion stands alone: it may be shown in any order, so it cannot lean on a sentence before it
# ('They ...', 'Also ...') nor point at something not said ('Try this ...').
_LEANS_ON = re.compile(r"^(?:this|that|these|those|it|its|they|them|their|he|she|his|her|also|and|but|so|or|"
                       r"another|other|in addition|additionally|plus|then)\b"
                       r"|^[\w']+ (?:this|that|these|those|it|them)\b(?! (?:is|are|way|one|time)\b)", re.I)

_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|our|ours|us)\b", re.I)
# Words after which a sentence states something about its first words instead of suggesting ('Dogs are ...').
_STATES = re.compile(r"\b(?:is|are|was|were|has|have|had|can|will|would|could|should|may|might|must)\b", re.I)
# Words before the verb of an instruction: 'Don't leave ...', 'First, water ...', 'To begin, pick ...'.
_BEFORE_VERB = re.compile(r"^(?:(?:to|when|if|before|after|while|once)\b[^,]{1,60},\s*)?"
                          r"(?:(?:don't|do not|never|always|first|then|now|just|please)\b,?\s*)?", re.I)
# Advice a small model sometimes gives that could hurt a person, an animal or a plant: never posted,
# whatever else the tip gets right. Words of force or deprivation, not of effort ('practise until sore' passes).
_HARM = re.compile(
    r"\b(?:hit|hits|hitting|kick|kicks|kicking|bite|biting|slap|slapping|punch|punching|choke|choking|strangle|"
    r"stomp|step on|shake (?:the|your|a) (?:baby|puppy|dog|cat)|beat (?:your|the|him|her|it|them)|"
    r"punish|punishing|punishment|starve|starving|withhold(?:ing)? (?:water|food)|without (?:water|food|sleep)|"
    r"skip (?:sleep|meals)|bleed|bleeding|until it hurts|through the pain|injure|hurt (?:your|the|it|them)|"
    r"poison|bleach|shock collar|electric shock)\b", re.I)
_MODALS = frozenset("can will could would should must may might shall can't won't cannot".split())


@dataclass(frozen=True)
class Suggestion:
    text: str
    topic_hits: int  # the topic's own words it uses (``topic_hits``): more is more clearly about the topic


def suggestion_problems(sentence: str, topic: str, *, language: str = "en") -> list[str]:
    """Why one suggestion of the model cannot be used; empty when it can.

    It must be one complete sentence of 5 to 22 words that tells the reader to do something
    ('Water your seedlings in the morning.'), in the second person, that stands alone (no 'This',
    'They' or 'Also' pointing at a sentence before it), names nothing the topic does not (a brand,
    a person, a study), has no number the topic does not give, and passes the gate's checks."""
    parts = split_sentences(sentence)
    if len(parts) != 1:
        return [f"{len(parts)} sentences, not one"]
    problems = []
    words = re.findall(r"[^\W\d_][\w'-]*", sentence)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        problems.append(f"{len(words)} words, not {MIN_WORDS} to {MAX_WORDS}")
    if re.search(r"[;()\[\]{}]|\b(?:e\.g|i\.e)\.", sentence):
        problems.append("not one plain sentence")
    if not sentence[:1].isupper():
        problems.append("does not start a sentence")
    if sentence.rstrip().endswith("?"):
        problems.append("a question, not a suggestion")
    if _LEANS_ON.match(sentence.strip()):
        problems.append("leans on a sentence before it")
    if _FIRST_PERSON.search(sentence):
        problems.append("speaks in the first person")
    if not is_instruction(sentence):
        problems.append("does not suggest anything to do")
    if harm := _HARM.search(sentence):
        problems.append(f"advice that could hurt someone: '{harm.group(0)}'")
    if any(is_repeat(normalize(sentence), {normalize(e)}, threshold=0.6) for e in EXAMPLE_TIPS):
        problems.append("copies the prompt's example")
    borrowed = sorted({w for w in normalize(sentence).split() if w[:4] in _EXAMPLE_WORDS})
    if borrowed and not _EXAMPLE_WORDS & {w[:4] for w in normalize(topic).split()}:
        # 'Buy small bags to keep your coffee fresh' on indie game development
        problems.append("borrows the example's subject: " + ", ".join(borrowed))
    numbers = set(re.findall(r"\d+", sentence)) - set(re.findall(r"\d+", topic))
    if numbers:
        problems.append("a number the topic does not give: " + ", ".join(sorted(numbers)))
    named = _names(sentence, topic)
    if named:
        problems.append("names what the topic does not: " + ", ".join(named))
    verdict = gate.check(sentence, gate.Kind.THREAD_PART,
                         gate.Context(topic=topic, source=topic, local_model=True, language=language))
    problems += [str(p) for p in verdict.problems if p.check != "off_topic"]
    return problems


def is_instruction(sentence: str) -> bool:
    """'Start with a small pot.', 'Don't rush your puppy.': it opens with a verb in its base form (by
    lemminflect's English lexicon), not a noun, a gerund or a modal ('Dogs are ...', 'Learning guitar
    can be ...', 'Can't wait ...'), and the next words do not make it a statement."""
    from lemminflect import getAllLemmas

    words = re.findall(r"[A-Za-z][\w'-]*", _BEFORE_VERB.sub("", sentence.strip()))
    if len(words) < 2 or words[0].lower() in _MODALS:
        return False
    first = words[0].lower()
    return first in getAllLemmas(first).get("VERB", ()) and not _STATES.search(" ".join(words[1:3]))


def _names(sentence: str, topic: str) -> list[str]:
    """Capitalised words after the first that the topic does not have: a brand, a person, a place."""
    known = set(normalize(topic).split())
    words = re.findall(r"\b[A-Z][\w'-]*", sentence.strip()[1:])
    return [w for w in words if w.lower() not in known and w != "I"]


def best_suggestions(candidates: Sequence[str], topic: str, count: int, *, language: str = "en",
                     avoid: Sequence[str] = ()) -> list[Suggestion]:
    """Up to ``count`` usable suggestions, best first (``rank``); none that repeats another or a
    sentence in ``avoid``."""
    seen = {normalize(a) for a in avoid}
    openings = {_opening(a) for a in avoid}
    usable: list[Suggestion] = []
    for text in candidates:
        key = normalize(text)
        if not key or is_repeat(key, seen, threshold=0.7) or _opening(text) in openings:
            continue
        if suggestion_problems(text, topic, language=language):
            continue
        seen.add(key)
        openings.add(_opening(text))
        usable.append(Suggestion(text, topic_hits(text, topic)))
    return sorted(usable, key=lambda s: rank(s, topic))[:count]


def _opening(text: str) -> str:
    """The first four words: two tips that open alike read as one said twice ('Start with a guitar and ...')."""
    return " ".join(normalize(text).split()[:4])


def rank(suggestion: Suggestion, topic: str) -> tuple:
    """Smaller is better: uses the topic's words; no odd long word (the small model coins some:
    'indiabrajitlle'); short (a long tip is where it rambles). Ties keep the order written."""
    known = set(normalize(topic).split())
    words = normalize(suggestion.text).split()
    odd = sum(1 for w in words if len(w) >= 13 and w not in known)
    return -min(suggestion.topic_hits, 2), odd, max(0, len(words) - 14)


def topic_hits(sentence: str, topic: str) -> int:
    """How many of the topic's own words the sentence uses, by their first four letters ('dog' meets
    'dogs', 'birdwatching' meets 'birds', 'gardening' meets 'garden')."""
    words = {w[:4] for w in specific_words(topic) if w not in BROAD}  # not how or for whom: "learning", "adult"
    said = {w[:4] for w in normalize(sentence).split() if len(w) >= 3}
    return len(words & said)


# --- templates from the topic's words -------------------------------------------------------------

# Words of an account's niche that say who it is for, not what it is about.
_AUDIENCE = re.compile(r"\s+(?:for (?:beginners|dummies|everyone|newbies|busy people)|as an adult|101|made easy|basics|"
                       r"tips(?: and tricks)?)$", re.I)


def topic_phrase(topic: str) -> str:
    """The topic as words inside a sentence: 'Home gardening for beginners' -> 'home gardening'."""
    text = _AUDIENCE.sub("", " ".join(topic.split()).rstrip(".!?")) or topic
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and not first[1:2].isupper() and first.lower() not in _PROPER:
        text = first.lower() + (" " + rest if rest else "")
    return text


_PROPER = frozenset("i monday tuesday wednesday thursday friday saturday sunday".split())

QUESTIONS = (
    "What is the one thing you wish you had known when you started with {topic}?",
    "What would you tell someone who is new to {topic}?",
    "What made the biggest difference for you with {topic}?",
    "What is your best tip for {topic}?",
    "Which part of {topic} took you longest to get right?",
    "What is one mistake you made early on with {topic}?",
)


def question(topic: str, turn: int) -> str:
    """A question to the audience about the topic; ``turn`` rotates through them (so posts differ), from
    a start of the topic's own (so two accounts do not open with the same one)."""
    start = zlib.crc32(topic_phrase(topic).lower().encode())
    return QUESTIONS[(start + turn) % len(QUESTIONS)].format(topic=topic_phrase(topic))


def questions(topic: str, turn: int) -> list[str]:
    """Every question, starting at ``turn``."""
    return [question(topic, turn + i) for i in range(len(QUESTIONS))]


TOPICS = (
    "How to get started with {niche}",
    "How to get better at {niche}",
    "How to make time for {niche}",
    "How to avoid beginner mistakes in {niche}",
    "How to keep going with {niche}",
)


def next_topic(niche: str, used: Sequence[str]) -> str:
    """A Short's topic for a niche with no fact set, from its words: the first not in ``used``.
    (The model's own ideas were odd: 'How to Teach a Dog How Not to Listen'.)"""
    taken = {normalize(u) for u in used}
    made = [t.format(niche=topic_phrase(niche)) for t in TOPICS]
    fresh = [t for t in made if normalize(t) not in taken]
    return fresh[0] if fresh else made[len(taken) % len(made)]


# Suggestions that hold for taking up almost anything: the last resort when the model gives none.
GENERAL = (
    "Ask someone with more experience what they would do differently.",
    "Start small, so each early mistake stays cheap.",
    "Write down what worked and what did not after each try.",
    "Change one thing at a time, so you can tell what made the difference.",
    "Set aside a regular time for it each week, even a short one.",
    "Give yourself time, because every beginner finds the first weeks slow.",
)


def general(said: Sequence[str], count: int) -> list[str]:
    """Up to ``count`` general suggestions that do not start as one in ``said`` does ('Start small, ...')."""
    openings = {" ".join(normalize(s).split()[:2]) for s in said}
    return [g for g in GENERAL if " ".join(normalize(g).split()[:2]) not in openings][:count]


def hook(topic: str) -> str:
    """An opening line for a Short of suggestions, from the topic's words only."""
    phrase = topic_phrase(topic)
    how = re.match(r"how to (.+)", phrase, re.I)
    if how:  # one sentence with more words than the topic's: a tip that uses them is not its repeat
        return f"A few simple habits make it easier to {how.group(1)}."
    if re.match(r"\w+ing\b", phrase) and not re.match(r"(?:thing|something|nothing|everything|spring|king|ring)\b",
                                                      phrase, re.I):
        return f"{phrase[:1].upper()}{phrase[1:]} gets easier with a few simple habits."
    if re.match(r"(?:why|what|when|where|which|who|is|are|can|do|does)\b", phrase, re.I):
        return f"{phrase[:1].upper()}{phrase[1:]}? Here are a few things to try."
    return f"A few simple things make {phrase} easier."


CTA = "Which of these will you try first? Tell us in the comments."
