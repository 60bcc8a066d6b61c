"""Offline Shorts on topics no curated fact set covers: suggestions, not claims."""

from __future__ import annotations

import json

from moneyprinter.shorts.formats import FORMATS
from moneyprinter.shorts.script import compose_script
from moneyprinter.text.suggestions import CTA, GENERAL, hook
from tests.shorts.test_script_quality import Scripted

TOPIC, NICHE = "Teaching a puppy to sit", "dog training"


def tips(*texts):
    return json.dumps({"tips": list(texts)})


def compose(provider, candidates=2, body=4):
    return compose_script(provider, TOPIC, fmt=FORMATS["how_to"], niche=NICHE, body_sentences=body, max_words=30,
                          candidates=candidates, local_model=True)


GOOD = ["Start with a calm puppy in a quiet room.", "Reward your puppy the moment it sits.",
        "Keep each puppy lesson to a few minutes.", "Say the word sit once, then wait for your puppy."]
# What the bundled model wrote on this topic before: made-up claims and chatter.
BAD = ["The most important thing is holding their tail.", "Using puppy videos can be dangerous for dogs.",
       "A dog that helps you with lots of things.", "Your first puppy is about a cat who never stops purring.",
       "I trained my puppy with a brand called Sitwell."]


def test_the_models_suggestions_that_pass_alone_make_the_body():
    provider = Scripted([tips(BAD[0], GOOD[0], BAD[1], GOOD[1], BAD[4]),
                         tips(GOOD[2], BAD[2], GOOD[3], BAD[3], GOOD[0])], bundled=True)
    draft = compose(provider)
    assert sorted(draft.body) == sorted(GOOD)
    assert draft.hook == hook(TOPIC) and draft.cta == CTA
    assert draft.passed and not draft.grounded and draft.format == "suggestions"
    assert not any(bad in draft.text for bad in BAD)
    prompt, options = provider.calls[0]
    assert "tips" in prompt and options["schema"]["properties"]["tips"]["minItems"] == 5


def test_it_stops_asking_once_it_has_enough_and_never_asks_more_than_candidates_plus_one():
    enough = Scripted([tips(*GOOD, BAD[0])], bundled=True)
    compose(enough)
    assert len(enough.calls) == 1
    never = Scripted([tips(*BAD)] * 5, bundled=True)
    compose(never, candidates=2)
    assert len(never.calls) == 3


def test_general_suggestions_fill_a_body_the_model_left_under_three():
    draft = compose(Scripted([tips(GOOD[0], *BAD[:4])] * 3, bundled=True))
    assert draft.body[0] == GOOD[0] and draft.body[1:] == list(GENERAL[:2])
    assert draft.passed, draft.reasons
    opening = compose(Scripted([tips("Start small with a puppy and a quiet room.", *BAD[:4])] * 3, bundled=True))
    assert opening.body == ["Start small with a puppy and a quiet room.", GENERAL[0], GENERAL[2]]
    assert draft.passed, draft.reasons


def test_a_cloud_model_and_other_languages_write_scripts_as_before():
    answer = json.dumps({"hook": "Puppies learn fast.", "body": GOOD, "cta": "Follow for more dog training."})
    draft = compose_script(Scripted([answer], bundled=False), TOPIC, fmt=FORMATS["how_to"], niche=NICHE,
                           body_sentences=4, max_words=30, candidates=1, local_model=False)
    assert draft.format == "how_to" and draft.hook == "Puppies learn fast."
    german = Scripted([answer], bundled=True)
    compose_script(german, TOPIC, fmt=FORMATS["how_to"], niche=NICHE, body_sentences=4, max_words=30, candidates=1,
                   local_model=True, language="de")
    assert "tips" not in german.calls[0][0]


def test_a_tip_that_uses_the_topics_words_is_not_a_repeat_of_the_hook():
    topic = "How to start a vegetable patch"
    tip = "To begin your new vegetable patch, start by choosing a location that gets sun."
    draft = compose_script(Scripted([tips(tip)] * 3, bundled=True), topic, fmt=FORMATS["how_to"],
                           niche="home gardening for beginners", body_sentences=4, max_words=30, candidates=2,
                           local_model=True)
    assert tip in draft.body and draft.passed, draft.reasons


def test_a_tip_may_use_the_niches_words_instead_of_the_topics():
    tip = "Buy a monthly travel pass and use it for trams and metro."
    draft = compose_script(Scripted([tips(tip)] * 3, bundled=True), "Getting around Lisbon on a budget",
                           fmt=FORMATS["how_to"], niche="budget travel in Portugal", body_sentences=4, max_words=30,
                           candidates=2, local_model=True)
    assert draft.body[0] == tip and draft.passed, draft.reasons


# --- the topic of an offline Short when none is given ------------------------------------------------


def topic_of(app, tmp_path, niche, earlier=()):
    from moneyprinter.shorts import stages
    from moneyprinter.store import content
    from moneyprinter.store.accounts import add_account

    account = add_account(app.db, "youtube", f"chan{len(earlier)}{len(niche)}", topic=niche)
    for topic in earlier:
        content.create_item(app.db, account.id, "short", metadata={"topic": topic})
    item = content.create_item(app.db, account.id, "short")
    work = tmp_path / f"w{item.id}"
    work.mkdir()
    model = Scripted([], bundled=True)  # no call: an answer would be an error
    stages.stage_topic(stages.ShortJob(app, account, item.id, work, "9:16", _text=model))
    return (work / "topic.txt").read_text()


def test_a_niche_without_facts_gets_a_topic_of_its_own_words(app, tmp_path):
    assert topic_of(app, tmp_path, "dog training") == "How to get started with dog training"
    assert topic_of(app, tmp_path, "dog training", ["How to get started with dog training"]) == \
        "How to get better at dog training"


def test_a_general_channel_gets_a_curated_subject_not_a_template_of_generic_words(app, tmp_path):
    from moneyprinter.text.grounding import fact_sets

    topic = topic_of(app, tmp_path, "interesting facts")
    assert topic in {s.title for fs in fact_sets() for s in fs.subjects}
