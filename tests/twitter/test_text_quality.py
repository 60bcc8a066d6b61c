"""The quality gate in the X bot and the pitches: what goes to review, what never goes out."""

from __future__ import annotations

import json
from typing import ClassVar

import pytest

from moneyprinter.platforms.affiliate import AffiliateMarketing
from moneyprinter.platforms.x import X
from moneyprinter.store import content, products
from tests.twitter.conftest import ScriptedTextProvider


def tips(*texts):
    """An answer of the bundled model to the suggestions prompt (JSON, as its grammar makes it)."""
    return json.dumps({"tips": list(texts)})


GOOD = "Bloom your coffee for 30 seconds before the main pour: trapped CO2 escapes and extraction evens out."


class BundledScripted(ScriptedTextProvider):
    """The scripted answers, presented as the bundled local model."""

    id: ClassVar[str] = "scripted"
    bundled: ClassVar[bool] = True


def test_a_post_that_fails_the_gate_every_time_goes_to_review_with_the_reasons(app, account, script):
    script.say(*[f"Coffee tastes better fresh. #what #knows {n}" for n in range(3)])
    posted = X(app, account).make_post()
    item = content.get_item(app.db, posted.item.id)
    assert item.status == "review" and posted.result.status == "review"
    assert any("stopword tag" in reason for reason in item.metadata["review_reasons"])
    assert len(script.prompts) == 3  # every attempt was used before giving up on a clean one


@pytest.fixture
def espresso(db):
    """An account whose topic no curated fact set covers: its posts are the model's own words."""
    from moneyprinter.store.accounts import add_account

    return add_account(db, "x", "shotbot", topic="espresso at home", language="en")


def test_local_model_posts_wait_in_review_by_default(app, espresso, script):
    script.say(tips(GOOD, "Clean your espresso machine after every use, so old oil never spoils a shot."))
    posted = X(app, espresso, provider=BundledScripted()).make_post()
    item = content.get_item(app.db, posted.item.id)
    assert item.status == "review" and "bundled local model" in " ".join(item.metadata["review_reasons"])
    assert "matches no curated fact set" in " ".join(item.metadata["review_reasons"])
    assert "30" not in posted.posts[0]  # a suggestion with a number the topic does not give is not used


def test_local_model_review_can_be_turned_off_with_a_warning(app, espresso, script, monkeypatch, caplog):
    monkeypatch.setenv("MONEYPRINTER_TEXT__LOCAL_MODEL_REVIEW", "false")
    script.say(tips("Clean your espresso machine after every use, so old oil never spoils a shot."))
    posted = X(app, espresso, provider=BundledScripted()).make_post()
    assert content.get_item(app.db, posted.item.id).status == "outbox"
    assert "goes out unread" in caplog.text


def test_the_do_not_repeat_list_is_not_copied_into_a_new_post(app, account, script):
    earlier = ("Most supermarket coffee was roasted months ago, so buy beans with a roast date "
               "and use them within a month of that date for the best taste.")
    content.create_item(app.db, account.id, "post", body=earlier, metadata={"posts": [earlier]})
    copied = earlier[:120][:90]  # the prompt shows it cut at 120 characters; the model copies a piece
    script.say(f"Use filtered water for cleaner coffee. {copied}.")
    posted = X(app, account).make_post()
    assert posted.posts == ["Use filtered water for cleaner coffee."]


def test_a_refused_re_pitch_changes_nothing(app, account, shop, script):
    first = shop.url("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=a?tag=mine-20")
    script.say("A kettle that holds your temperature for 60 minutes, so the second cup is as good as the first.")
    AffiliateMarketing(app, account).pitch_link(first)
    before = products.list_products(app.db)
    other = shop.url("/Fellow-Stagg-Kettle/dp/B07D9SWQV8/ref=b?tag=someone-else-20")
    with pytest.raises(Exception, match="already pitched"):
        AffiliateMarketing(app, account).pitch_link(other)
    assert products.list_products(app.db) == before  # the stored link keeps its commission tag
    assert products.list_products(app.db)[0].link == first


def test_a_pitch_names_the_exact_product_even_when_the_model_mangles_it(app, account, shop, script):
    script.say("Sure, let's write a product review! 'Buy Aeropress Go Travel Coffee Prss Now!' says the user.",
               "Coffee in one minute, anywhere: brew time is just 1 minute and it packs into its own mug.")
    pitched = AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    assert "AeroPress Go Travel Coffee Press ($39.95):" in pitched.text
    assert "says the user" not in pitched.text and "Sure" not in pitched.text


def test_a_post_without_the_topics_words_is_not_sent_to_review_for_that_alone(app, account, script):
    script.say("Bloom your grounds for 30 seconds before the main pour, and the cup tastes sweeter.")
    posted = X(app, account).make_post()
    assert content.get_item(app.db, posted.item.id).status == "outbox"


def test_the_models_copy_of_the_name_as_subject_becomes_it(app, account, shop, script):
    script.say("The AeroPress Go Travel Coffee Press is a great choice: brew time is just 1 minute, anywhere.")
    pitched = AffiliateMarketing(app, account).pitch_link(shop.url("/products/aeropress-go"))
    assert "($39.95): It is a great choice: brew time is just 1 minute, anywhere." in pitched.text


# --- offline posts grounded in a curated fact of the account's niche ------------------------------------


