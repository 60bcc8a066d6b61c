"""Cleanup of model output and the similarity measure behind 'do not repeat'."""

import pytest

from moneyprinter.text.cleanup import cap_hashtags, clean_post, fit, remove_urls
from moneyprinter.text.similarity import most_similar, similarity
from moneyprinter.text.x_length import weighted_length


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('Here\'s a tweet about coffee:\n"Cold brew is less acidic than hot coffee."', "Cold brew is less acidic than hot coffee."),
        ("Sure! Here is your tweet: \u201cMorning light is best for photos.\u201d", "Morning light is best for photos."),
        ("Tweet: Grind right before you brew.", "Grind right before you brew."),
        ("'Water at 94 C extracts best.'", "Water at 94 C extracts best."),
        ("Rinse paper filters first.\n(27 characters)", "Rinse paper filters first."),
        ('He said "wow" and "yes".', 'He said "wow" and "yes".'),  # inner quotes are not wrapping quotes
        ("3 tips for better coffee:\n1. Grind fresh.\n2. Weigh it.", "3 tips for better coffee:\n1. Grind fresh.\n2. Weigh it."),
        ("Here's the trick: bloom first.", "Here's the trick: bloom first."),
        ("This is the secret: fresh beans.", "This is the secret: fresh beans."),
        ("Okay! Here are two versions:\nBloom first.", "Bloom first."),
        ("- Grind fresh.", "Grind fresh."),
        ("2/5 Weigh your water.", "Weigh your water."),
        ("1. Grind fresh.", "Grind fresh."),
        ("Note that fresh beans taste better.", "Note that fresh beans taste better."),
        ("Fresh beans taste better.\nNote: this is 34 characters.", "Fresh beans taste better."),
        # Seen from the local model when asked for a pitch:
        ("Here's a sample of the product recommendations for X:\nA grinder that fits in a bag.", "A grinder that fits in a bag."),
        ("X: Barista Pro Hand Grinder, a simple, smart tool.", "Barista Pro Hand Grinder, a simple, smart tool."),
        ("Here's a sample of how to write the first post in your thread about gardening.\nTomatoes love sun.",
         "Tomatoes love sun."),
        ("Tomatoes love sun. Here's another example of a post: basil needs less.", "Tomatoes love sun."),
        ("Here's one tip: water in the morning.", "Here's one tip: water in the morning."),
    ],
)
def test_wrapping_is_removed(raw, expected):
    assert clean_post(raw, max_hashtags=2, limit=280) == expected


def test_hashtags_are_capped_and_deduplicated():
    text = "Bloom your grounds for 30 s. #coffee #Coffee #pourover #barista #brew"
    assert cap_hashtags(text, 2) == "Bloom your grounds for 30 s. #coffee #pourover"
    assert cap_hashtags(text, 0) == "Bloom your grounds for 30 s."


def test_a_cut_off_sentence_is_dropped_not_posted():
    raw = "Use a scale for repeatable coffee. Weigh beans and water, and the"
    assert clean_post(raw, max_hashtags=2, limit=280) == "Use a scale for repeatable coffee."
    raw = "Fresh beans matter. Most supermarket coffee was roasted months ago and..."
    assert clean_post(raw, max_hashtags=2, limit=280) == "Fresh beans matter."


def test_abbreviations_do_not_end_a_sentence():
    raw = "Ask Dr. Brew about water. It matters more than beans, e.g. for taste, and the"
    assert clean_post(raw, max_hashtags=2, limit=280) == "Ask Dr. Brew about water."


def test_too_long_text_loses_whole_sentences_never_half_of_one():
    sentence = "Grind size changes everything about extraction and taste in the cup. "
    text = (sentence * 6).strip() + " #coffee"
    fitted = fit(text, 280)
    assert weighted_length(fitted) <= 280
    assert fitted.endswith("cup.") and fitted.count("Grind") == 4  # hashtags go first, then sentences
    assert fit("x" * 300, 280) == ""  # one sentence too long: nothing, the caller asks again


def test_made_up_links_are_removed():
    assert remove_urls("Great kettle, see https://example.com/x now") == "Great kettle, see now"


def test_similarity_ignores_case_punctuation_links_and_hashtags():
    a = "Cold brew is less acidic than hot coffee! #coffee https://t.co/abc"
    b = "cold brew is less acidic than hot coffee coffee"
    assert similarity(a, b) == pytest.approx(1.0)
    assert similarity("Cold brew is smooth.", "Espresso needs fine grounds and 9 bar.") < 0.5
    score, match = most_similar("cold brew is LESS acidic than hot coffee", ["Tea is nice.", a])
    assert match == a and score > 0.9


def test_thread_markers_are_dropped_anywhere_but_fractions_stay():
    from moneyprinter.text.cleanup import drop_thread_markers

    assert drop_thread_markers("Fun fact! 1/3 The next tip: fill it 1/3 full.\n2.", 3) == "Fun fact! The next tip: fill it 1/3 full."
    assert drop_thread_markers("Use 2/3 cup of beans. 3/3", 3) == "Use 2/3 cup of beans."
    assert drop_thread_markers("Fill the filter to 1/3. Then pour.", 3) == "Fill the filter to 1/3. Then pour."
