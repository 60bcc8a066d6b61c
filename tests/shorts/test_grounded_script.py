"""Offline scripts grounded in the curated facts: the model only rephrases them, the gate checks it did."""

from __future__ import annotations

from moneyprinter.shorts.formats import FORMATS
from moneyprinter.shorts.script import compose_script
from moneyprinter.text.grounding import ground, supporting_fact
from tests.shorts.test_script_quality import Scripted, answer

TOPIC, NICHE = "Why the sky is blue", "surprising science facts"
# What the bundled model really wrote for the demo Short: well formed, and false.
FALSE = answer("When you die, your body is absorbed into the earth.",
               ["The organs are sucked out of their sockets.", "The blue sky is actually red.",
                "Your memories are passed down to the fabric of life.", "Sky colours change every 372 years."],
               "Follow for more science facts.")


def compose(provider, fmt="listicle", body=4):
    grounding = ground(NICHE, TOPIC, body)
    return compose_script(provider, TOPIC, fmt=FORMATS[fmt], niche=NICHE, body_sentences=body, max_words=30,
                          candidates=1, local_model=True, grounding=grounding), grounding


def test_a_false_script_of_the_local_model_is_replaced_by_the_facts():
    draft, grounding = compose(Scripted([FALSE], bundled=True))
    assert draft.passed, draft.reasons
    assert draft.body == grounding.texts
    assert draft.hook == grounding.subject.hook and "die" not in draft.text
    assert draft.sources == grounding.sources and draft.grounded


def test_a_faithful_rephrasing_is_kept_and_an_invented_sentence_is_not():
    rephrased = "Air molecules scatter blue light far more strongly than red light."
    provider = Scripted([answer("Look up.", ["Sunlight looks white, but it mixes every colour of the rainbow.",
                                             rephrased, "The sky is blue because it reflects the sea."],
                                "Follow for more.")], bundled=True)
    draft, grounding = compose(provider)
    assert rephrased in draft.body and "reflects the sea" not in draft.text
    assert all(supporting_fact(s, grounding.texts) for s in draft.body)
    assert draft.passed


def test_the_prompt_gives_the_model_the_facts_to_rephrase():
    provider = Scripted([FALSE], bundled=True)
    _, grounding = compose(provider)
    prompt = provider.calls[0][0]
    assert all(fact in prompt for fact in grounding.texts)


def test_myth_vs_fact_opens_with_the_myth_when_the_subject_has_one():
    draft, grounding = compose(Scripted([FALSE], bundled=True), fmt="myth_fact")
    assert draft.body[0] == grounding.subject.myth and draft.passed
    assert draft.body[1:] == grounding.texts[:3]
