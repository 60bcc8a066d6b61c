"""Hardening of model answers: chatter stripped, echoes and repeats dropped, JSON repaired, attempts bounded."""

from __future__ import annotations

import pytest

from moneyprinter import errors
from moneyprinter.shorts import writer as short_writer
from moneyprinter.providers.llm import TextProvider
from moneyprinter.text.chatter import BadOutput, clean_line, clean_sentences, strip_chatter
from moneyprinter.text.json_answers import parse_json_array

PROMPT = "Write 3 sentences for a short video about: honey"


def test_strip_chatter_removes_markdown_preamble_labels_and_quotes():
    raw = 'Sure! Here is your script:\n\n**Narrator:** "Honey never spoils." [upbeat music]\n- Bees make it from nectar. #facts 🐝'
    assert strip_chatter(raw) == "Honey never spoils. Bees make it from nectar."


def test_clean_sentences_drops_echoes_repeats_fragments_and_overlong():
    raw = (
        "Write 3 sentences for a short video about: honey. Honey never spoils in a sealed jar. "
        "Honey never spoils in a sealed jar! Bees visit two million flowers for one pound of honey. "
        "Ok. " + "Very " * 40 + "long. Honey from Egyptian tombs was still edible and"
    )
    got = clean_sentences(raw, prompts=[PROMPT], max_words=30)
    assert got == ["Honey never spoils in a sealed jar.", "Bees visit two million flowers for one pound of honey."]


def test_clean_sentences_drops_near_repeats():
    raw = "Sleep is a normal part of life. Sleep is just a normal part of life. Dreams happen in REM sleep."
    assert clean_sentences(raw, prompts=[], max_words=30) == ["Sleep is a normal part of life.", "Dreams happen in REM sleep."]


def test_clean_line_takes_first_usable_line_and_trims():
    assert clean_line('Title: "Why Honey Never Spoils"\nMore text', max_chars=100) == "Why Honey Never Spoils"
    assert len(clean_line("word " * 50, max_chars=40)) <= 40
    with pytest.raises(BadOutput):
        clean_line("```\n\n```", max_chars=40)


@pytest.mark.parametrize("raw", [
    '["a bee on a flower", "a jar of honey"]',
    'Here you go:\n```json\n["a bee on a flower", "a jar of honey",]\n```',
    "['a bee on a flower', 'a jar of honey']",
    '[\u201ca bee on a flower\u201d, \u201ca jar of honey\u201d]',
    '["a bee on a flower", "a jar of honey"',
    '[{"prompt": "a bee on a flower"}, {"prompt": "a jar of honey"}]',
    "1. a bee on a flower\n2. a jar of honey",
])
def test_parse_json_array_repairs(raw):
    assert parse_json_array(raw) == ["a bee on a flower", "a jar of honey"]


class Scripted(TextProvider):
    """A real TextProvider subclass answering from a list, recording prompts."""

    id = "scripted"

    def __init__(self, answers):
        super().__init__()
        self.answers, self.prompts = list(answers), []

    def complete(self, prompt, **kw):
        self.prompts.append(prompt)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_script_continues_short_answers_and_enforces_count():
    provider = Scripted([
        "Here is your script: Honey never spoils in a sealed jar.",
        "Bees visit two million flowers for one pound of honey. Honey never spoils in a sealed jar.",
        "Honey from Egyptian tombs was still edible. Honey is made of sugars and little water. Extra sentence here.",
    ])
    script = short_writer.write_script(provider, "honey", sentences=4, max_words=30)
    assert script.split(". ")[0] == "Honey never spoils in a sealed jar"
    assert script.count(".") == 4 and "Extra" not in script
    assert "more sentences" in provider.prompts[1]


def test_script_gives_up_after_three_attempts_naming_the_step():
    provider = Scripted(["Write 4 sentences for a short video about: honey"] * 20)
    with pytest.raises(errors.ProviderError, match=r"^script: .*after 3 attempts"):
        short_writer.write_script(provider, "honey", sentences=4, max_words=30)
    assert len(provider.prompts) == 3 * 5  # bounded: at most sentences + 1 calls in each of 3 attempts


