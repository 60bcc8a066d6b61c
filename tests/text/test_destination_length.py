"""Each network's own count: graphemes, Mastodon's links and mentions, TikTok's UTF-16, Instagram's hashtags."""

from __future__ import annotations

from moneyprinter.text import destination_length as lengths


def test_bluesky_counts_graphemes_not_code_points():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one family emoji: five code points, one grapheme
    text = "a" * 299 + family
    assert len(text) == 304 and lengths.measure("bluesky", text) == 300
    assert lengths.problem("bluesky", text) is None
    assert lengths.problem("bluesky", text + "!") == "the text is 301 graphemes; Bluesky allows 300"


def test_mastodon_counts_links_as_23_and_mentions_by_their_local_part():
    link = "https://example.com/" + "x" * 100
    assert lengths.measure("mastodon", f"see {link}") == 4 + 23
    assert lengths.measure("mastodon", "hi @owl@birds.example") == len("hi @owl")
    assert lengths.problem("mastodon", "a" * 500) is None
    assert lengths.problem("mastodon", "a" * 501) == "the text is 501 characters (links count 23); this Mastodon " \
                                                      "instance allows 500"
    assert lengths.problem("mastodon", "a" * 501, limit=1000) is None  # the instance's own limit


def test_tiktok_counts_utf16_units_and_instagram_refuses_a_31st_hashtag():
    assert lengths.measure("tiktok", "\U0001F989") == 2  # an owl emoji is a surrogate pair
    assert lengths.problem("tiktok", "\U0001F989" * 1100) is None
    assert "2202 UTF-16 code units; TikTok allows 2200" in lengths.problem("tiktok", "\U0001F989" * 1101)
    tags = " ".join(f"#tag{n}" for n in range(31))
    assert lengths.problem("instagram", tags) == "the text has 31 hashtags; Instagram allows 30"
    assert lengths.problem("instagram", tags.rsplit(" ", 1)[0]) is None


def test_x_uses_the_weighted_count_and_an_empty_text_is_refused():
    link = "https://example.com/" + "y" * 300
    assert lengths.problem("x", link) is None  # a link weighs 23 on X
    assert lengths.problem("bluesky", link) is not None  # ... and every grapheme on Bluesky
    assert lengths.problem("threads", "   ") == "the text is empty"


def test_threads_counts_an_emoji_as_its_utf8_bytes():
    owl = "\U0001F989"  # four bytes in UTF-8
    assert lengths.measure("threads", "hi " + owl) == 3 + 4
    assert lengths.problem("threads", "a" * 496 + owl) is None
    assert "501 characters (an emoji counts its UTF-8 bytes); Threads allows 500" in \
        lengths.problem("threads", "a" * 497 + owl)
    assert lengths.problem("threads", "#one #two #three") is None  # the first is the topic tag; not refused


def test_hashtags_in_each_networks_form():
    tags = ["owl facts", "Owls", "night-birds", "owl facts", "!!"]
    assert lengths.hashtag_line("mastodon", tags) == "#OwlFacts #Owls #NightBirds"
    assert lengths.hashtag_line("tiktok", tags) == "#owlfacts #owls #nightbirds"
    assert lengths.hashtag_line("threads", tags) == "#OwlFacts"  # one topic tag per post
    assert lengths.hashtag_line("bluesky", [f"tag {n}" for n in range(9)]).count("#") == 5
    assert lengths.hashtag_line("instagram", [f"tag {n}" for n in range(40)]).count("#") == 30
    assert lengths.hashtags("#one and #two, not a#three or &#38;") == ["one", "two"]
