"""Cleanup leaves whole sentences: links, pointers at nothing, repeats and copied context go sentence by sentence."""

from __future__ import annotations

from moneyprinter.text.cleanup import clean_post, drop_copied_context, drop_link_sentences
from moneyprinter.text.similarity import most_similar, sentence_overlap


def clean(raw: str) -> str:
    return clean_post(raw, max_hashtags=2, limit=280)


def test_a_made_up_link_takes_its_sentence_with_it():
    raw = "Cold brew is smoother. Get the full recipe at https://example.com/brew today. Steep it for 16 hours."
    assert clean(raw) == "Cold brew is smoother. Steep it for 16 hours."
    assert drop_link_sentences("Great kettle, see https://example.com/x now") == ""


def test_a_sentence_pointing_at_nothing_never_survives():
    assert clean("Grind fresh for better taste. Download the free chart at today.") == "Grind fresh for better taste."
    assert clean("Read more:") == ""
    assert clean("Read more: #coffee") == ""
    assert clean("Weigh your beans. Check out the full guide here.") == "Weigh your beans."


def test_a_sentence_repeated_inside_one_text_is_dropped():
    raw = "Weigh your beans. Grind right before brewing. Weigh your beans!"
    assert clean(raw) == "Weigh your beans. Grind right before brewing."


def test_meta_sentences_and_made_up_announcements_are_dropped():
    raw = "Your post will be titled: Coffee Tips. Bloom the grounds first."
    assert clean(raw) == "Bloom the grounds first."
    raw = "I'm thrilled to announce that I'll be delivering a webinar next month! Bloom the grounds first."
    assert clean(raw) == "Bloom the grounds first."


def test_the_do_not_repeat_context_is_never_copied_into_a_post():
    earlier = "Most supermarket coffee was roasted months ago, so buy beans with a roast date and use them within a month of it"
    shown = earlier[:120]  # what the prompt showed: cut at 120 characters
    raw = f"Pour slowly in circles. {shown[:70]}. Water just off the boil extracts best."
    assert drop_copied_context(raw, [shown]) == "Pour slowly in circles. Water just off the boil extracts best."
    assert drop_copied_context("Pour slowly in circles.", [shown]) == "Pour slowly in circles."


def test_near_duplicates_by_sentence_sets():
    old = "Grind right before brewing. Weigh your water. Pour slowly in circles."
    reordered = "Pour slowly in circles. Grind right before brewing. Weigh your water."
    one_added = old + " Enjoy the cup."
    assert sentence_overlap(old, reordered) == 1.0
    assert sentence_overlap(old, one_added) == 1.0
    assert most_similar(reordered, ["Tea needs cooler water.", old]) == (1.0, old)
    assert most_similar("Tea needs cooler water than coffee.", [old])[0] < 0.75


def test_a_headline_line_above_the_post_is_dropped_but_a_list_intro_stays():
    assert clean("The Ultimate Roasthouse Brew\nFresh beans make the best cup.") == "Fresh beans make the best cup."
    assert clean("3 tips for better coffee:\n1. Grind fresh.\n2. Weigh it.").startswith("3 tips for better coffee:")


def test_a_stray_quote_mark_is_removed():
    assert clean('Keep your plants near a bright window."') == "Keep your plants near a bright window."
    assert clean('He said "water less" and it worked.') == 'He said "water less" and it worked.'
