"""Each offline scene's central pictogram shows what the scene talks about, and scenes in a row vary."""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import pytest
from PIL import ImageFont

from moneyprinter.providers import icons
from moneyprinter.providers.procedural import scene_icons
from moneyprinter.text.headlines import headline
from moneyprinter.text.keywords import STOP_WORDS

FACTS = Path(icons.__file__).resolve().parent.parent / "text" / "facts"


def subjects():
    """(niche, title, sentences) of every curated fact sheet: the scripts the offline demo speaks."""
    for path in sorted(FACTS.glob("*.toml")):
        for subject in tomllib.loads(path.read_text("utf-8"))["subject"]:
            lines = [subject.get("hook", "")] + [fact["text"] for fact in subject["facts"]]
            yield path.stem, subject["title"], [line for line in lines if line]


def centrals(niche: str, topic: str, sentences: list[str]) -> list[str]:
    """The central icon of each scene, chosen the way the shot planner does (recent ones passed on)."""
    chosen: list[str] = []
    for i, sentence in enumerate(sentences):
        chosen.append(scene_icons(sentence, niche, index=i, headline=headline(sentence, sentences), topic=topic,
                                  recent=chosen)[0])
    return chosen


@pytest.mark.parametrize(("phrase", "icon"), [
    ("CAP OF BEESWAX", "beehive-outline"), ("SPECIAL STOMACH", "stomach"), ("GLUCOSE AND FRUCTOSE", "spoon-sugar"),
    ("MICROBES", "bacteria"), ("HONEYCOMB", "hexagon-multiple"), ("HONEY BEES", "bee"), ("OCTOPUSES", "jellyfish"),
    ("GREAT WHITE SHARKS", "shark"), ("BUTTERFLIES", "butterfly"), ("SOLAR PANEL", "solar-panel"),
    ("BLACK HOLE", "orbit"), ("DOLPHINS", "dolphin"), ("SNAILS", "snail"), ("LUNGS", "lungs"),
])
def test_the_headline_phrase_names_the_central_icon(phrase, icon):
    assert icons.icons_in(phrase, head_last=True)[0] == icon
    assert icons.icons_for("It is what it is.", "science", headline=phrase)[0] == icon


def test_a_bee_is_never_a_beetle():
    for word in ("bee", "bees", "honeybee", "bumblebee", "hive", "honey", "beeswax"):
        assert icons.icon_for_word(word) not in ("bug", "ladybug"), word
    script = next(s for niche, title, s in subjects() if title == "How bees make honey")
    for i, sentence in enumerate(script):
        assert "bug" not in icons.icons_for(sentence, "science", i, headline=headline(sentence, script),
                                            topic="How bees make honey")


def test_filler_words_and_interface_symbols_never_become_icons():
    for word in sorted(STOP_WORDS):
        assert icons.icon_for_word(word) is None, word
    # icon names that are other things: brands, buttons, and words used as verbs ("led", "draws")
    for word in ("apple", "record", "power", "play", "share", "led", "draws", "fan", "box", "network", "history"):
        assert icons.icon_for_word(word) is None or icons.icon_for_word(word) != word, word
    assert icons.icon_for_word("led") is None


def test_the_topic_fills_in_when_the_scene_names_nothing():
    assert icons.icons_for("It keeps a long while.", "science", topic="How bees make honey")[0] == "bee"
    assert icons.icons_for("It keeps a long while.", "science")[0] in icons.NICHE_ICONS["science"]


def test_no_central_icon_three_scenes_in_a_row_when_another_fits():
    sentence = "Bees fill the honeycomb with nectar."  # honeycomb, bee and nectar all fit
    first = icons.icons_for(sentence, "science", headline="HONEYCOMB")[0]
    assert first == "hexagon-multiple"
    assert icons.icons_for(sentence, "science", headline="HONEYCOMB", recent=["hexagon-multiple"])[0] == first
    third = icons.icons_for(sentence, "science", headline="HONEYCOMB", recent=["hexagon-multiple"] * 2)[0]
    assert third != first and third in ("bee", "flower-pollen")
    # nothing else relevant: the scene keeps its own icon rather than show a random one
    assert icons.icons_for("Honeycomb.", "science", headline="HONEYCOMB", recent=["hexagon-multiple"] * 2)[0] \
        == "hexagon-multiple"


def test_scenes_of_every_curated_script_vary():
    for niche, title, sentences in subjects():
        chosen = centrals(niche, title, sentences)
        for k in range(2, len(chosen)):
            if chosen[k] == chosen[k - 1] == chosen[k - 2]:  # only when the scene shows nothing else
                sentence = sentences[k]
                fits = {*icons.icons_in(headline(sentence, sentences)), *icons.icons_in(sentence), *icons.icons_in(title)}
                assert fits == {chosen[k]}, (title, k, chosen)
        assert len(set(chosen)) >= (len(chosen) + 1) // 2, (title, chosen)


def test_the_bees_short_shows_its_own_subjects():
    script = next(s for niche, title, s in subjects() if title == "How bees make honey")
    chosen = centrals("science", "How bees make honey", script)
    assert {"stomach", "spoon-sugar", "hexagon-multiple", "beehive-outline", "bacteria"} <= set(chosen)
    assert "bug" not in chosen and all(a != b for a, b in itertools.pairwise(chosen))


def test_every_mapped_name_is_a_glyph_of_the_font():
    names = set(icons.SYNONYMS.values()) | {n for names in icons.NICHE_ICONS.values() for n in names}
    missing = sorted(n for n in names if n not in icons.codepoints())
    assert not missing, f"not in the font's charmap: {missing}"
    font = ImageFont.truetype(str(icons.font_path()), 48)
    blank = sorted(n for n in names if not font.getmask(icons.glyph(n)).getbbox())
    assert not blank, f"no glyph drawn for: {blank}"


@pytest.mark.parametrize("sentence, topic, central", [
    ("Use a guitar and practice playing simple exercises.", "How to get started with learning guitar", "guitar-acoustic"),
    ("Give your puppy a treat just before you want it to sit.", "Teaching a puppy to sit", "dog"),
    ("Let the dough rest before you shape the loaf.", "sourdough baking at home", "bread-slice"),
])
def test_a_how_to_short_shows_the_thing_it_teaches(sentence, topic, central):
    assert icons.icons_for(sentence, "default", 0, topic=topic)[0] == central
