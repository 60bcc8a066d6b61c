"""Model answers made into narration: strip chatter, split and check sentences, drop echoes and repeats.

Small local models echo the prompt, wrap answers in markdown, add "Here is your script:" and
speaker labels, and loop. Everything here is a pure function of the text, so it is easy to test.
"""

from __future__ import annotations

import re

from moneyprinter.text.patterns import PLACEHOLDER, is_dangling_pointer, is_fabricated_event, is_meta
from moneyprinter.text.sentences import normalize, split_sentences
from moneyprinter.text.similarity import is_repeat
from moneyprinter.text.x_length import find_urls

_FENCE = re.compile(r"```[a-zA-Z]*")
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_BULLET = re.compile(r"^\s*(?:[-*\u2022+]|\d{1,2}[.)])\s+", re.M)
_SPEAKER = re.compile(
    r"^\s*\[?(?:narrator|host|speaker(?:\s*\d+)?|voice(?:over|-over| over)?|vo|presenter|announcer|"
    r"scene\s*\d*|assistant|user|ai|bot|script|title|answer|output|response|sentence\s*\d+)\]?\s*[:\-\u2013]\s*",
    re.I | re.M,
)
_STAGE = re.compile(r"\[[^\]]{0,60}\]|\([^()]{0,60}\)")  # [Music], (upbeat), asides like (iirc): not for the voice
_PREAMBLE = re.compile(
    r"^\s*(?:sure|certainly|of course|okay|ok|absolutely|great|alright)?[!,.\s]*"
    r"(?:here(?:'s| is| are)|below is|this is)\b[^:\n]{0,80}:\s*",
    re.I,
)
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")
_INSTRUCTION_START = re.compile(
    r"^(?:write|generate|create|make|give|here is|here's|as an ai|i am an ai|i'm an ai|i cannot|i can't|"
    r"the script|this script|in this script|sentence \d|your script|note:|remember)\b",
    re.I,
)
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"
# Punctuation left before a sentence (", \u201cTrying", "//The twist") and a made-up label ("Tail: The final step").
_LEADING_JUNK = re.compile(r"^[^\w\"'\u201c\u2018(]+")
_LABEL = re.compile(r"^[A-Z][\w'-]*(?:\s+[\w'-]+){0,2}:[\s,]*(?=[A-Za-z])")
# A clause without its sentence: "Which involves ...", "And long term ones.", "Once you have decided ... plan."
_FRAGMENT_START = re.compile(
    r"^(?:which|whose|whereas|whom)\b"
    r"|^(?:and|or|but)\s+\S+(?:\s+\S+){0,3}$"
    r"|^(?:once|when|whenever|if|while|because|although|though|since|unless|until|whether)\b[^,;:]*$",
    re.I,
)
_DEBRIS = re.compile(r"[\[\]{}<>|\\]")  # template or markup debris the voice would read out ("{1} [The ...")


class BadOutput(ValueError):
    """The model's answer cannot be used; the reason is shown if every attempt fails."""


def strip_chatter(text: str) -> str:
    """Remove markdown, preambles, speaker labels, stage directions, hashtags, emoji and outer quotes."""
    text = _FENCE.sub("", text.replace("\r", ""))
    text = _HEADING.sub("", text)
    text = _BULLET.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _PREAMBLE.sub("", text)
    text = _SPEAKER.sub("", text)
    text = _STAGE.sub(" ", text)
    text = _HASHTAG.sub("", text)
    text = _EMOJI.sub("", text)
    lines = [line.strip().strip(_QUOTES).strip() for line in text.splitlines()]
    text = " ".join(line for line in lines if line)
    text = re.sub(r"\s+([,.!?;:])", r"\1", re.sub(r"\s+", " ", text))  # space left where an aside was
    return text.strip().strip(_QUOTES).strip()


def is_echo(sentence: str, prompts: list[str]) -> bool:
    """True if the sentence repeats the instructions rather than answering them."""
    norm = normalize(sentence)
    if not norm or _INSTRUCTION_START.match(sentence.strip(_QUOTES + " ")):
        return True
    for prompt in prompts:
        p = normalize(prompt)
        if len(norm) >= 12 and norm in p:
            return True
    return False


_CLAUSE = re.compile(r"(?:;|:|\s[\u2013\u2014-]\s|,(?=\s+(?:and|but|which|while|so|because|or|who|where)\b))")


def shorten(sentence: str, max_words: int, min_words: int = 5) -> str:
    """A run-on sentence cut at its last clause boundary that fits, or unchanged if none does."""
    if len(sentence.split()) <= max_words:
        return sentence
    best = None
    for match in _CLAUSE.finditer(sentence):
        head = sentence[: match.start()].rstrip(" ,")
        if min_words <= len(head.split()) <= max_words:
            best = head
    return best + "." if best else sentence


def clean_sentences(text: str, *, prompts: list[str], max_words: int, seen: set[str] | None = None) -> list[str]:
    """Usable sentences from a model answer: no echoes, no repeats, no fragments, not too long."""
    seen = set() if seen is None else seen
    good = []
    for sentence in split_sentences(strip_chatter(text)):
        sentence = _LABEL.sub("", _LEADING_JUNK.sub("", sentence)).strip(_QUOTES + " ")
        sentence = re.sub(r"([.!?])[.!?\u2026]+$", r"\1", shorten(sentence, max_words))  # "...." -> "."
        words = sentence.split()
        if _FRAGMENT_START.match(sentence):
            continue  # "Which involves having ...": a clause without its sentence
        if len(words) < 3 or len(words) > max_words or not re.search(r"[A-Za-z\u00C0-\u024F]{2}", sentence):
            continue
        if sentence[-1] not in ".!?":
            continue  # cut off mid-sentence by max_tokens
        key = normalize(sentence)
        if is_repeat(key, seen) or is_echo(sentence, prompts) or is_unusable(sentence):
            continue
        seen.add(key)
        good.append(sentence[0].upper() + sentence[1:])
    return good


def is_unusable(sentence: str) -> bool:
    """Talk about the answer, an invented event, a link or a pointer at nothing: the sentence goes whole."""
    return (is_meta(sentence) or is_fabricated_event(sentence) or is_dangling_pointer(sentence)
            or bool(PLACEHOLDER.search(sentence) or find_urls(sentence) or _DEBRIS.search(sentence)))


def clean_line(text: str, *, max_chars: int, prompts: list[str] = ()) -> str:
    """One short line (a topic or a title): the first usable line, trimmed at a word boundary."""
    for raw in text.replace("\r", "").splitlines():
        line = strip_chatter(raw)
        line = re.sub(r"^(?:topic|title|idea)\s*[:\-]\s*", "", line, flags=re.I).strip(_QUOTES + " ")
        if len(line) < 3 or not re.search(r"[A-Za-z\u00C0-\u024F]{2}", line) or is_echo(line, list(prompts)):
            continue
        if len(line) > max_chars:
            line = line[:max_chars].rsplit(" ", 1)[0].rstrip(",;:-")
        return line
    raise BadOutput("no usable line in the answer")


