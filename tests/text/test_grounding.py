"""The curated fact sets and the support check that grounds the local model's text in them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from moneyprinter.text.gate import Context, Kind, check
from moneyprinter.text import grounding
from moneyprinter.text.grounding import fact_set_for, fact_sets, ground, next_subject, supporting_fact

BENCH = json.loads((Path(__file__).parents[2] / "bench" / "text_quality_data" / "set.json").read_text())


def test_at_least_six_fact_sets_with_enough_facts_for_several_shorts():
    sets = fact_sets()
    assert len(sets) >= 6
    for fact_set in sets:
        assert len(fact_set.facts) >= 25, fact_set.niche
        assert len(fact_set.subjects) >= 5, fact_set.niche


def test_every_fact_is_one_plain_sentence_with_a_source():
    seen = set()
    for fact in (f for s in fact_sets() for f in s.facts):
        assert fact.text.endswith(".") and fact.text[0].isupper(), fact.text
        assert len(re.findall(r"[.!?](?:\s|$)", fact.text)) == 1, f"one sentence: {fact.text}"
        assert fact.source.startswith("https://"), fact.text
        assert fact.text not in seen, f"twice: {fact.text}"
        seen.add(fact.text)


@pytest.mark.parametrize("niche", sorted(BENCH["shorts"]))
def test_the_niches_the_project_knows_have_a_fact_set(niche):
    assert fact_set_for(niche) is not None


def test_a_niche_without_a_fact_set_is_not_grounded():
    assert fact_set_for("budget travel") is None
    assert ground("budget travel", "cheap flights to Lisbon", 6) is None
    assert ground("surprising science facts", "How do your furry friends die", 6) is None


def test_a_topic_takes_its_subjects_facts_first():
    grounding = ground("surprising science facts", "Why the sky is blue", 6)
    assert grounding.subject.title == "Why the sky is blue"
    assert all(f.subject == "Why the sky is blue" for f in grounding.facts)
    assert len(grounding.facts) == 6 and all(s.startswith("https://") for s in grounding.sources)


def test_a_topic_on_a_general_channel_finds_another_sets_subject():
    grounding = ground("interesting facts", "Why Mars is red", 4)
    assert grounding.fact_set.niche == "space" and "iron oxide" in grounding.facts[0].text


def test_new_topics_come_from_unused_subjects():
    science = fact_set_for("surprising science facts")
    used = [s.title for s in science.subjects[:-1]]
    assert next_subject(science, used).title == science.subjects[-1].title


FACTS = ["Air molecules scatter blue light much more strongly than red light, an effect called Rayleigh scattering.",
         "Liquid water is at its densest at about four degrees Celsius."]


@pytest.mark.parametrize("sentence", [
    "Air molecules scatter blue light much more strongly than red light.",
    "Air molecules scatter blue light far more strongly than red light.",
    "Water is densest at about four degrees Celsius.",
])
def test_a_rephrased_fact_is_supported(sentence):
    assert supporting_fact(sentence, FACTS) is not None


@pytest.mark.parametrize("sentence", [
    "When you die, your body is absorbed into the earth.",
    "Air molecules scatter blue light for 300 years.",
    "Water is densest at about 12 degrees Celsius.",
    "The blue sky is actually red, and air hides the true colour from our eyes.",
    "Air molecules scatter red light much more strongly than blue light.",
    "Liquid water is not at its densest at about four degrees Celsius.",
])
def test_a_sentence_with_a_claim_of_its_own_is_not_supported(sentence):
    assert supporting_fact(sentence, FACTS) is None


def test_the_gate_blocks_a_script_sentence_no_fact_supports():
    hook, cta = "The sky hides a trick of light.", "Follow for more science facts."
    context = Context(topic="Why the sky is blue", facts=FACTS, allowed=[hook, cta])
    good = f"{hook} {FACTS[0]} Water is densest at about four degrees Celsius. {cta}"
    bad = f"{hook} {FACTS[0]} When you die, your body is absorbed into the earth. {cta}"
    assert check(good, Kind.SCRIPT, context).passed
    verdict = check(bad, Kind.SCRIPT, context)
    assert not verdict.passed and "unsupported_sentence" in {p.check for p in verdict.problems}


def test_every_subject_read_as_written_passes_the_gate_in_every_format():
    """The curated words themselves: a script of a subject's hook, facts (after its myth) and a call to action
    passes every check, so the offline fallback is always publishable."""
    from moneyprinter.shorts.formats import FORMATS, template_cta
    from moneyprinter.shorts.script import compose_script
    from tests.shorts.test_script_quality import Scripted

    for fact_set in fact_sets():
        for subject in fact_set.subjects:
            for fmt in FORMATS.values():
                grounding = ground(fact_set.niche, subject.title, 6)
                draft = compose_script(Scripted(["{}"], bundled=True), subject.title, fmt=fmt, niche=fact_set.niche,
                                       body_sentences=6, max_words=30, candidates=1, local_model=True,
                                       grounding=grounding)
                assert draft.passed and draft.grounded, (subject.title, fmt.id, draft.reasons)
                assert template_cta(fmt, fact_set.niche) == draft.cta


def test_a_number_with_a_thousands_separator_from_the_source_is_not_flagged():
    context = Context(topic="compound interest", source="It grows to about 1,629 dollars.", local_model=True)
    assert "unsupported_claim" not in {p.check for p in check("It grows to 1,629 dollars.", Kind.POST, context).problems}


@pytest.mark.parametrize(("sentence", "fact"), [
    # What the bundled model wrote in place of curated facts, and must not pass for them.
    ("Be sure to drink it soon enough to make it last.",
     "Cold brew is often made as a concentrate and mixed with water or milk before drinking."),
    ("Resting lets the gluten relax, so it's easier to shape and rises faster.",
     "Resting lets the gluten in bread dough relax, so the dough is easier to shape."),
    ("Why an emergency fund matters: An Emergency Fund is Money You Don\u2019t Need!",
     "An emergency fund is money set aside for unexpected costs such as a car repair, a medical bill or a lost job."),
    ("Supermassive black holes, millions or billions of times the mass of the Sun sit at the centres of most "
     "large galaxies and can have multiple event lines.",
     "Supermassive black holes, millions or billions of times the mass of the Sun, sit at the centres of most "
     "large galaxies."),
])
def test_a_rewrite_that_drops_most_of_a_fact_or_adds_claims_is_not_supported(sentence, fact):
    assert supporting_fact(sentence, [fact]) is None


def test_a_shortened_fact_that_keeps_its_claim_is_supported():
    assert supporting_fact("Octopuses have three hearts.", ["Octopuses have three hearts and blue blood."])


def test_numbers_in_words_must_match_the_fact():
    assert supporting_fact("Octopuses have four hearts.", ["Octopuses have three hearts and blue blood."]) is None


def test_a_subject_of_another_niche_is_found_even_when_the_channel_has_a_fact_set():
    grounding = ground("surprising science facts", "Why Mars is red", 6)
    assert grounding.fact_set.niche == "space" and grounding.subject.title == "Why Mars is red"
    assert ground("surprising science facts", "Why the Blue Sky Is Actually Red", 6).subject.title == "Why the sky is blue"


@pytest.mark.parametrize("niche, topic", [
    ("budget travel in Portugal", "Getting around Lisbon on a budget"),  # grounded in the 50/30/20 rule before
    ("indie game development", "Why your first game should be small"),
    ("gardening", "How to grow bigger onions"),
])
def test_one_shared_word_does_not_make_a_topic_a_subject(niche, topic):
    assert ground(niche, topic, 5) is None


@pytest.mark.parametrize("niche, topic, subject", [
    ("personal finance", "The 50/30/20 budget rule", "The 50/30/20 budget rule"),
    ("personal finance", "Budget rule 50/30/20", "The 50/30/20 budget rule"),
    ("general", "Why is Mars red", "Why Mars is red"),
])
def test_a_topic_that_is_a_subject_in_other_words_is_still_grounded(niche, topic, subject):
    found = ground(niche, topic, 5)
    assert found is not None and found.subject.title == subject


@pytest.mark.parametrize("niche, expected", [
    ("learning guitar as an adult", ["#guitar"]),
    ("home coffee brewing", ["#coffee", "#brewing"]),
    ("getting started with sourdough baking", ["#sourdough", "#baking"]),
    ("learning", ["#learning"]),  # nothing more specific: the broad word is still better than no tag
])
def test_post_hashtags_name_what_the_topic_is_about_not_how_or_for_whom(niche, expected):
    assert grounding.post_hashtags(niche) == expected


def test_a_rewrite_that_changes_only_a_few_words_of_its_fact_gives_way_to_the_fact():
    """The edit adds nothing but risk: 'separated' for 'separate' and a lost comma broke the sentence."""
    from moneyprinter.shorts.script import grounded_body

    fact = "Inside a storm cloud, collisions between ice particles separate positive and negative charges."
    garbled = "Inside storm clouds are collisions of ice particles separated positive and negative charges."
    rephrased = "In a storm cloud, ice particles crash together and separate positive and negative charges."
    assert grounded_body([garbled], [fact]) == [fact]
    assert grounded_body([rephrased], [fact]) == [rephrased]  # a real rephrasing is kept
