"""Offline scenes: the sentence's icon and keywords, a look per niche, room for captions."""

from __future__ import annotations

import numpy as np
from PIL import Image

from moneyprinter.providers import icons
from moneyprinter.media.niche_styles import niche_key
from moneyprinter.providers.procedural import render_scene
from moneyprinter.text.keywords import headline, search_terms

SIZE = (540, 960)


def mean_colour(img):
    return np.asarray(img.convert("RGB"), np.float32).reshape(-1, 3).mean(axis=0)


def test_keywords_make_the_headline_and_the_search_terms():
    sentence = "Octopuses can change the colour of their skin in less than a second."
    assert headline(sentence) == "OCTOPUSES"  # the noun phrase; "OCTOPUSES CHANGE COLOUR" was words from all over
    assert search_terms("It is what it is.", topic="deep sea fish") == "deep sea fish"


def test_icons_show_what_the_sentence_is_about():
    assert icons.icons_for("Sharks hunt on the reef.", "nature")[:2] == ["water", "binoculars"]
    assert icons.icons_for("Save money every month.", "personal finance")[:2] == ["piggy-bank", "cash-coin"]
    assert icons.icons_for("A rocket leaves the launch pad.", "space")[0] == "rocket"
    # nothing to match: the niche's own icons, never an empty list
    assert icons.icons_for("Zzyzx qwerty.", "money")[0] in icons.NICHE_ICONS["money"]
    assert all(name in icons.codepoints() for names in icons.NICHE_ICONS.values() for name in names)
    assert all(name in icons.codepoints() for name in icons.SYNONYMS.values())


def test_each_niche_has_its_own_look_and_one_channel_stays_recognisable():
    assert niche_key("surprising science facts") == "science" and niche_key("personal finance tips") == "money"
    assert niche_key("knitting") == "default"
    science = [mean_colour(render_scene(s, SIZE, "science facts", index=i)) for i, s in
               enumerate(["Bees see ultraviolet light.", "Water expands when it freezes."])]
    money = mean_colour(render_scene("Bees see ultraviolet light.", SIZE, "personal finance"))
    assert np.abs(science[0] - science[1]).max() < 25  # same channel: same palette
    assert np.abs(science[0] - money).max() > 25  # another niche: another palette


def test_the_headline_is_baked_only_when_asked_and_stays_in_the_upper_part():
    with_type = np.asarray(render_scene("Volcanoes make new islands.", SIZE, "nature").convert("L"), np.float32)
    bare = np.asarray(render_scene("Volcanoes make new islands.", SIZE, "nature", with_headline=False).convert("L"), np.float32)
    changed = np.argwhere(np.abs(with_type - bare) > 40)
    assert len(changed) > 2000  # large type
    top, bottom = changed[:, 0].min() / SIZE[1], changed[:, 0].max() / SIZE[1]
    assert top > 0.1 and bottom < 0.36  # between the top edge and the badge, clear of the caption band
    left, right = changed[:, 1].min() / SIZE[0], changed[:, 1].max() / SIZE[0]
    assert left > 0.08 and right < 0.92


def test_scenes_are_not_flat_cards(tmp_path):
    img = render_scene("Light takes eight minutes to reach us.", (1080, 1920), "space")
    px = np.asarray(img, np.float32)
    assert img.size == (1080, 1920) and px.std() > 20
    centre = px[760:1160, 340:740].mean()
    assert abs(centre - px[1700:, :].mean()) > 10  # the badge stands out from the background
    Image.fromarray(px.astype(np.uint8)).save(tmp_path / "x.png")


def test_filler_words_never_become_icons():
    assert "at" not in icons.icons_for("A rocket leaves Earth at eleven kilometres per second.", "space")
