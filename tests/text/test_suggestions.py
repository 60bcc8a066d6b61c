"""Suggestions for topics no curated fact set covers: each of the model's tips is checked alone; the
hooks, questions and general tips are templates of the topic's words. Examples are real answers of
the bundled model."""

from __future__ import annotations

import json

import pytest

from moneyprinter.text import gate
from moneyprinter.text.suggestions import (
    CTA,
    EXAMPLE_TIPS,
    GENERAL,
    best_suggestions,
    general,
    hook,
    next_topic,
    question,
    questions,
    suggestion_problems,
    tips_from_answer,
    topic_hits,
    topic_phrase,
)


@pytest.mark.parametrize("topic, tip", [
    ("home gardening for beginners", "Start with a small pot, it will help you handle the soil better."),
    ("dog training", "Don't leave your dog alone at night."),
    ("dog training", "Bring your puppy to its crate when you need a break."),
    ("minimalist living", "Eliminate clutter at home by creating a 'less is more' mindset."),
    ("birdwatching", "Learn about local birds and their habitats."),
    ("Teaching a puppy to sit", "Be patient, but not too hard."),
    ("indie game development", "Learn the basics of indie game development first."),
    ("How to start a vegetable patch", "To begin your vegetable patch, pick a spot that gets sun."),
    ("dog training", "When your dog sits, reward it straight away."),
    ("dog training", "First, teach one command at a time."),
])
def test_a_plain_suggestion_is_usable(topic, tip):
    assert suggestion_problems(tip, topic) == []


@pytest.mark.parametrize("topic, tip, why", [
    ("learning guitar as an adult", 'Many players have opted for a brand called "The Grip" for their guitars.',
     "does not suggest"),
    ("remote work productivity", "Use a remote work productivity tool like Google Workspace for your tasks.",
     "names what the topic does not: Google"),
    ("woodworking for beginners", "Buy a beginner-friendly tool such as a 250mm wood hammer and a rope.",
     "a number the topic does not give: 250"),
    ("dog training", "Dogs are creatures of habit.", "does not suggest"),
    ("Teaching a puppy to sit", "Using puppy videos can be dangerous for dogs.", "does not suggest"),
    ("learning guitar as an adult", "Learning how to play guitar can be an amazing hobby for life.",
     "does not suggest"),
    ("home gardening for beginners", "It gives you more nutrients and helps to keep them healthy.", "leans on"),
    ("chess improvement", "This is one of my favorite things, it keeps me sharp.", "leans on"),
    ("remote work productivity", "Try this at any hour of the day that works best for you.", "leans on"),
    ("Teaching a puppy to sit", "Teach them everything first before teaching their puppy.", "leans on"),
    ("birdwatching", "I like seeing birds with my own eyes on a sunny day.", "first person"),
    ("budget travel in Portugal", "Clean your bag every week so old oils do not spoil the taste.", "copies the prompt"),
    ("minimalist living", "space instead of commas at word beginnings.", "does not start a sentence"),
    ("chess improvement", "Practice the game yourself.", "4 words"),
    ("dog training", "Tips to improve your dog's behaviour start with patience.", "does not suggest"),
    ("indie game development", "Buy small bags to keep your coffee fresh for longer.", "borrows the example's subject"),
    ("indie game development", "Can't wait for the next game of your favorite team to come out.", "does not suggest"),
    ("remote work productivity", "Buy something you really want after the work is done (e.g., coffee beans).",
     "not one plain sentence"),
    ("remote work productivity", "Take care of yourself; eat well and do not smoke.", "not one plain sentence"),
    ("chess improvement", "What is the best way to beat the best players at chess?", "a question"),
    ("dog training", "Beware of stray dogs and keep pets inside. They are", "2 sentences"),
    ("chess improvement", "Start from a clean slate and practice every day, in order for", "incomplete sentence"),
])
def test_a_tip_that_cannot_stand_alone_or_makes_a_claim_is_caught(topic, tip, why):
    assert any(why in problem for problem in suggestion_problems(tip, topic))


@pytest.mark.parametrize("topic, tip", [
    ("Teaching a puppy to sit", "Bite when you step on the backs of the puppies to teach them how not to jump."),
    ("dog training", "Hit your dog on the nose when it barks at the door."),
    ("dog training", "Kick the crate so your puppy learns to stay quiet at night."),
    ("Teaching a puppy to sit", "Punish your puppy by withholding water until it sits."),
    ("home gardening for beginners", "Spray bleach on the leaves to keep insects away from the plants."),
    ("remote work productivity", "Skip sleep on busy weeks so you can finish more of your tasks."),
    ("learning guitar as an adult", "Play through the pain in your fingers until they bleed."),
])
def test_advice_that_could_hurt_someone_is_caught(topic, tip):
    assert any("could hurt" in problem for problem in suggestion_problems(tip, topic)), suggestion_problems(tip, topic)


@pytest.mark.parametrize("topic, tip", [
    ("dog training", "Reward your dog with a treat the moment it sits."),
    ("Teaching a puppy to sit", "Keep training sessions short so your puppy stays interested."),
    ("home gardening for beginners", "Water your seedlings in the morning before the sun gets hot."),
    ("learning guitar as an adult", "Rest your fingers for a day when the tips feel sore."),
])
def test_gentle_advice_is_not_taken_for_harm(topic, tip):
    assert not any("could hurt" in problem for problem in suggestion_problems(tip, topic))