def test_transient_errors_retry_then_succeed(monkeypatch):
    monkeypatch.setattr(short_writer.time, "sleep", lambda s: None)
    provider = Scripted([errors.RateLimited("x", "rate limited", retry_after=0), "How honey lasts for ever"])
    assert short_writer.write_topic(provider, "food") == "How honey lasts for ever"


def test_rejected_key_is_not_retried():
    provider = Scripted([errors.Unauthorized("Mistral", "key rejected (HTTP 401)", status=401), "never used"])
    with pytest.raises(errors.ProviderError, match="^topic: Mistral: key rejected"):
        short_writer.write_topic(provider, "food")
    assert len(provider.prompts) == 1


def test_repeated_transient_failure_is_a_temporary_provider_error(monkeypatch):
    monkeypatch.setattr(short_writer.time, "sleep", lambda s: None)
    provider = Scripted([errors.ServiceUnavailable("x", "server error (HTTP 503)")] * 3)
    with pytest.raises(errors.ProviderError) as info:
        short_writer.write_title(provider, "honey")
    assert info.value.exit_code == 75 and info.value.message.startswith("title:")
    assert len(provider.prompts) == 3


def test_image_prompts_are_padded_from_the_script():
    provider = Scripted(['["a jar of honey"]'])
    prompts = short_writer.write_image_prompts(provider, "honey", "Bees fly. Honey lasts.", count=3)
    assert prompts[0] == "a jar of honey" and len(prompts) == 3 and prompts[1:] == ["honey: Honey lasts.", "honey: Bees fly."]


def test_description_is_hook_summary_and_hashtags_and_tags_are_keyphrases_not_stopwords():
    script = "Honey never goes bad in a sealed jar. Bees dry the nectar until little water is left. Jars from tombs were edible."
    description, tags = short_writer.description_and_tags("Why honey never spoils", script, "food facts",
                                                          hook="Honey can outlive you.")
    hook, summary, hashtags = description.split("\n\n")
    assert hook == "Honey can outlive you."
    assert summary == "Honey never goes bad in a sealed jar. Bees dry the nectar until little water is left."
    assert "#honey" in hashtags.split() and hashtags.endswith("#shorts")
    assert "honey" in tags and tags[-1] == "shorts"
    assert not {"why", "never", "what", "does", "their"} & set(tags)  # issue: tags were '#what #knows #does #their'


def test_hashtags_are_things_not_what_they_do():
    script = ("An octopus can change colour faster than you can blink. "
              "Octopuses change colour with thousands of skin cells called chromatophores.")
    description, _ = short_writer.description_and_tags("How Octopuses Change Colour", script, "science facts")
    hashtags = description.split("\n\n")[-1].split()
    assert "#change" not in hashtags and "#blink" not in hashtags, hashtags
    assert {"#octopuses", "#colour"} <= set(hashtags), hashtags


def test_tags_of_a_how_to_short_skip_words_that_say_nothing_about_it():
    script = ("A few simple habits make it easier to get started with learning guitar. "
              "Use a tuner app and tune your guitar before every practice session.")
    description, tags = short_writer.description_and_tags("How to get started with learning guitar", script,
                                                          "learning guitar as an adult")
    assert "guitar" in tags and not {"started", "easier", "simple"} & set(tags), tags
    assert "#started" not in description and "#guitar" in description



def test_titles_lose_invented_bylines_and_stay_short():
    provider = Scripted(["The Key to Managing Your Money: The Ultimate Guide by Mark Kacs, a Financial Expert You"])
    assert short_writer.write_title(provider, "how to manage your money") == "The Key to Managing Your Money: The Ultimate Guide"
    provider = Scripted(["Stand by Me: money songs"])
    assert short_writer.write_title(provider, "money songs") == "Stand by Me: money songs"
