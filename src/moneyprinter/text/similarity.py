"""How alike two texts are, ignoring case, punctuation, links and hashtag signs.

Two measures: sequence similarity (the same words in the same order) and sentence-set overlap
(the same sentences in any order, or one text plus a sentence). A near-duplicate is either.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from moneyprinter.text.sentences import normalize, split_sentences

__all__ = ["normalize", "similarity", "sentence_overlap", "most_similar", "echoes", "is_repeat"]


def similarity(a: str, b: str) -> float:
    """0.0 (nothing alike) to 1.0 (the same words in the same order), on normalized text."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()


def _sentence_keys(text: str) -> set[str]:
    return {key for key in (normalize(s) for s in split_sentences(text)) if key}


def sentence_overlap(a: str, b: str) -> float:
    """The share of the shorter text's sentences that the other text also says (near-equal counts)."""
    mine, theirs = _sentence_keys(a), _sentence_keys(b)
    if not mine or not theirs:
        return 0.0
    smaller, larger = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
    shared = sum(1 for key in smaller if is_repeat(key, larger, threshold=0.8))
    return shared / len(smaller)


def most_similar(text: str, others: list[str]) -> tuple[float, str | None]:
    """The highest similarity of ``text`` to any of ``others`` (either measure), and that other text."""
    best, match = 0.0, None
    normalized = normalize(text)
    if not normalized:
        return best, match
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(normalized)  # SequenceMatcher caches what it learns about seq2
    for other in others:
        overlap = sentence_overlap(text, other)
        if overlap > best:
            best, match = overlap, other
        matcher.set_seq1(normalize(other))
        # quick_ratio() is a cheap upper bound of ratio(): skip texts that cannot beat the best so far.
        if not matcher.a or matcher.quick_ratio() <= best:
            continue
        score = matcher.ratio()
        if score > best:
            best, match = score, other
    return best, match


def echoes(text: str, instructions: list[str], threshold: float) -> bool:
    """True when ``text`` repeats one of the prompt's instructions (small models parrot their prompt)."""
    said = normalize(text)
    for line in instructions:
        wanted = normalize(line)
        if len(wanted) >= 20 and (wanted in said or similarity(line, text) > threshold):
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
