"""The weighted length counter against X's published examples.

Cases are the examples of twitter-text's conformance suite (conformance/tests/validate.yml,
sections ``lengths``, ``tweets`` and ``WeightedTweetsWithDiscountedEmojiCounterTest``, which
use the v3 configuration X applies today), with the expected weighted lengths it publishes.
"""

import pytest

from moneyprinter.text.x_length import find_urls, is_valid_post, weighted_length

X10 = "xxxxxxxxxx-"
CJK_160 = (
    "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。"
    "旧时王谢堂前燕，飞入寻常百姓家。朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。"
    "泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。独在异乡为异客，每逢佳节倍思亲。"
    "遥知兄弟登高处，遍插茱萸少一人。"
)
KANA_120 = "あいうえおかきくけこ" * 12
LONG_LABEL_URL = "https://" + "somesuperlongurl" * 249 + ".com/foo"
PUNCTUATION = (
    "This is a tweet with general punctuation characters: "
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B"
    " \u2010 \u2011 \u2012 \u2013 \u2014 \u2015 \u2016  \u2017 \u2018 \u2019 \u201A \u201B \u201C \u201D \u201E \u201F"
    " \u2032 \u2033 \u2034 \u2035 \u2036 \u2037"
)

PUBLISHED = [
    # lengths
    ("This is a test.", 15),
    ("http://test.com", 23),
    ("https://test.com", 23),
    ("test.com", 23),
    ("Test https://test.com test https://test.com test.com test", 86),
    # WeightedTweetsWithDiscountedEmojiCounterTest
    ("Hi http://test.co", 26),
    ("http://test.co", 23),
    ("285 chars-" + X10 * 25, 285),
    ("285 chars- http://www.twitter.com/jack " + X10 * 24, 299),
    (X10 * 24 + " http://www.twitter.com/jack ", 289),
    ("https://www.twitter.com/aloha " * 10, 240),
    (CJK_160, 320),
    ("\U0001F637" * 160, 320),
    ("the" + CJK_160, 323),
    ("282 chars-" + X10 * 24 + "xxxxx\u00c1x", 281),
    ("A\u0301B", 2),  # 'Á' as A + combining acute is normalized into 1 char
    ("A\uFB2C", 4),  # a Hebrew presentation form normalizes into 3 chars
    ("H\U0001F431\u263a\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466", 7),
    ("\U0001F637\U0001F47E\U0001F621\U0001F525\U0001F4A9", 10),
    ("\U0001F64B\U0001F3FD\U0001F468\u200d\U0001F3A4", 4),
    (PUNCTUATION, 110),
    ("Long url with invalid domain labels and a short url: " + (LONG_LABEL_URL + " ") * 3 + "https://validurl.com", 12079),
    ("randomurl" * 7 + "s.com", 68),  # a 64-character label is not a domain
    (KANA_120 + " http://" + "あいうえおかきくけこ" * 5 + "あいう.com", 358),  # host too long once punycoded
    (KANA_120 + " http://" + "あいうえおかきくけこ" * 5 + "あい.com", 264),
]


@pytest.mark.parametrize(("text", "expected"), PUBLISHED, ids=range(len(PUBLISHED)))
def test_weighted_length_matches_published_examples(text, expected):
    assert weighted_length(text) == expected


def test_code_points_outside_the_light_ranges_weigh_two():
    # The v1 examples of the ``lengths`` section counted these as 1 each; v3 weighs them 2.
    assert weighted_length("\U00010000\U0010ffff") == 4
    assert weighted_length("저찀쯿쿿") == 8


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("I am a Tweet", True),
        ("A lie gets halfway around the world before the truth has a chance to get its pants on. "
         "Winston Churchill (1874-1965) http://bit.ly/dJpywL", True),
        ("の" * 140, True),
        ("\U0001F431" * 140, True),
        ("", False),
        ("   ", False),
        ("x" * 280, True),
        ("x" * 281, False),
        ("の" * 141, False),
    ],
)
def test_validity(text, valid):
    assert is_valid_post(text) is valid


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/path/to/resource?search=foo&lang=en",
        "HTTPS://www.ExaMPLE.COM/index.html",
        "http://test_underscore.twitter.com",
        "http://☃.net/",
        "https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-",
        "www.example.com",
        "t.co",
        "foo.co.jp",
        "example.com/path/to/resource?search=foo&lang=en",
    ],
)
def test_valid_urls_are_one_url(url):
    assert find_urls(url) == [(0, len(url))]


@pytest.mark.parametrize(
    "text",
    [
        "ftp://www.example.com/",
        "http://domain-dash_2314352345_dfasd.foo-cow_4352.com",
        "http://www.-domain4352.com/",
        "http://www.domain4352-.com/",
        "http://☃-.net/",
        "http://%e2%98%83.net/",
        "http://256.1.2.3/",
    ],
)
def test_invalid_urls_are_not_urls(text):
    assert (0, len(text)) not in find_urls(text)


@pytest.mark.parametrize("text", [
    "http://user:PASSW0RD@example.com:8080/login.php",
    "http://192.168.0.1/index.html?src=asdf",
    "http://[3ffe:1900:4545:3:200:f8ff:fe21:67cf]:80/index.html",
])
def test_urls_the_validator_accepts_but_x_does_not_shorten_count_as_text(text):
    # validate.yml's ``urls`` section checks isValidUrl; twitter-text's extractor (what X counts) skips these.
    assert find_urls(text) == [] and weighted_length(text) == len(text)


def test_trailing_punctuation_is_not_part_of_the_url():
    text = "Read this (https://example.com/a)."
    [(start, end)] = find_urls(text)
    assert text[start:end] == "https://example.com/a"