def test_a_tip_cut_off_at_its_limit_keeps_its_first_sentence():
    answer = json.dumps({"tips": ["Beware of stray dogs and keep pets in their crates. They\u2019",
                                  "Use a leash when you walk your dog.", 7]})
    assert tips_from_answer(answer) == ["Beware of stray dogs and keep pets in their crates.",
                                        "Use a leash when you walk your dog."]
    assert tips_from_answer("no json at all") == []


def test_the_topics_own_words_count_by_their_first_letters():
    assert topic_hits("Don't leave your dog alone at night.", "dog training") == 1
    assert topic_hits("Learn about local birds and their habitats.", "birdwatching") == 1
    assert topic_hits("Learn to think on your feet.", "learning chess as an adult") == 0  # 'learn' is every tip's
    assert topic_hits("Clean up after yourself and wash the dishes.", "dog training") == 0


def test_the_best_suggestions_use_the_topic_and_skip_repeats_and_what_was_said():
    tips = ["Clean up after yourself and wash the dishes.",
            "Use a leash when you walk your dog.",
            "Use a leash when you walk your dog!",
            "Reward your dog right after it sits.",
            "Practise commands with your dog for five minutes a day."]
    chosen = best_suggestions(tips, "dog training", 3, avoid=["Reward your dog right after it sits."])
    assert [s.text for s in chosen] == ["Use a leash when you walk your dog.",
                                        "Practise commands with your dog for five minutes a day.",
                                        "Clean up after yourself and wash the dishes."]
    assert [s.topic_hits for s in chosen] == [1, 1, 0]


def test_an_odd_coined_word_ranks_below_a_plain_tip():
    tips = ["Build your first level in indiabrajitlle before anything else.",
            "Keep your first game small and finish it."]
    assert best_suggestions(tips, "indie game development", 2)[0].text == tips[1]


@pytest.mark.parametrize("topic, phrase", [
    ("home gardening for beginners", "home gardening"),
    ("learning guitar as an adult", "learning guitar"),
    ("Budget travel in Portugal", "budget travel in Portugal"),
    ("I love Lisbon", "I love Lisbon"),
])
def test_a_topic_reads_as_words_inside_a_sentence(topic, phrase):
    assert topic_phrase(topic) == phrase


@pytest.mark.parametrize("topic, opening", [
    ("How to start a vegetable patch", "A few simple habits make it easier to start a vegetable patch."),
    ("Teaching a puppy to sit", "Teaching a puppy to sit gets easier with a few simple habits."),
    ("A daily routine for working from home", "A few simple things make a daily routine for working from home easier."),
])
def test_hooks_are_built_from_the_topics_words(topic, opening):
    assert hook(topic) == opening


def test_general_suggestions_do_not_open_as_a_tip_already_said():
    said = ["Start small, just pick a few vegetables at first."]
    assert general(said, 2) == [GENERAL[0], GENERAL[2]]
    assert general([], 2) == list(GENERAL[:2])


def test_the_examples_subject_is_fine_when_it_is_the_topic():
    assert suggestion_problems("Store your beans in a dark cupboard, not the fridge.", "coffee at home") == []


def test_questions_rotate_and_name_the_topic():
    asked = questions("dog training", turn=2)
    assert asked[0] == question("dog training", 2) and len(set(asked)) == len(asked)
    assert all("dog training" in q and q.endswith("?") for q in asked)


@pytest.mark.parametrize("topic", ["dog training", "How to start a vegetable patch", "learning guitar as an adult"])
def test_the_templates_alone_pass_the_gate(topic):
    script = " ".join([hook(topic), *GENERAL[:3], CTA])
    context = gate.Context(topic=topic, source=topic, local_model=True)
    verdict = gate.check(script, gate.Kind.SCRIPT, context)
    assert verdict.passed and not verdict.flags, verdict.reasons()
    assert all(suggestion_problems(g, topic) == [] for g in GENERAL)
    post = gate.check(f"{question(topic, 0)} #dogs", gate.Kind.POST, context)
    assert post.passed and not post.flags, post.reasons()


def test_the_example_tips_are_usable_suggestions_themselves():
    """The example shows the shape wanted: if it failed the checks, the model would copy a failing shape."""
    for tip in EXAMPLE_TIPS:
        assert suggestion_problems(tip, "brewing coffee at home") == ["copies the prompt's example"]


def test_a_niche_without_facts_gets_topics_of_its_own_words_not_used_before():
    first = next_topic("dog training", [])
    assert first == "How to get started with dog training"
    second = next_topic("Dog training", [first])
    assert second != first and second.endswith("dog training")
    everything = [next_topic("dog training", []) for _ in range(1)]
    for _ in range(6):
        everything.append(next_topic("dog training", everything))
    assert len(set(everything[:5])) == 5  # every template once before any repeats


@pytest.mark.parametrize("niche", ["dog training", "home gardening for beginners", "budget travel in Portugal"])
def test_a_template_topic_makes_a_hook_that_reads_and_a_script_that_passes(niche):
    topic = next_topic(niche, [])
    assert hook(topic).startswith("A few simple habits make it easier to get started with ")
    script = " ".join([hook(topic), *GENERAL[:3], CTA])
    assert gate.check(script, gate.Kind.SCRIPT, gate.Context(topic=topic, source=topic, local_model=True)).passed


def test_two_tips_that_open_alike_are_one_too_many():
    tips = ["Start with a guitar and learn the basics first, like how to strum them.",
            "Start with a guitar and learn simple chords on the right hand.",
            "Use a tuner app and tune your guitar before every practice session."]
    chosen = [s.text for s in best_suggestions(tips, "learning guitar as an adult", 3)]
    assert chosen == [tips[0], tips[2]]
