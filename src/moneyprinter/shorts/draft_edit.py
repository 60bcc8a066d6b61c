"""Editing a script-only Short draft (``moneyprinter review edit ID``): its words, title, description, tags.

A draft's words live in its work folder (``script.txt``, ``script.json``, ``metadata.json``), which
``short --resume`` renders from; an edit writes them there and on the item, and runs the quality
gate on the edited words, whose problems become the draft's review reasons. What was made from the
old words (pictures, voice, a preview) is removed, so the resume makes it again from the new ones.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from moneyprinter.errors import Conflict, UsageError
from moneyprinter.shorts.formats import is_call_to_action
from moneyprinter.store import content, publications
from moneyprinter.store.content import ContentItem
from moneyprinter.store.states import ItemStatus
from moneyprinter.text import gate
from moneyprinter.text.keywords import is_stopword
from moneyprinter.text.sentences import split_sentences

# What later stages made from the words: stale once the words change.
MADE_FROM_WORDS = ("prompts.json", "images", "voice.wav", "voice.json", "cues.json", "music.wav", "preview.mp4",
                   "short.srt", "short.ass")
TITLE_MAX = 100  # YouTube's limit


@dataclass
class Edited:
    item: ContentItem
    sentences: list[str]
    reasons: list[str]  # the gate's problems with the edited words (empty: it passes)


def is_script_draft(db, item_id: int) -> bool:
    """A Short whose words are written and whose video is not: a script-only draft (or a preview)."""
    item = content.get_item(db, item_id)
    if item.kind != "short" or not item.work_dir or publications.get_for_item(db, item_id) is not None:
        return False
    work = Path(item.work_dir)
    return (work / "script.txt").exists() and not (work / "short.mp4").exists()


def require_draft(db, item_id: int) -> ContentItem:
    """The item, when it is a script-only Short draft; else the error saying what a draft is."""
    if not is_script_draft(db, item_id):
        raise Conflict(f"item {item_id} is not a script-only Short draft (its words are edited before its video is made)",
                       hint="make one with: moneyprinter short --account NAME --script-only")
    return content.get_item(db, item_id)


def script_lines(db, item_id: int) -> str:
    """The draft's script, one sentence a line: what the editor shows."""
    return "\n".join(split_sentences(content.get_item(db, item_id).body or "")) + "\n"


def edit_draft(db, item_id: int, *, sentence: int | None = None, text: str | None = None, script: str | None = None,
               title: str | None = None, description: str | None = None, tags: str | None = None) -> Edited:
    """Apply the edits to the draft's work folder and item; nothing is written when one of them is refused."""
    item = content.get_item(db, item_id)
    work = Path(item.work_dir)
    words = split_sentences((work / "script.txt").read_text(encoding="utf-8"))
    meta = json.loads((work / "metadata.json").read_text(encoding="utf-8"))
    new_words = _new_words(item_id, words, sentence, text, script)
    if title is not None:
        meta["title"] = _checked_title(item_id, title)
    if description is not None:
        meta["description"] = description.strip()
    if tags is not None:
        meta["tags"] = _checked_tags(item_id, tags)
    if new_words is None and title is None and description is None and tags is None:
        raise UsageError("nothing to change", hint=f"moneyprinter review edit {item_id} --sentence N --text '...' "
                                                   "(or --script FILE, --title, --description, --tags)")
    final = new_words or words
    verdict = gate.check(" ".join(final), gate.Kind.SCRIPT, gate.Context(topic=meta.get("topic", ""), language="en"))
    reasons = verdict.reasons() if new_words is not None else list(meta.get("review") or [])
    if new_words is not None:
        _write_script(work, final, reasons, verdict.passed)
        meta["review"] = reasons  # a person wrote these words: the gate's problems are what is left to check
    _write(work / "metadata.json", json.dumps(meta, indent=2, ensure_ascii=False))
    metadata = replace(item.metadata, description=meta["description"], tags=meta["tags"], review_reasons=meta["review"],
                       script=json.loads((work / "script.json").read_text(encoding="utf-8")))
    updated = content.update_item(db, item_id, title=meta["title"], body=" ".join(final), metadata=metadata,
                                  status=ItemStatus.DRAFT)
    return Edited(updated, final, reasons)


def _new_words(item_id: int, words: list[str], sentence: int | None, text: str | None,
               script: str | None) -> list[str] | None:
    if sentence is not None:
        if text is None:
            raise UsageError("--sentence needs the new sentence", hint=f"moneyprinter review edit {item_id} "
                                                                       f"--sentence {sentence} --text '...'")
        if not 1 <= sentence <= len(words):
            raise UsageError(f"Short {item_id} has sentences 1 to {len(words)}, not {sentence}",
                             hint=f"see them with: moneyprinter videos --json; then --sentence N (1 to {len(words)})")
        replacement = _checked_text(item_id, text)
        return [*words[: sentence - 1], *split_sentences(replacement), *words[sentence:]]
    whole = script if script is not None else text
    if whole is None:
        return None
    return split_sentences(_checked_text(item_id, whole))


def _checked_text(item_id: int, text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise UsageError(f"the new text for Short {item_id} is empty", hint="give the words, or leave the option out")
    return text


def _checked_title(item_id: int, title: str) -> str:
    title = " ".join(title.split())
    if not title or len(title) > TITLE_MAX or "<" in title or ">" in title:
        raise UsageError(f"a YouTube title must be 1-{TITLE_MAX} characters without < or > (this one has {len(title)})",
                         hint=f"moneyprinter review edit {item_id} --title 'A short, honest title'")
    return title


def _checked_tags(item_id: int, tags: str) -> list[str]:
    found = [t.strip().lstrip("#") for t in tags.split(",") if t.strip().lstrip("#")]
    bad = [t for t in found if all(is_stopword(w) for w in t.split())]
    if not found or bad:
        what = f"tags that say nothing: {', '.join(bad)}" if bad else "no tags given"
        raise UsageError(what, hint=f"moneyprinter review edit {item_id} --tags 'octopus, camouflage' (comma-separated)")
    return found


def _write_script(work: Path, words: list[str], reasons: list[str], passed: bool) -> None:
    parts = json.loads((work / "script.json").read_text(encoding="utf-8")) if (work / "script.json").exists() else {}
    cta = words[-1] if len(words) > 1 and is_call_to_action(words[-1]) else ""
    body = words[1:-1] if cta else words[1:]
    parts.update(hook=words[0], body=body, cta=cta, passed=passed, reasons=reasons, edited=True, grounded=False)
    _write(work / "script.json", json.dumps(parts, indent=2, ensure_ascii=False))
    _write(work / "script.txt", " ".join(words))
    for name in MADE_FROM_WORDS:
        path = work / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)
