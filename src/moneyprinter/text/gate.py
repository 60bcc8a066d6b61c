"""The quality gate: deterministic checks every generated text passes before it is used.

Every generator (Short scripts, titles, descriptions and tags, X posts and thread parts, affiliate
pitches, outreach email bodies) calls ``check`` on each candidate and keeps the best that passes
(``best``). A *blocking* problem rejects the text; a *flag* (a number or a named event the local
model may have made up) does not reject it but goes with it to review as a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

from moneyprinter.text.grounding import supporting_fact
from moneyprinter.text.keywords import is_stopword, keyphrases
from moneyprinter.text.patterns import (
    FABRICATED_EVENT,
    FIRST_PERSON_STORY,
    META_TALK,
    PLACEHOLDER,
    is_dangling_pointer,
)
from moneyprinter.text.sentences import ends_complete, normalize, split_sentences, stems
from moneyprinter.text.similarity import echoes, is_repeat
from moneyprinter.text.titles import TITLE_LIMIT, ends_on_fragment
from moneyprinter.text.x_length import MAX_WEIGHTED_LENGTH, find_urls, weighted_length


class Kind(StrEnum):
    SCRIPT = "script"
    TITLE = "title"
    DESCRIPTION = "description"
    TAGS = "tags"
    POST = "post"
    THREAD_PART = "thread part"
    PITCH = "pitch"
    EMAIL = "email"


@dataclass(frozen=True)
class Rules:
    limit: int  # characters, or X's weighted length when ``x_weighted``
    x_weighted: bool = False
    sentences: bool = True  # made of complete sentences
    min_sentences: int = 1
    on_topic: bool = True
    off_topic_blocks: bool = True  # a post's tip may use none of the topic's words ('Bloom your grounds'): a flag
    events: bool = True  # first-person announcements are made up (a person's email may invite, though)
    min_words: int = 0  # a post of the topic's words alone ('Home workouts without equipment.') says nothing


RULES: dict[Kind, Rules] = {
    Kind.SCRIPT: Rules(limit=1100, min_sentences=3),  # ~160 words: a Short stays under 60 s of speech
    Kind.TITLE: Rules(limit=TITLE_LIMIT, sentences=False),
    Kind.DESCRIPTION: Rules(limit=5000, sentences=False),
    Kind.TAGS: Rules(limit=500, sentences=False, on_topic=False),  # YouTube's limit for all tags together
    Kind.POST: Rules(limit=MAX_WEIGHTED_LENGTH, x_weighted=True, off_topic_blocks=False, min_words=6),
    Kind.THREAD_PART: Rules(limit=MAX_WEIGHTED_LENGTH, x_weighted=True, off_topic_blocks=False),
    Kind.PITCH: Rules(limit=MAX_WEIGHTED_LENGTH, x_weighted=True, on_topic=False),
    # A person's template: greetings and sign-offs are not sentences; placeholders and chatter still fail.
    Kind.EMAIL: Rules(limit=5000, sentences=False, on_topic=False, events=False),
}


@dataclass(frozen=True)
class Problem:
    check: str  # the defect class: meta_talk, prompt_echo, fabricated_event, ...
    detail: str
    blocking: bool = True

    def __str__(self) -> str:
        return f"{self.check.replace('_', ' ')}: {self.detail}"


@dataclass
class Verdict:
    text: str
    kind: Kind
    problems: list[Problem] = field(default_factory=list)
    topic_hits: int = 0

    @property
    def passed(self) -> bool:
        return not any(p.blocking for p in self.problems)

    @property
    def flags(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocking]

    def reasons(self) -> list[str]:
        return [str(p) for p in self.problems]

    def review_reasons(self) -> list[str]:
        """What a person must check before it goes out: blocking problems and unverified claims.
        (A post without the topic's words only ranks lower: a tip on 'grounds' is still about coffee.)"""
        return [str(p) for p in self.problems if p.blocking or p.check == "unsupported_claim"]

    def rank(self) -> tuple:
        """Smaller is better: passing first, then fewer problems, then more of the topic."""
        return (not self.passed, sum(p.blocking for p in self.problems), len(self.flags), -self.topic_hits)


@dataclass(frozen=True)
class Context:
    """What a text is checked against."""

    topic: str = ""
    source: str = ""  # the product page or the topic: numbers and names found here are not made up
    instructions: Sequence[str] = ()  # the prompt's lines, which an answer must not repeat
    required: Sequence[str] = ()  # exact strings the text must contain (a product name, '#ad')
    local_model: bool = False  # flag numbers and named events that are not in the topic or source
    limit: int | None = None  # overrides the kind's limit (a thread part leaves room for its 'n/N')
    language: str = "en"
    details: str = ""  # a product's description and features: a pitch takes at least one benefit from them
    facts: Sequence[str] = ()  # curated facts the text is grounded in: each of its sentences must say one of them
    allowed: Sequence[str] = ()  # sentences code placed (a hook, a call to action) that need no fact


def check(text: str, kind: Kind | str, context: Context = Context()) -> Verdict:
    """Every check of the gate on one candidate text."""
    kind = Kind(kind)
    rules = RULES[kind]
    verdict = Verdict(text, kind)
    if not text.strip():
        verdict.problems.append(Problem("empty", "nothing left after cleanup"))
        return verdict
    body = _body(text, context)
    sentences = _lines_and_sentences(text, context) if rules.sentences else [body]
    verdict.problems += _meta_talk(body, context)
    if rules.events:
        verdict.problems += _fabricated_events(sentences)
        if context.local_model:  # a person may tell their own story; a 135M model only makes one up
            verdict.problems += _first_person_stories(sentences)
    if rules.sentences:
        verdict.problems += _repeats(sentences) + _incomplete(sentences, rules)
    elif kind is Kind.EMAIL:
        verdict.problems += _repeats(split_sentences(body))
    verdict.problems += _length(text, kind, rules, context)
    verdict.problems += _required(text, context)
    if kind is Kind.TAGS:
        verdict.problems += _stopword_tags(text.split("\n"), context.language)
    else:
        ours = {r.lstrip("#").lower() for r in context.required if r.startswith("#")}  # '#ad' is the disclosure
        found = [t for t in re.findall(r"(?<![\w&#])#(\w+)", text) if t.lower() not in ours]
        verdict.problems += _stopword_tags(found, context.language)
    if kind is Kind.TITLE and ends_on_fragment(text, context.language):
        verdict.problems.append(Problem("title_fragment", f"ends on '{text.split()[-1]}'"))
    if kind is Kind.PITCH:
        verdict.problems += _invented_prices(body, context) + _benefit(body, context) + _mangled_names(body, context)
    hits, topic_problems = _on_topic(body, context, rules.off_topic_blocks) if rules.on_topic and context.topic else (1, [])
    verdict.topic_hits = hits
    verdict.problems += topic_problems
    if context.local_model and kind is not Kind.TAGS:
        verdict.problems += _unsupported(body, context)
    if context.facts:
        verdict.problems += _unsupported_by_facts(sentences, context)
    return verdict


def best(verdicts: Iterable[Verdict]) -> Verdict | None:
    """The best candidate by ``Verdict.rank`` (the first of equals), or None when there is none."""
    ranked = sorted(verdicts, key=lambda v: v.rank())
    return ranked[0] if ranked else None


# --- the checks -------------------------------------------------------------------------------


def _lines_and_sentences(text: str, context: Context) -> list[str]:
    """Sentences, with each line break a boundary too: a headline line without a full stop is not a sentence."""
    found = []
    for line in re.split(r"\n+(?!\s*\d+[.)])", text):  # a numbered list stays with its intro line
        found += split_sentences(_body(line, context))
    return found


def _body(text: str, context: Context) -> str:
    """The text without what code adds (the required strings such as '#ad', links) and trailing hashtags."""
    for required in context.required:
        if required.startswith("#") or "://" in required:
            text = text.replace(required, " ")
    for start, end in reversed(find_urls(text)):
        text = text[:start] + " " + text[end:]
    # An address with a scheme is never prose, even one X would not shorten (an IP, a test host).
    text = re.sub(r"\bhttps?://\S+", " ", text)
    text = re.sub(r"(?:\s*#\w+)+\s*$", "", text)
    return " ".join(text.split())


def _meta_talk(body: str, context: Context) -> list[Problem]:
    problems = []
    for sentence in split_sentences(body) or [body]:
        match = META_TALK.search(sentence)
        if match:
            problems.append(Problem("meta_talk", f"'{match.group().strip()}' in '{_short(sentence)}'"))
    placeholder = PLACEHOLDER.search(body)
    if placeholder:
        problems.append(Problem("meta_talk", f"unfilled placeholder {placeholder.group()}"))
    if context.instructions and echoes(body, list(context.instructions), 0.75):
        problems.append(Problem("prompt_echo", "repeats the instructions"))
    return problems


def _fabricated_events(sentences: list[str]) -> list[Problem]:
    return [Problem("fabricated_event", f"'{_short(s)}'") for s in sentences if FABRICATED_EVENT.search(s)]


def _first_person_stories(sentences: list[str]) -> list[Problem]:
    return [Problem("first_person_story", f"made-up story: '{_short(s)}'") for s in sentences
            if FIRST_PERSON_STORY.search(s) and not FABRICATED_EVENT.search(s)]


def _repeats(sentences: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for sentence in sentences:
        key = normalize(sentence)
        if key and is_repeat(key, seen, threshold=0.8):
            problems.append(Problem("repeated_sentence", f"'{_short(sentence)}'"))
        seen.add(key)
    return problems


def _incomplete(sentences: list[str], rules: Rules) -> list[Problem]:
    problems = []
    for i, sentence in enumerate(sentences):
        if re.fullmatch(r"\d{1,2}[.)]", sentence.strip()) and i + 1 < len(sentences):
            continue  # the marker of the list item that follows ("2. Weigh it.")
        if not ends_complete(sentence) and not _is_list_line(sentence):
            problems.append(Problem("incomplete_sentence", f"'{_short(sentence)}'"))
        elif is_dangling_pointer(sentence):
            problems.append(Problem("incomplete_sentence", f"points at nothing: '{_short(sentence)}'"))
    if len(sentences) < rules.min_sentences:
        problems.append(Problem("too_short", f"{len(sentences)} sentences, at least {rules.min_sentences}"))
    return problems


def _is_list_line(sentence: str) -> bool:
    """'3 tips for better coffee:' followed by the list is content, not a cut-off sentence."""
    return bool(re.search(r":\s*\n|\n\s*\d+[.)]", sentence))


def _length(text: str, kind: Kind, rules: Rules, context: Context) -> list[Problem]:
    words = len(re.findall(r"[^\W\d_]{2,}", _body(text, context)))
    if words < rules.min_words:
        return [Problem("too_short", f"{words} words, at least {rules.min_words}")]
    limit = context.limit or rules.limit
    size = weighted_length(text) if rules.x_weighted else len(text)
    if size > limit:
        unit = "weighted characters" if rules.x_weighted else "characters"
        return [Problem("too_long", f"{size} {unit}, the limit is {limit}")]
    return []


def _required(text: str, context: Context) -> list[Problem]:
    return [Problem("missing_required", f"'{_short(r)}' is missing") for r in context.required if r not in text]


def _stopword_tags(tags: list[str], language: str) -> list[Problem]:
    bad = [t for t in (tag.strip().lstrip("#") for tag in tags) if t and (len(t) < 3 or t.isdigit() or
           all(is_stopword(w, language) for w in re.findall(r"[^\W_]+", t)))]
    return [Problem("stopword_tag", ", ".join(bad))] if bad else []


_MONEY = re.compile(r"(?:[$\u20ac\u00a3\u00a5]\s?\d[\d.,]*|\d[\d.,]*\s?(?:\u20ac|eur|usd|dollars?|euros?|pounds?)(?!\w))", re.I)


def _invented_prices(body: str, context: Context) -> list[Problem]:
    """A price in a pitch must be the page's price, not one the model typed."""
    source_numbers = set(re.findall(r"\d+", context.source.replace(",", "").replace(".", " ")))
    problems = []
    for match in _MONEY.finditer(body):
        digits = re.findall(r"\d+", match.group().replace(",", "").replace(".", " "))
        if digits and digits[0] not in source_numbers:
            problems.append(Problem("invented_price", f"'{match.group()}' is not the price on the page"))
    return problems


def _benefit(body: str, context: Context) -> list[Problem]:
    """A pitch says something concrete from the product's details, beyond its name."""
    if not context.details.strip():
        return []
    name = set().union(*(stems(r, min_length=3) for r in context.required)) if context.required else set()
    shared = (_content_stems(body, context.language) & _content_stems(context.details, context.language)) - name
    if shared:
        return []
    return [Problem("no_benefit", "says nothing from the product's description or features")]


def _content_stems(text: str, language: str) -> set[str]:
    return {w[:5] for w in normalize(text).split() if len(w) >= 3 and not is_stopword(w, language)}


def _mangled_names(body: str, context: Context) -> list[Problem]:
    """A word that nearly spells a word of the product's name ('Noise-Canning' for 'Noise-Cancelling',
    'Temporre' for 'Timemore'): the model retyped the name."""
    name_words = {w for r in context.required[1:] for w in re.findall(r"[\w'-]{3,}", r)}
    problems = []
    for word in set(re.findall(r"\b[A-Z][\w'-]{2,}", body)) - name_words:
        close = [n for n in name_words if SequenceMatcher(None, word.lower(), n.lower()).ratio() >= 0.7]
        if close:
            problems.append(Problem("mangled_name", f"'{word}' is not '{close[0]}'"))
    return problems


def _on_topic(body: str, context: Context, blocking: bool) -> tuple[int, list[Problem]]:
    """How many of the topic's keyphrase stems the text uses; none is a problem."""
    wanted: set[str] = set()
    for phrase in keyphrases(context.topic, language=context.language) or [context.topic]:
        wanted |= stems(phrase)
    if not wanted:
        return 1, []
    hits = len(wanted & stems(body))
    if hits:
        return hits, []
    return 0, [Problem("off_topic", f"none of the topic's keyphrases ({', '.join(sorted(wanted)[:5])}) appear",
                       blocking=blocking)]


_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*")  # with a unit attached too: '250mm', '3x'

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_EVENT_WORDS = r"(?:Conference|Summit|Expo|Festival|Awards?|Day|Week|Con|Forum|Webinar|Meetup|Fair|Cup|Games)"
_NAMED_EVENT = re.compile(
    rf"#?\b(?:[A-Z][\w&'-]+\s?){{1,4}}{_EVENT_WORDS}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b(?:Dr|Prof|Professor|Mr|Mrs|Ms)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"  # a quoted expert the model named
    r"|\b(?:study|survey|report|research) (?:by|from) (?:the )?[A-Z]\w+(?:\s+[A-Z]\w+){0,4}"  # a cited source
)
_SMALL_NUMBERS = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "one", "two", "three"}


def _unsupported(body: str, context: Context) -> list[Problem]:
    """Numbers, dates and named events not in the topic or source: the local model may have made them up."""
    raw = f"{context.topic} {context.source} {' '.join(context.required)}"
    known = normalize(raw)
    known_numbers = set(re.findall(r"\d+", known)) | set(re.findall(r"\d+", re.sub(r"(?<=\d),(?=\d{3})", "", raw)))
    found = []
    for match in _NUMBER.finditer(body):
        value = match.group().replace(",", "")
        digits = re.findall(r"\d+", value)
        if value not in _SMALL_NUMBERS and digits and not set(digits) <= known_numbers:
            found.append(match.group())
    for match in _NAMED_EVENT.finditer(body):
        if normalize(match.group()) not in known:
            found.append(match.group().strip())
    if not found:
        return []
    return [Problem("unsupported_claim", "not in the topic or source, check: " + ", ".join(dict.fromkeys(found)),
                    blocking=False)]


def _unsupported_by_facts(sentences: list[str], context: Context) -> list[Problem]:
    """A grounded text says only what its facts say: any other sentence may be made up."""
    allowed = {normalize(a) for a in context.allowed}
    return [Problem("unsupported_sentence", f"no curated fact says '{_short(s)}'") for s in sentences
            if normalize(s) not in allowed and re.search(r"[^\W\d_]{3}", s)
            and supporting_fact(s, context.facts) is None]


def _short(text: str, size: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "\u2026"
