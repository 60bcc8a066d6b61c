"""Word timings from Piper's own alignment: where each word's phonemes sit in the audio it made.

Piper (with the ``onnx`` package) exposes the model's duration output: the number of audio
samples each phoneme gets. That is exact for the audio the model renders, costs no extra
model, and needs no transcription. Text words and espeak-ng's words differ (see
``sentence_words``), so words are found phoneme by phoneme. A sentence that cannot be matched
gets no word timings and the caller falls back to an estimate.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from moneyprinter.media.draft import Word

SILENT = set(",.;:!?¡¿—–-…\"'()")  # phonemes that are pauses, not sound of a word
MARKS = set("ˈˌ ")  # stress marks and the word gap: not sounds either


@dataclass(frozen=True)
class Sound:
    """One sounding phoneme of a sentence and the samples it occupies."""

    phoneme: str
    start: int
    end: int


def sounds(chunk, offset: int) -> list[Sound]:
    """The chunk's phonemes with their samples (from the model's durations), pauses and marks left out."""
    alignments = chunk.phoneme_alignments or []
    out, cursor = [], offset
    for i, al in enumerate(alignments):
        start, cursor = cursor, cursor + int(al.num_samples)
        if 0 < i < len(alignments) - 1 and al.phoneme not in SILENT and al.phoneme not in MARKS:  # not BOS/EOS
            out.append(Sound(al.phoneme, start, cursor))
    return out


def word_phonemes(voice, word: str) -> list[str]:
    """The sounding phonemes of a text word said alone."""
    return [ph for sentence in voice.phonemize(word) for ph in sentence if ph not in SILENT and ph not in MARKS]


def sentence_words(voice, text: str, chunks: list, offset: int, rate: int) -> list[Word] | None:
    """Timed words of one sentence synthesized as ``chunks`` starting at sample ``offset``; None if unaligned.

    espeak-ng phonemizes in context: it joins function words ("was the" -> one word) and expands
    numbers ("1990" -> three words), so the text words are not matched to espeak's words but
    phoneme by phoneme: each word is phonemized alone and the sequences are aligned (difflib).
    """
    heard: list[Sound] = []
    cursor = offset
    for chunk in chunks:
        if chunk.phoneme_alignments is None:
            return None
        heard += sounds(chunk, cursor)
        cursor += len(chunk.audio_int16_array)
    words = text.split()
    spoken = [word_phonemes(voice, w) for w in words]
    said = [ph for phonemes in spoken for ph in phonemes]
    if not heard or not said:
        return None
    matcher = difflib.SequenceMatcher(a=said, b=[s.phoneme for s in heard], autojunk=False)
    to_heard: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        to_heard.update({block.a + k: block.b + k for k in range(block.size)})
    if len(to_heard) < 0.6 * len(said):  # too different to trust: let the caller estimate
        return None
    out, first, last_b = [], 0, -1
    for word, phonemes in zip(words, spoken):
        matched = [to_heard[i] for i in range(first, first + len(phonemes)) if i in to_heard]
        first += len(phonemes)
        if not matched:  # not spoken (a dash) or not recognised: placed right after the previous word
            at = heard[min(last_b + 1, len(heard) - 1)].start
            out.append(Word(round(at / rate, 3), round(at / rate, 3), word))
            continue
        # An unmatched first phoneme (a vowel said differently in context) starts after the previous word.
        start_b = min(matched[0], last_b + 1) if phonemes and first - len(phonemes) not in to_heard else matched[0]
        start_b = max(start_b, 0)
        last_b = matched[-1]
        out.append(Word(round(heard[start_b].start / rate, 3), round(heard[last_b].end / rate, 3), word))
    return out
