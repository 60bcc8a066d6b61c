"""Subtitle cues from voice timings and from word timings."""

from __future__ import annotations

from moneyprinter.media.cues import cues_from_sentences, cues_from_words, load_cues, save_cues, split_phrases
from moneyprinter.media.draft import Word
from moneyprinter.providers.tts import SentenceTiming

LONG = "An octopus uses this trick to hide from sharks and to hunt crabs, and some species even flash patterns."


def test_phrases_fit_two_lines_of_32_characters():
    for cue in cues_from_sentences([SentenceTiming(LONG, 0.0, 6.0)]):
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 32 for line in lines)


def test_no_stub_phrase_at_sentence_end():
    phrases = split_phrases("Octopuses can change the colour of their skin in less than a second.".split())
    assert len(phrases) == 2 and len(phrases[-1]) > 1


def test_timing_is_exact_at_sentence_bounds_and_proportional_inside():
    sentences = [SentenceTiming(LONG, 1.0, 7.0), SentenceTiming("Short one here.", 7.25, 8.0)]
    cues = cues_from_sentences(sentences)
    first = [c for c in cues if c.start < 7.0]
    assert first[0].start == 1.0 and first[-1].end == 7.0
    for a, b in zip(first, first[1:]):
        assert a.end == b.start
    rates = [(c.end - c.start) / len(c.text) for c in first]
    assert max(rates) / min(rates) < 1.1  # time shared in proportion to length
    assert cues[-1].start == 7.25 and cues[-1].end == 8.0 and cues[-1].text == "Short one here."
    assert " ".join(c.text.replace("\n", " ") for c in first) == LONG


def test_word_cues_keep_word_timings_and_break_at_sentence_end(tmp_path):
    words = [Word(i * 0.4, i * 0.4 + 0.3, w) for i, w in enumerate("Honey never spoils. Bees make it.".split())]
    cues = cues_from_words(words)
    assert [c.text for c in cues] == ["Honey never spoils.", "Bees make it."]
    assert cues[1].start == words[3].start and cues[1].words == tuple(words[3:])
    save_cues(cues, tmp_path / "cues.json")
    assert load_cues(tmp_path / "cues.json") == cues