def test_an_offline_post_says_a_curated_fact_not_a_made_up_story(app, account, script):
    from moneyprinter.text.grounding import fact_set_for, supporting_fact
    from moneyprinter.text.sentences import split_sentences

    script.say(*["Last week I met a barista who brews coffee with seawater."] * 3)
    posted = X(app, account, provider=BundledScripted()).make_post()
    facts = [f.text for f in fact_set_for(account.topic).facts]
    text = posted.posts[0]
    assert "barista" not in text
    assert all(supporting_fact(s, facts) for s in split_sentences(text.split(" #")[0]))
    prompt = script.prompts[0]
    assert "fact" in prompt.lower() and any(f in prompt for f in facts)
    item = content.get_item(app.db, posted.item.id)  # a person still reads the local model's words first
    assert item.status == "review" and "from curated facts" in " ".join(item.metadata["review_reasons"])


def test_a_faithful_offline_post_is_kept(app, account, script):
    def rephrase(prompt):
        fact = next(line for line in prompt.splitlines() if line.startswith("Fact: "))[len("Fact: "):]
        return fact + " #coffee"

    script.say(rephrase)
    posted = X(app, account, provider=BundledScripted()).make_post()
    assert posted.posts[0].endswith("#coffee") and len(script.prompts) == 1


def test_offline_posts_do_not_repeat_a_fact_already_posted(app, account, script):
    script.say(*["I love coffee."] * 6)
    bot = X(app, account, provider=BundledScripted())
    first = bot.make_post().posts[0]
    second = X(app, account, provider=BundledScripted()).make_post().posts[0]
    said = [p.split(" #")[0] for p in (first, second)]
    assert said[0].split(". ")[-1] != said[1].split(". ")[-1]  # each post's own fact (after its subject's lead)


def test_an_offline_pitch_says_only_what_the_page_says(app, account, shop, script):
    """The bundled model's vague praise ('healthy brew', 'extra layer of flavor') is not on the page: the
    pitch then says a feature of the page, as written; a sentence that says a feature is kept."""
    script.say(*["A great way to start your day with a refreshing and healthy brew that adds an extra layer of flavor."] * 3)
    pitched = AffiliateMarketing(app, account, provider=BundledScripted()).pitch_link(shop.url("/products/aeropress-go"))
    assert "healthy" not in pitched.text and pitched.item.metadata.template


def test_an_offline_pitch_that_says_a_page_feature_is_kept(app, account, shop, script):
    script.say("Tired of bad hotel coffee? Brew time is just 1 minute.")
    pitched = AffiliateMarketing(app, account, provider=BundledScripted()).pitch_link(shop.url("/products/aeropress-go"))
    assert "Tired of bad hotel coffee? Brew time is just 1 minute." in pitched.text
    assert not pitched.item.metadata.template


def test_numbers_of_the_curated_facts_are_not_flagged_in_an_offline_post(app, db, script):
    from moneyprinter.store.accounts import add_account

    money = add_account(db, "x", "saver", topic="personal finance tips", language="en")
    script.say(*["I love money."] * 3)
    for _ in range(4):
        posted = X(app, money, provider=BundledScripted()).make_post()
        reasons = content.get_item(app.db, posted.item.id).metadata["review_reasons"]
        assert not [r for r in reasons if r.startswith("unsupported claim")], (posted.posts, reasons)
        script.say(*["I love money."] * 3)


# --- offline posts on a topic no curated fact set covers ------------------------------------------


@pytest.fixture
def dogs(db):
    from moneyprinter.store.accounts import add_account

    return add_account(db, "x", "dogbot", topic="dog training", language="en")


def test_an_offline_post_is_a_suggestion_of_the_model_and_a_question_to_the_audience(app, dogs, script):
    script.say(tips("I just arrived in Portugal and loved the dogs.", "Reward your dog the moment it sits.",
                    "Dogs are creatures of habit."))
    posted = X(app, dogs, provider=BundledScripted()).make_post()
    text = posted.posts[0]
    assert text.startswith("Reward your dog the moment it sits. ")
    assert "dog training?" in text and text.endswith("#dog #training")
    assert "Portugal" not in text and "creatures" not in text
    assert "tips" in script.prompts[0] and len(script.prompts) == 1
    reasons = content.get_item(app.db, posted.item.id).metadata["review_reasons"]
    assert "matches no curated fact set" in " ".join(reasons)  # still read by a person by default


def test_without_a_usable_suggestion_the_post_is_the_question_alone(app, dogs, script):
    # Real answers of the bundled model: meta-talk, a made-up meeting, a brand.
    script.say(tips("To create a unique message, I will choose an idea that is very appealing to the user.",
                    "Ethan, I've been meaning to meet up with you in a bit.",
                    "Use a training app like DogGenius for your tasks."),
               tips("Weighing the odds is a lifesaver.", "Clean up after yourself and wash the dishes.",
                    "It gives you more time."))
    posted = X(app, dogs, provider=BundledScripted()).make_post()
    assert posted.posts[0].endswith("dog training? #dog #training") and posted.posts[0].startswith("What ")
    assert len(posts := posted.posts[0].split("?")) == 2 and len(script.prompts) == 2, posts


def test_the_next_post_asks_another_question_and_says_another_suggestion(app, dogs, script):
    script.say(tips("Reward your dog the moment it sits.", "Keep each dog lesson to a few minutes."))
    first = X(app, dogs, provider=BundledScripted()).make_post().posts[0]
    script.say(tips("Reward your dog the moment it sits.", "Keep each dog lesson to a few minutes."))
    second = X(app, dogs, provider=BundledScripted()).make_post().posts[0]
    assert first.split(". ")[0] != second.split(". ")[0]  # the suggestion already posted is skipped
    assert first.split(". ", 1)[1] != second.split(". ", 1)[1]  # and the question differs
