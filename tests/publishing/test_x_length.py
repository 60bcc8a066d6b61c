"""X's weighted length: URLs 23, CJK and emoji 2, limit 280, never truncated."""

import pytest

from moneyprinter.text.x_length import PostTooLong, check_length, weighted_length


@pytest.mark.parametrize("text, expected", [
    ("hello", 5),
    ("https://example.com/" + "a" * 200, 23),
    ("read www.example.org/path now", 4 + 1 + 23 + 4),
    ("see example.com.", 4 + 23 + 1),
    ("日本語", 6),
    ("한국어 text", 6 + 5),
    ("😀", 2),
    ("👩‍💻", 2),
    ("👍🏽", 2),
    ("🇩🇪", 2),
    ("café", 4),
    ("cafe\u0301", 4),  # NFC: e + combining accent is one character
    ("“quotes” — dash", 15),
    # Bare domains: twitter-text's complete TLD list decides, as X does.
    ("example.museum", 23),
    ("see example.museum now", 4 + 23 + 4),
    ("app.js", 6),  # .js is no TLD: plain text
    ("read index.html and app.js", 26),
    ("foo.co.jp", 23),
    ("x.ninja y.photography", 23 + 1 + 23),
    ("日本語 https://example.com/日本 😀", 6 + 1 + 23 + 4 + 1 + 2),  # a link's path ends before CJK
])
def test_weighted_length(text, expected):
    assert weighted_length(text) == expected


def test_limit_is_inclusive_and_oversized_is_refused_not_cut():
    assert check_length("a" * 280) == 280
    with pytest.raises(PostTooLong, match="281 weighted characters") as caught:
        check_length("a" * 281)
    assert "shorten it by 1" in caught.value.hint
    with pytest.raises(PostTooLong):
        check_length("字" * 141)
    assert check_length("字" * 140) == 280


def test_empty_text_is_refused():
    with pytest.raises(PostTooLong, match="empty"):
        check_length("   ")


def test_a_rare_tld_counts_as_a_link_so_the_post_is_refused_before_x_refuses_it():
    text = "a" * 264 + " example.museum"  # 264 + 1 + 23 = 288 for X, 279 if the link were text
    with pytest.raises(PostTooLong, match="288 weighted characters"):
        check_length(text)


def test_a_file_name_is_not_over_counted():
    assert check_length("a" * 260 + " app.js") == 267
