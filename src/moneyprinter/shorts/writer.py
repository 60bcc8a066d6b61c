"""The writing steps of a Short: topic, script, title, image prompts.

Each step asks the text provider at most ``MAX_ATTEMPTS`` times, cleans the answer with
``moneyprinter.text`` and raises a ``ProviderError`` naming the step when no attempt gives usable text.
Prompts carry few-shot examples: the small local model copies a shown answer's shape reliably.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import TypeVar

from moneyprinter import errors
from moneyprinter.providers.llm import TextProvider
from moneyprinter.text import gate, keywords, titles
from moneyprinter.text.chatter import BadOutput, clean_line, clean_sentences
from moneyprinter.text.json_answers import parse_json_array
from moneyprinter.text.sentences import normalize, stems

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
MAX_WAIT_S = 10.0
T = TypeVar("T")

SCRIPT_SYSTEM = (
    "You write the narration of short vertical videos. Answer with the narration only: "
    "plain, complete sentences of facts about the topic. No title, no list, no labels, no emoji."
)
SCRIPT_EXAMPLES = [
    (
        "Write 6 sentences for a short video about: why cats purr",
        "Cats purr by twitching the muscles of their voice box. The sound goes on while they breathe in and out. "
        "Most cats purr when they feel safe and relaxed. Some cats also purr when they are hurt. "
        "The vibration may even help their bones heal. Scientists still argue about why purring evolved.",
    ),
    (
        "Write 5 sentences for a short video about: the history of coffee",
        "Coffee was first brewed in Yemen more than five hundred years ago. A legend says an Ethiopian goat "
        "herder found it first. His goats danced after eating red berries. By the sixteen hundreds, coffee houses "
        "had spread to London. Today people drink about two billion cups every day.",
    ),
]
TOPIC_SYSTEM = "You suggest one specific idea for a short educational video. Answer with the idea only, on one line."
TOPIC_EXAMPLES = [
    ("Suggest one short video idea about: space", "Why a day on Venus is longer than its year"),
    ("Suggest one short video idea about: personal finance", "How the 50/30/20 budget rule works"),
    ("Suggest one short video idea about: ocean life", "How octopuses change colour in a second"),
]
TITLE_SYSTEM = "You write catchy titles for YouTube Shorts. Answer with the title only, on one line, under 60 characters."
TITLE_EXAMPLES = [
    ("Write a title for a short video about: why cats purr", "The Secret Reason Cats Purr"),
    ("Write a title for a short video about: the history of coffee", "How Goats Discovered Coffee"),
]
IMAGES_SYSTEM = "You describe background pictures for a short video. Answer with a JSON array of strings only."
IMAGES_EXAMPLES = [
    (
        "Write 3 picture descriptions for a short video about: why cats purr",
        '["a relaxed tabby cat sleeping in warm sunlight", "close-up of a cat face with closed eyes", '
        '"a veterinarian gently holding a kitten"]',
    ),
]


def _language_note(language: str) -> str:
    return "" if language.split("-")[0] == "en" else f" Write in the language with code '{language}'."


def step_error(step: str, provider: str, reason: str) -> errors.ProviderError:
    return errors.ProviderError(
        f"{step}: the text provider '{provider}' gave no usable answer after {MAX_ATTEMPTS} attempts ({reason})",
        hint="try again, choose another topic, or set a stronger text provider in [shorts] text_provider",
    )


def with_attempts(step: str, provider: TextProvider, attempt: Callable[[int], T]) -> T:
    """Run ``attempt(i)`` up to MAX_ATTEMPTS times; bad output and transient service errors retry."""
    reason, transient = "no answer", False
    for i in range(MAX_ATTEMPTS):
        try:
            return attempt(i)
        except BadOutput as exc:
            reason, transient = str(exc), False
        except (errors.RateLimited, errors.ServiceUnavailable) as exc:
            reason, transient = exc.message, True
            if i < MAX_ATTEMPTS - 1:
                wait = getattr(exc, "retry_after", None)
                time.sleep(min(MAX_WAIT_S, wait if wait is not None else 2.0 * (i + 1)))
        except errors.ServiceError as exc:  # 401, 4xx: retrying will not help
            raise errors.ProviderError(
                f"{step}: {exc.message}", hint=exc.hint or f"check the key and settings of text provider '{provider.id}'"
            ) from None
        log.info("%s: attempt %d of %d unusable: %s", step, i + 1, MAX_ATTEMPTS, reason)
    error = step_error(step, provider.id, reason)
    if transient:
        error.exit_code = 75  # temporary: the scheduler may try again later
    raise error


def write_topic(provider: TextProvider, niche: str, *, language: str = "en", avoid: list[str] = ()) -> str:
    prompt = f"Suggest one short video idea about: {niche}{_language_note(language)}"
    avoid_keys = {normalize(a) for a in avoid}

    def attempt(i: int) -> str:
        text = provider.complete(prompt, system=TOPIC_SYSTEM, examples=TOPIC_EXAMPLES, max_tokens=40, temperature=0.8 + 0.1 * i)
        topic = clean_line(text, max_chars=120, prompts=[prompt, TOPIC_SYSTEM] + [a for _, a in TOPIC_EXAMPLES])
        if normalize(topic) in avoid_keys:
            raise BadOutput("the same topic as an earlier Short")
        return topic.rstrip(".")

    return with_attempts("topic", provider, attempt)


def _keywords(text: str) -> set[str]:
    """Content words, cut to 5 letters as a rough stem ("octopuses" meets "octopus")."""
    return stems(text)


def write_script(provider: TextProvider, topic: str, *, sentences: int, max_words: int, language: str = "en") -> str:
    """``sentences`` clean sentences about ``topic``.

    Small models stop early, so an attempt may ask the model to continue its own answer (shown
    back as its previous chat turn) while each call still adds new sentences, at most
    ``sentences`` calls. Sentences kept from one attempt carry over to the next.
    """
    collected: list[str] = []
    seen: set[str] = set()
    first = f"Write {sentences} sentences for a short video about: {topic}{_language_note(language)}"
    echoes = [first, SCRIPT_SYSTEM] + [a for _, a in SCRIPT_EXAMPLES]

    def call(i: float) -> list[str]:
        missing = sentences - len(collected)
        if collected:
            prompt = f"Write {missing} more sentence{'s' if missing > 1 else ''} about {topic} that continue it."
            examples = [*SCRIPT_EXAMPLES, (first, " ".join(collected))]
        else:
            prompt, examples = first, SCRIPT_EXAMPLES
        text = provider.complete(prompt, system=SCRIPT_SYSTEM, examples=examples,
                                 max_tokens=min(900, 50 * missing + 40), temperature=min(1.1, 0.4 + 0.15 * i))
        return clean_sentences(text, prompts=[prompt, *echoes], max_words=max_words, seen=set(seen))

    def attempt(i: int) -> str:
        for call_number in range(sentences + 1):
            new = call(i + call_number * 0.3)  # a little warmer each call, to leave a loop
            if not collected and new and not (_keywords(topic) & _keywords(" ".join(new))):
                raise BadOutput("the script is not about the topic")
            collected.extend(new)
            seen.update(normalize(n) for n in new)
            if len(collected) >= sentences:
                break
        if len(collected) < sentences:
            raise BadOutput(f"only {len(collected)} of {sentences} usable sentences")
        return " ".join(collected[:sentences])

    return with_attempts("script", provider, attempt)


def write_title(provider: TextProvider, topic: str, *, language: str = "en") -> str:
    prompt = f"Write a title for a short video about: {topic}{_language_note(language)}"

    def attempt(i: int) -> str:
        text = provider.complete(prompt, system=TITLE_SYSTEM, examples=TITLE_EXAMPLES, max_tokens=30, temperature=0.7 + 0.1 * i)
        title = clean_line(text, max_chars=90, prompts=[prompt, TITLE_SYSTEM] + [a for _, a in TITLE_EXAMPLES])
        title = titles.fit_title(_drop_byline(title), language=language)
        verdict = gate.check(title, gate.Kind.TITLE, gate.Context(topic=topic, language=language))
        if not verdict.passed:
            raise BadOutput("the title " + "; ".join(verdict.reasons()))
        return title

    return with_attempts("title", provider, attempt)


def _drop_byline(title: str) -> str:
    """Remove an invented author ("... Guide by Mark Kacs, a Financial Expert") from a long title."""
    match = re.search(r",?\s+by\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\b.*$", title)
    if match and len(title[: match.start()].split()) >= 4:
        return title[: match.start()]
    return title


def write_image_prompts(provider: TextProvider, topic: str, script: str, *, count: int) -> list[str]:
    prompt = f"Write {count} picture descriptions for a short video about: {topic}"

    def attempt(i: int) -> list[str]:
        text = provider.complete(prompt, system=IMAGES_SYSTEM, examples=IMAGES_EXAMPLES, max_tokens=40 * count + 40,
                                 temperature=0.7 + 0.1 * i)
        items = []
        for item in parse_json_array(text):
            item = re.sub(r"\s+", " ", item).strip()[:300]
            if len(item.split()) >= 2 and normalize(item) not in {normalize(x) for x in items}:
                items.append(item)
        if not items:
            raise BadOutput("no picture descriptions in the answer")
        return items

    prompts = with_attempts("image prompts", provider, attempt)
    # A short answer is padded from the script so every image still has a subject.
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", script) if s]
    while len(prompts) < count:
        prompts.append(f"{topic}: {sentences[len(prompts) % len(sentences)]}" if sentences else topic)
    return prompts[:count]


def description_and_tags(topic: str, script: str, niche: str, *, hook: str = "",
                         language: str = "en") -> tuple[str, list[str]]:
    """Built from the script and the topic, not the model: always on topic, never echoing a prompt.

    The description is the hook, a two-sentence summary and hashtags; the tags are keyphrases of the
    topic, the script and the niche (never stopwords), then 'shorts'."""
    hook = hook or (re.split(r"(?<=[.!?])\s+", script.strip()) or [""])[0]
    description = titles.description(hook, script, topic=topic, language=language)
    tags = keywords.tags(topic, script, niche, language=language, limit=8)
    return description, [*tags, "shorts"]
