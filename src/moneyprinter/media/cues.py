"""Subtitle cues: short phrases of at most two lines, timed from the voice.

From TTS sentence timings (exact sentence bounds; within a sentence, time is shared in proportion
to each phrase's length) or from word timings (AssemblyAI), which also allow word highlighting.
A cue's lines are joined with "\\n".
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from moneyprinter.media.draft import Cue, SentenceTiming, Word

MAX_LINE_CHARS = 32
MAX_LINES = 2


def _lines(words: list[str], max_chars: int) -> list[list[str]]:
    lines: list[list[str]] = []
    current: list[str] = []
    for word in words:
        if current and len(" ".join([*current, word])) > max_chars:
            lines.append(current)
            current = [word]
        else:
            current.append(word)
    if current:
        lines.append(current)
    return lines


def split_phrases(words: list[str], max_chars: int = MAX_LINE_CHARS, max_lines: int = MAX_LINES) -> list[list[str]]:
    """Group words into phrases that fit in ``max_lines`` lines of ``max_chars``."""
    lines = _lines(words, max_chars)
    greedy = [sum(lines[i : i + max_lines], []) for i in range(0, len(lines), max_lines)]
    if len(greedy) < 2:
        return greedy
    # Greedy filling leaves a stub ("second.") at the end; share the words evenly instead, if that fits.
    target = len(" ".join(words)) / len(greedy)
    balanced: list[list[str]] = [[]]
    for word in words:
        current = balanced[-1]
        if current and len(" ".join([*current, word])) > target * 1.08 and len(balanced) < len(greedy):
            balanced.append([word])
        else:
            current.append(word)
    if all(len(_lines(p, max_chars)) <= max_lines for p in balanced):
        return balanced
    return greedy


def layout(words: list[str], max_chars: int = MAX_LINE_CHARS) -> str:
    """The phrase as one line, or two lines split near the middle (balanced), joined with a newline."""
    text = " ".join(words)
    if len(text) <= max_chars or len(words) < 2:
        return text
    best = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def cues_from_sentences(sentences: list[SentenceTiming], max_chars: int = MAX_LINE_CHARS) -> list[Cue]:
    cues: list[Cue] = []
    for sentence in sentences:
        phrases = split_phrases(sentence.text.split(), max_chars)
        total = sum(len(" ".join(p)) for p in phrases) or 1
        span = sentence.end - sentence.start
        cursor = sentence.start
        for i, phrase in enumerate(phrases):
            end = sentence.end if i == len(phrases) - 1 else cursor + span * len(" ".join(phrase)) / total
            cues.append(Cue(round(cursor, 3), round(end, 3), layout(phrase, max_chars)))
            cursor = end
    return cues


def cues_from_words(words: list[Word], max_chars: int = MAX_LINE_CHARS) -> list[Cue]:
    """Cues from word timings; a sentence end (.!?) always closes a cue."""
    cues: list[Cue] = []
    sentence: list[Word] = []
    for word in words:
        sentence.append(word)
        if word.text.rstrip("\"')").endswith((".", "!", "?")):
            cues += _word_cues(sentence, max_chars)
            sentence = []
    return cues + _word_cues(sentence, max_chars)


def _word_cues(words: list[Word], max_chars: int) -> list[Cue]:
    cues = []
    index = 0
    for phrase in split_phrases([w.text for w in words], max_chars):
        timed = tuple(words[index : index + len(phrase)])
        index += len(phrase)
        cues.append(Cue(timed[0].start, timed[-1].end, layout(phrase, max_chars), timed))
    return cues


def proportional_words(text: str, start: float, end: float) -> list[Word]:
    """Word timings shared between ``start`` and ``end`` in proportion to word length (plus one for the gap).

    The fallback when the voice reports no alignment: exact at the sentence bounds, estimated inside.
    """
    words = text.split()
    weights = [len(w) + 1 for w in words]
    total = sum(weights) or 1
    cursor, out = start, []
    for word, weight in zip(words, weights):
        stop = cursor + (end - start) * weight / total
        out.append(Word(round(cursor, 3), round(stop, 3), word))
        cursor = stop
    return out


def save_cues(cues: list[Cue], path: Path) -> None:
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps([asdict(c) for c in cues], indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def load_cues(path: Path) -> list[Cue]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Cue(c["start"], c["end"], c["text"], tuple(Word(**w) for w in c.get("words", []))) for c in data]
