"""Word timings from Piper's own alignment: where each word's phonemes sit in the audio it made.

Piper (with the ``onnx`` package) exposes the model's duration output: the number of audio
samples each phoneme gets. That is exact for the audio the model renders, costs no extra
model, and needs no transcription. Phonemes come as espeak-ng words separated by spaces; a
text word may become several (``1990`` -> "nineteen-hundred ninety"), so each text word is
phonemized alone to count its groups. When the counts disagree (phonemization depends on the
context), the sentence gets no word timings and the caller falls back to an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

from moneyprinter.media.draft import Word

SILENT = set(",.;:!?¡¿—–-…\"'()")  # phonemes that are pauses, not sound of a word


@dataclass(frozen=True)
class Group:
    """One espeak word: first and last sample of its sounding phonemes, relative to its chunk."""

    start: int
    end: int


def phoneme_groups(chunk) -> list[Group]:
    """Space-separated phoneme runs of a Piper AudioChunk, in samples (BOS and pauses excluded)."""
    alignments = chunk.phoneme_alignments or []
    groups: list[Group] = []
    cursor = 0
    current: list[int] = []
    for i, al in enumerate(alignments):
        start, cursor = cursor, cursor + int(al.num_samples)
        if i == 0 or i == len(alignments) - 1 or al.phoneme == " ":  # BOS, EOS, word gap
            if current:
                groups.append(Group(current[0], current[1]))
            current = []
            continue
        if al.phoneme in SILENT:
            continue
        current = [current[0], cursor] if current else [start, cursor]
    if current:
        groups.append(Group(current[0], current[1]))
    return groups


def group_count(voice, word: str) -> int:
    """How many espeak words the text word becomes on its own."""
    return sum(len([g for g in "".join(p).split(" ") if g.strip("".join(SILENT))]) for p in voice.phonemize(word))


def sentence_words(voice, text: str, chunks: list, offset: int, rate: int) -> list[Word] | None:
    """Timed words of one sentence synthesized as ``chunks`` starting at sample ``offset``; None if unaligned."""
    spans: list[Group] = []
    cursor = offset
    for chunk in chunks:
        if chunk.phoneme_alignments is None:
            return None
        spans += [Group(cursor + g.start, cursor + g.end) for g in phoneme_groups(chunk)]
        cursor += len(chunk.audio_int16_array)
    words = text.split()
    counts = [group_count(voice, w) for w in words]
    if sum(counts) != len(spans) or not spans:
        return None
    out, index = [], 0
    for word, count in zip(words, counts):
        if count == 0:  # a dash or a symbol that is not spoken: shown with the next word
            at = spans[min(index, len(spans) - 1)].start
            out.append(Word(round(at / rate, 3), round(at / rate, 3), word))
            continue
        first, last = spans[index], spans[index + count - 1]
        out.append(Word(round(first.start / rate, 3), round(last.end / rate, 3), word))
        index += count
    return out
