"""Titles and descriptions of a Short: short titles cut at a word boundary, descriptions with a hook,
a summary and hashtags."""

from __future__ import annotations

import re

from moneyprinter.text.keywords import hashtags
from moneyprinter.text.sentences import DANGLING, split_sentences

TITLE_LIMIT = 60
_TRIM = " ,;:-\u2013\u2014/&|.\"'"


def ends_on_fragment(title: str, language: str = "en") -> bool:
    """True when the title's last word cannot end a title ('... Create Their', '... and the')."""
    words = re.findall(r"[\w']+", title.lower())
    return len(words) > 1 and words[-1] in DANGLING  # joiners, articles, possessives: not 'need' or 'work'



def fit_title(title: str, limit: int = TITLE_LIMIT, language: str = "en") -> str:
    """The title within ``limit`` characters: the part before a colon when that fits, else cut at a
    word boundary, then trailing joiners and stopwords removed so no fragment is left hanging."""
    title = " ".join(title.split()).strip(_TRIM)
    if len(title) > limit:
        head = re.split(r"\s*[:|\u2013\u2014]\s+|\s+-\s+", title)[0].strip(_TRIM)
        title = head if 3 <= len(head) <= limit and len(head.split()) >= 3 else _cut_at_joint(title, limit)
    title = title.strip(_TRIM)
    while ends_on_fragment(title, language):
        title = title.rsplit(" ", 1)[0].strip(_TRIM)
    return title


_JOINT = re.compile(r",\s|\s(?=(?:and|or|but|with|for|in|of|to|that|which|how|why|while|from|by|as|on|at|"
                   r"when|where|who|after|before|because)\s)", re.I)


def _cut_at_joint(title: str, limit: int) -> str:
    """The title up to the last joint (a comma, 'and', 'with', 'how' ...) that fits: a whole phrase, not
    '... How It Revolutionized'; a plain word cut when no joint leaves three words."""
    joints = [m.start() for m in _JOINT.finditer(title) if m.start() <= limit]
    for end in reversed(joints):
        if len(title[:end].split()) >= 3:
            return title[:end]
    return title[: limit + 1].rsplit(" ", 1)[0]


_SMALL = frozenset("a an the and or but nor of in on at to for by with from as vs via".split())


def title_case(text: str) -> str:
    """'why ice floats on water' -> 'Why Ice Floats on Water'; words with capitals of their own are kept."""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        if any(c.isupper() for c in word) or (0 < i < len(words) - 1 and word.lower() in _SMALL):
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def description(hook: str, script: str, *, topic: str, language: str = "en", limit: int = 4500) -> str:
    """Hook, a two-sentence summary of the script (without repeating the hook), hashtags."""
    sentences = [s for s in split_sentences(script) if s.strip() != hook.strip()]
    summary = " ".join(sentences[:2])
    tags = hashtags(topic, script, language=language, limit=3)
    body = "\n\n".join(part for part in (hook.strip(), summary.strip()) if part)[: limit - 40]
    return f"{body}\n\n{' '.join(tags + ['#shorts'])}"
