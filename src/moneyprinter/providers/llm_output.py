"""Hardening what language models return: strip chatter, split and check sentences, repair JSON.

Small local models echo the prompt, wrap answers in markdown, add "Here is your script:" and
speaker labels, and loop. Everything here is a pure function of the text, so it is easy to test.
"""

from __future__ import annotations

import json
import re
import unicodedata

from moneyprinter.errors import ProviderError

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
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9\u00C0-\u024F])")
_INSTRUCTION_START = re.compile(
    r"^(?:write|generate|create|make|give|here is|here's|as an ai|i am an ai|i'm an ai|i cannot|i can't|"
    r"the script|this script|in this script|sentence \d|your script|note:|remember)\b",
    re.I,
)
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"


class BadOutput(ValueError):
    """The model's answer cannot be used; the reason is shown if every attempt fails."""


def normalize(text: str) -> str:
    """Lower-case letters and digits only: for comparing sentences and spotting echoes."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(re.findall(r"\w+", text))


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


def split_sentences(text: str) -> list[str]:
    parts = _SENTENCE_END.split(text.strip())
    return [p.strip() for p in parts if p.strip()]


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


def is_repeat(key: str, seen: set[str], threshold: float = 0.6) -> bool:
    """True if a normalized sentence equals or nearly equals one already kept (word overlap)."""
    if key in seen:
        return True
    words = set(key.split())
    for other in seen:
        theirs = set(other.split())
        if len(words & theirs) / max(1, len(words | theirs)) >= threshold:
            return True
        # Content words only: one says the other plus a tail ("X has 30 legs" / "X has 30 legs that ...").
        mine, other_content = {w for w in words if len(w) > 3}, {w for w in theirs if len(w) > 3}
        smaller = min(len(mine), len(other_content))
        if smaller >= 3 and len(mine & other_content) / smaller >= 0.7:
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
        sentence = sentence.strip(_QUOTES + " ")
        sentence = re.sub(r"([.!?])[.!?\u2026]+$", r"\1", shorten(sentence, max_words))  # "...." -> "."
        words = sentence.split()
        if len(words) < 3 or len(words) > max_words or not re.search(r"[A-Za-z\u00C0-\u024F]{2}", sentence):
            continue
        if sentence[-1] not in ".!?":
            continue  # cut off mid-sentence by max_tokens
        key = normalize(sentence)
        if is_repeat(key, seen) or is_echo(sentence, prompts):
            continue
        seen.add(key)
        good.append(sentence[0].upper() + sentence[1:])
    return good


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


def parse_json_array(text: str) -> list[str]:
    """A list of strings from a JSON array, repairing the usual damage; lines as a last resort."""
    text = _FENCE.sub("", text).strip()
    start = text.find("[")
    if start >= 0:
        end = text.rfind("]")
        chunk = text[start : end + 1] if end > start else text[start:] + "]"
        for candidate in _repairs(chunk):
            try:
                value = json.loads(candidate)
            except json.JSONDecodeError:
                continue
            if isinstance(value, list):
                items = [_item_text(v) for v in value]
                items = [i for i in items if i]
                if items:
                    return items
        quoted = re.findall(r'"((?:[^"\\]|\\.){3,})"', chunk)
        if quoted:
            return [q.strip() for q in quoted if q.strip()]
    lines = [strip_chatter(line) for line in text.splitlines()]
    items = [line.strip(_QUOTES + ",[] ") for line in lines if len(line.split()) >= 2]
    if items:
        return items
    raise BadOutput("no JSON array of prompts in the answer")


def _repairs(chunk: str):
    yield chunk
    fixed = chunk.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    fixed = re.sub(r",\s*([\]}])", r"\1", fixed)  # trailing commas
    yield fixed
    yield re.sub(r"(?<=[\[,])\s*'([^']*)'\s*(?=[,\]])", lambda m: json.dumps(m.group(1)), fixed)  # single quotes
    yield re.sub(r'"\s*\n\s*"', '", "', fixed)  # missing commas between lines


def _item_text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in ("prompt", "image_prompt", "description", "text"):
            if isinstance(value.get(key), str):
                return value[key].strip()
    return ""


def step_error(step: str, provider: str, reason: str) -> ProviderError:
    return ProviderError(
        f"{step}: the text provider '{provider}' gave no usable answer after 3 attempts ({reason})",
        hint="try again, choose another topic, or set a stronger text provider in [shorts] text_provider",
    )
