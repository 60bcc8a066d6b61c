"""The headline over a scene: the sentence's most telling noun phrase, never a stopword or a bag of words."""

from __future__ import annotations

import pytest

from moneyprinter.text import keywords
from moneyprinter.text.headlines import MAX_CHARS, headline

HONEY = [
    "Honey is flower nectar that bees have worked on twice.",
    "Honey bees make honey from nectar, the sugary liquid that flowers produce.",
    "Bees carry nectar back to the hive in a special stomach called the honey stomach.",
    "Enzymes that the bees add split the sugar in nectar into glucose and fructose.",
    "Bees fan their wings over the honeycomb to evaporate water until the honey is thick.",
    "When the honey is ready, the bees seal each cell with a cap of beeswax.",
    "Sealed honey keeps for years, because it holds too little water for most microbes to grow.",
]


@pytest.mark.parametrize("sentence, expected", [
    # what the demo Short said before: "NECTAR FLOWERS PRODUCE", "WINGS HONEYCOMB EVAPORATE", "HONEY READY BEESWAX"
    (HONEY[1], "SUGARY LIQUID"),
    (HONEY[2], "SPECIAL STOMACH"),
    (HONEY[3], "GLUCOSE AND FRUCTOSE"),
    (HONEY[4], "HONEYCOMB"),
    (HONEY[5], "CAP OF BEESWAX"),
    (HONEY[6], "MICROBES"),
])
def test_each_scene_of_a_script_gets_its_own_noun_phrase(sentence, expected):
    assert headline(sentence, HONEY) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Octopuses have three hearts and blue blood.", "THREE HEARTS"),
    ("The Great Wall of China is not visible from space with the naked eye.", "GREAT WALL OF CHINA"),
    ("Did you know that a day on Venus is longer than its year?", "VENUS"),
    ("The black hole at the centre of the Milky Way has about four million times the mass of the Sun.", "MILKY WAY"),
    ("Mars has the largest volcano known in the solar system, Olympus Mons.", "OLYMPUS MONS"),
    ("Compound interest turns small savings into a fortune over thirty years.", "COMPOUND INTEREST"),
    ("Mars has two small moons, Phobos and Deimos.", "PHOBOS AND DEIMOS"),
    ("It grew 300% in 2 years.", "300%"),
])
def test_the_phrase_is_the_one_a_viewer_would_pick(sentence, expected):
    assert headline(sentence) == expected


@pytest.mark.parametrize("sentence, never", [
    (HONEY[1], ["FLOWERS PRODUCE", "NECTAR FLOWERS PRODUCE", "BEES MAKE"]),  # a subject and its verb
    (HONEY[2], ["BEES CARRY", "NECTAR BACK", "STOMACH CALLED"]),
    (HONEY[4], ["BEES FAN", "WINGS HONEYCOMB EVAPORATE", "THICK"]),  # "thick" is said of the honey
    (HONEY[5], ["HONEY READY BEESWAX", "BEES SEAL", "READY"]),
    (HONEY[6], ["SEALED HONEY KEEPS", "LITTLE WATER", "HONEY LITTLE MICROBES"]),
    ("Dough has risen enough when a gentle poke leaves a dent that slowly springs back.", ["SPRINGS", "SPRINGS BACK"]),
    ("Coffee and tea count towards your daily water too.", ["COFFEE AND TEA COUNT", "TEA COUNT"]),
    ("Violet light is scattered even more, but our eyes are less sensitive to violet, so we see blue.", ["SENSITIVE"]),
])
def test_never_a_verb_phrase_a_predicate_or_words_from_all_over_the_sentence(sentence, never):
    chosen = headline(sentence, HONEY if sentence in HONEY else ())
    assert chosen and chosen not in never
    assert chosen.lower() in sentence.lower()  # as spoken: one run of the sentence's words, never a bag


@pytest.mark.parametrize("sentence", [
    "Here is why that matters.", "And that is not all.", "You will not believe what happens next.",
    "This is the reason.", "It is what it is.", "Here's the thing: it really works.",
])
def test_a_sentence_without_anything_to_show_gets_no_headline(sentence):
    assert headline(sentence) == ""


def test_short_upper_case_and_never_a_stopword():
    script = HONEY + ["Follow for more about surprising science facts.",
                      "Most people check their phone within ten minutes of waking up.",
                      "The rule was made popular by Elizabeth Warren and Amelia Warren Tyagi in their book All Your Worth."]
    for sentence in script:
        chosen = headline(sentence, script)
        assert chosen == chosen.upper() and len(chosen) <= MAX_CHARS and len(chosen.split()) <= 4
        first, last = chosen.lower().split()[0], chosen.lower().split()[-1]
        assert not keywords.is_stopword(first) and not keywords.is_stopword(last)
    assert keywords.headline(HONEY[3], HONEY) == "GLUCOSE AND FRUCTOSE"  # the one entry point the scenes use


def test_a_modifier_before_and_is_not_the_thing():
    sentence = "Inside storm clouds are collisions of ice particles separated positive and negative charges."
    shown = headline(sentence)
    assert shown and not shown.endswith("POSITIVE"), shown
