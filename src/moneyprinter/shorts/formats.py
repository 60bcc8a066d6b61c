"""Script formats that work for short video: each opens with a hook and ends with a call to action.

The model is shown one worked example per format (small models copy a shown shape far better than
a described one) and asked for JSON: ``hook``, ``body`` sentences, ``cta``. When it gives no usable
hook or call to action, the format's template supplies one, built from the topic and the niche only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    id: str
    label: str  # what the prompt asks for, "{n}" is the number of body sentences
    example_topic: str
    example: dict  # {"hook": ..., "body": [...], "cta": ...}
    hook_template: str
    cta_template: str = "Follow for more about {niche}."

    def ask(self, n: int) -> str:
        return self.label.format(n=n)

    def example_answer(self, n: int) -> str:
        return json.dumps({**self.example, "body": self.example["body"][:n]}, ensure_ascii=False)


FORMATS: dict[str, Format] = {
    f.id: f
    for f in (
        Format(
            "listicle", "{n} surprising facts, one per sentence", "why cats purr",
            {"hook": "Your cat's purr hides three secrets.",
             "body": ["Cats purr by twitching the muscles of their voice box.",
                      "Most cats purr when they feel safe and relaxed.",
                      "Some cats also purr when they are hurt or scared.",
                      "The low hum may even help their bones heal.",
                      "Big cats like lions cannot purr at all.",
                      "Scientists still argue about why purring evolved."],
             "cta": "Follow for more animal facts."},
            "Here are a few things most people never learn about {topic}.",
        ),
        Format(
            "how_to", "{n} short steps, in order", "brewing better coffee at home",
            {"hook": "Your coffee can taste like a cafe's with four changes.",
             "body": ["First, buy whole beans and grind them just before brewing.",
                      "Next, weigh your coffee and use about one gram for every sixteen grams of water.",
                      "Then heat the water until it is just off the boil.",
                      "Pour a little water first and let the grounds bloom for thirty seconds.",
                      "Finally, pour the rest slowly in circles.",
                      "Taste it and adjust the grind next time."],
             "cta": "Save this and try it tomorrow morning."},
            "This is how to get {topic} right, step by step.",
            "Save this and try it this week.",
        ),
        Format(
            "myth_fact", "one common myth and then the facts that correct it", "cracking your knuckles",
            {"hook": "Cracking your knuckles will not give you arthritis.",
             "body": ["Many people believe the popping sound damages the joints.",
                      "In fact, the sound comes from gas bubbles in the fluid around the joint.",
                      "One doctor cracked the knuckles of only one hand for sixty years.",
                      "Both of his hands stayed equally healthy.",
                      "Large studies have found no link to arthritis either.",
                      "Stop only if it hurts or the joint swells."],
             "cta": "Share this with someone who still believes the myth."},
            "Most of what people believe about {topic} is only half true.",
            "Share this with someone who still believes the myth.",
        ),
        Format(
            "twist_story", "a short true story that ends with a surprising twist", "the invention of the microwave",
            {"hook": "A melted chocolate bar changed every kitchen in the world.",
             "body": ["In 1945 an engineer was testing radar equipment.",
                      "He noticed that the candy bar in his pocket had melted.",
                      "Curious, he pointed the radar at corn kernels, and they popped.",
                      "Within two years his company sold the first microwave oven.",
                      "It was almost two metres tall and weighed as much as a piano.",
                      "The twist is that he had never finished school."],
             "cta": "Follow for more stories behind everyday things."},
            "The story of {topic} has a twist almost nobody knows.",
        ),
    )
}

# Which format suits a niche, by the words in it; anything else gets a listicle.
_NICHE_FORMATS = (
    (r"facts?\b|trivia|did you know", "listicle"),
    (r"how to|tips?|guide|diy|cook|recipe|fitness|workout|productiv|garden|budget|saving|money|finance|skill", "how_to"),
    (r"health|nutrition|diet|sleep|myth|psycholog|medicine|body", "myth_fact"),
    (r"histor|story|stories|invent|mystery|legend|war|ancient|biograph", "twist_story"),
)


def choose_format(niche: str, configured: str = "auto", per_niche: dict[str, str] | None = None) -> Format:
    """The format set for a word of the niche (``[text] formats``), else the configured one, else the one
    that suits the niche ('auto')."""
    niche_words = set(re.findall(r"\w+", niche.lower()))
    for word, format_id in (per_niche or {}).items():
        if set(re.findall(r"\w+", word.lower())) <= niche_words:
            return FORMATS[format_id]
    if configured != "auto":
        return FORMATS[configured]
    for pattern, format_id in _NICHE_FORMATS:
        if re.search(pattern, niche.lower()):
            return FORMATS[format_id]
    return FORMATS["listicle"]


def script_schema(body_sentences: int, max_chars: int = 150) -> dict:
    """The JSON schema the local model is constrained to (llama.cpp turns it into a grammar).

    Length bounds keep every sentence short and the whole answer inside the token budget."""
    sentence = {"type": "string", "minLength": 15, "maxLength": max_chars}
    return {
        "type": "object",
        "properties": {
            "hook": sentence,
            "body": {"type": "array", "items": sentence, "minItems": body_sentences, "maxItems": body_sentences},
            "cta": {"type": "string", "minLength": 10, "maxLength": 80},
        },
        "required": ["hook", "body", "cta"],
    }


_CTA_WORDS = re.compile(r"\b(?:follow|subscribe|comment|share|save|try|like|tell us|let us know|tag)\b", re.I)


def is_call_to_action(sentence: str) -> bool:
    return bool(_CTA_WORDS.search(sentence)) and len(sentence.split()) <= 16


def template_hook(fmt: Format, topic: str) -> str:
    return fmt.hook_template.format(topic=_phrase(topic))


def template_cta(fmt: Format, niche: str) -> str:
    return fmt.cta_template.format(niche=_phrase(niche) or "this")


def _phrase(text: str) -> str:
    """A topic inside a sentence: no final punctuation, lower-case first letter unless it is a name."""
    text = text.strip().rstrip(".!?")
    if text[:1].isupper() and not text[1:2].isupper() and text.split()[0].lower() in _LOWER_STARTS:
        text = text[:1].lower() + text[1:]
    return text


_LOWER_STARTS = frozenset("how why what the a an when where which who is are can do does".split())
