"""How alike two posts are, ignoring case, punctuation, links and hashtag signs."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from moneyprinter.text.x_length import find_urls


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for start, end in reversed(find_urls(text)):
        text = text[:start] + " " + text[end:]
    text = text.casefold().replace("#", " ").replace("@", " ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    """0.0 (nothing alike) to 1.0 (the same words in the same order), on normalized text."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 0.0
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()


def most_similar(text: str, others: list[str]) -> tuple[float, str | None]:
    """The highest similarity of ``text`` to any of ``others``, and that other text."""
    best, match = 0.0, None
    normalized = normalize(text)
    if not normalized:
        return best, match
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(normalized)  # SequenceMatcher caches what it learns about seq2
    for other in others:
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
