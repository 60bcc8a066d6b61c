"""The quality gate: each check with texts it must catch and texts it must let through.

The caught examples are what the bundled model and cloud models really wrote (issue: text quality)."""

from __future__ import annotations

import pytest

from moneyprinter.text.gate import Context, Kind, best, check

GOOD_POST = "Cold brew is less acidic than hot coffee, so it is gentler on the stomach. Steep it for 16 hours."


def problems(text, kind=Kind.POST, **context):
    return {p.check for p in check(text, kind, Context(**context)).problems}


@pytest.mark.parametrize("text", [
    "Sure, let's write a product review. The grinder is great.",
    "Here's a tweet about coffee: grind fresh beans.",
    "As an AI, I cannot drink coffee, but cold brew is popular.",
    "Your post will be titled: The Joy of Coffee.",
    "'Buy Acme X2 Wireless Headphones Now!' says the user.",
    "Cold brew is smooth. (42 characters)",
    "Visit [Your Website] for cold brew tips.",
])
def test_meta_talk_and_prompt_echo_are_caught(text):
    assert "meta_talk" in problems(text)


@pytest.mark.parametrize("text", [
    GOOD_POST,
    "Here's the trick: bloom the grounds for 30 seconds before you pour.",
    "Sure enough, fresh beans made the difference.",
    "The user manual of most grinders hides the best setting.",
])
def test_content_that_only_looks_like_meta_talk_passes(text):
    assert "meta_talk" not in problems(text)


def test_a_text_repeating_the_prompt_is_an_echo():
    prompt = ["Write one post for X about: home coffee brewing.", "Make it specific: one idea, tip or fact, not a slogan."]
    assert "prompt_echo" in problems("Make it specific: one idea, tip or fact, not a slogan.", instructions=prompt)
    assert "prompt_echo" not in problems(GOOD_POST, instructions=prompt)


@pytest.mark.parametrize("text", [
    "I'm thrilled to announce that I'll be delivering a webinar at the #EconDayConference in Chicago next month!",
    "Join me at the coffee expo this Friday for a live demo.",
    "We're excited to share our new course on espresso.",
    "Register now for my free masterclass on latte art.",
])
def test_first_person_fabricated_events_are_caught(text):
    assert "fabricated_event" in problems(text)


@pytest.mark.parametrize("text", [
    "The first coffee house opened in Istanbul in 1555.",
    "Baristas say that people who join a tasting learn fastest.",
    "Scientists announced in 2019 that coffee plants are at risk.",
])
def test_facts_about_others_are_not_fabricated_events(text):
    assert "fabricated_event" not in problems(text)


def test_repeated_sentences_are_caught_and_distinct_ones_pass():
    assert "repeated_sentence" in problems("Grind fresh. Weigh your water. Grind fresh!")
    assert "repeated_sentence" in problems("Sleep is a normal part of life. Sleep is just a normal part of life.")
    assert "repeated_sentence" not in problems("Grind fresh. Weigh your water. Pour slowly.")


@pytest.mark.parametrize("text", [
    "Use a scale for repeatable coffee. Weigh beans and water, and the",
    "Fresh beans matter. Most coffee was roasted months ago and...",
    "Download the free chart at today.",
    "Read more:",
    "Cold brew is smooth and",
])
def test_incomplete_sentences_are_caught(text):
    assert "incomplete_sentence" in problems(text)


@pytest.mark.parametrize("text", [
    GOOD_POST,
    "Is your coffee bitter? Try a coarser grind!",
    "Cold brew is smooth. #coffee #brew",
    "3 tips for better coffee:\n1. Grind fresh.\n2. Weigh it.",
])
def test_complete_sentences_pass(text):
    assert "incomplete_sentence" not in problems(text)


def test_length_is_within_the_platforms_limit():
    assert "too_long" in problems("Coffee is good. " * 20)  # 320 characters: over X's 280
    assert "too_long" not in problems(GOOD_POST)
    assert "too_long" in problems("A" * 61, Kind.TITLE)
    assert "too_long" not in problems("Why Cold Brew Tastes Smoother Than Hot Coffee", Kind.TITLE)
    assert "too_long" in problems("Tip one. " * 30, Kind.THREAD_PART, limit=250)


def test_off_topic_text_is_caught_and_keyphrases_of_the_topic_pass():
    assert "off_topic" in problems("Stocks rose sharply on Monday.", topic="home coffee brewing")
    assert "off_topic" not in problems(GOOD_POST, topic="home coffee brewing")
    assert "off_topic" not in problems("Octopuses hide by changing colour.", Kind.SCRIPT,
                                       topic="How octopuses change their colour")


def test_titles_cut_mid_phrase_are_caught():
    assert "title_fragment" in problems("How Stars and Planets Create Their", Kind.TITLE)
    assert "title_fragment" in problems("The Secret of Coffee and", Kind.TITLE)
    assert "title_fragment" not in problems("How Stars and Planets Are Born", Kind.TITLE)


def test_stopword_tags_and_hashtags_are_caught():
    assert "stopword_tag" in problems("what\nknows\ndoes\ntheir", Kind.TAGS)
    assert "stopword_tag" in problems("Cold brew is smooth. #what #knows", Kind.POST)
    assert "stopword_tag" not in problems("cold brew\ncoffee\nbarista", Kind.TAGS)
    assert "stopword_tag" in problems("lightning\ninside", Kind.TAGS)  # a preposition says nothing as a tag
    assert "stopword_tag" not in problems("Cold brew is smooth. #coffee #ColdBrew", Kind.POST)


def test_a_pitch_needs_the_exact_name_and_the_disclosure_and_only_the_page_price():
    name = "Acme X2 Wireless Noise-Cancelling Headphones"
    ctx = dict(required=["#ad", name], source=f"{name} 199.99 USD")
    good = f"#ad {name}: 30 hours of quiet on one charge. https://shop.example/x2"
    assert check(good, Kind.PITCH, Context(**ctx)).passed
    assert "missing_required" in problems("#ad Acme X2 Wireless Noise-Canning Headphones are great.", Kind.PITCH, **ctx)
    assert "missing_required" in problems(f"{name}: quiet for 30 hours.", Kind.PITCH, **ctx)
    assert "invented_price" in problems(f"#ad {name}, now only $49!", Kind.PITCH, **ctx)
    assert "invented_price" not in problems(f"#ad {name} for $199.99.", Kind.PITCH, **ctx)


def test_the_local_model_is_flagged_for_numbers_dates_and_events_not_in_the_source():
    text = "Earth orbits the Milky Way every 372 years. The Star Summit meets on March 3."
    verdict = check(text, Kind.SCRIPT, Context(topic="Earth's orbit", local_model=True))
    [flag] = verdict.flags
    assert flag.check == "unsupported_claim" and "372" in flag.detail and "Star Summit" in flag.detail
    assert not flag.blocking  # flagged for review, not rejected
    # The same numbers from the source, or a cloud model's text, are not flagged.
    assert not check(text, Kind.SCRIPT, Context(topic="Earth's orbit", local_model=False)).flags
    assert not check("The X2 runs for 30 hours.", Kind.POST, Context(source="30 hours battery", local_model=True)).flags


def test_best_prefers_a_passing_candidate_then_fewer_flags():
    ctx = Context(topic="coffee", local_model=True)
    failing = check("Sure! Coffee is good.", Kind.POST, ctx)
    flagged = check("Coffee was found in 850 by a goat herder.", Kind.POST, ctx)
    clean = check("Coffee tastes best within weeks of roasting.", Kind.POST, ctx)
    assert best([failing, flagged, clean]) is clean
    assert best([failing, flagged]) is flagged
    assert best([]) is None
    assert not failing.passed and failing.reasons()


def test_empty_text_fails():
    assert problems("   ") == {"empty"}


def test_long_titles_are_cut_at_a_phrase_boundary_without_a_trailing_fragment():
    from moneyprinter.text.titles import fit_title

    cut = fit_title("How Stars and Planets Create Their Own Light in the Cold Dark Depths of Space")
    assert len(cut) <= 60 and cut == "How Stars and Planets Create Their Own Light"
    assert fit_title("The Invented Printing Press and How It Revolutionized Reading for Everyone") == \
        "The Invented Printing Press"
    assert fit_title("Honey Never Spoils: The Science of the Sweetest Food That Lasts Forever in a Jar") == \
        "Honey Never Spoils"
    assert fit_title("Why Cats Purr") == "Why Cats Purr"


def test_a_quoted_expert_the_local_model_named_is_flagged():
    verdict = check("Light scatters in the air, explains Dr. Emily Johnson.", Kind.SCRIPT,
                    Context(topic="why the sky is blue", local_model=True))
    assert "Dr. Emily Johnson" in " ".join(verdict.reasons())


def test_a_retyped_product_name_is_caught():
    ctx = dict(required=["#ad", "Timemore C2 Manual Coffee Grinder"], details="38 click settings for an even grind")
    text = "#ad Timemore C2 Manual Coffee Grinder: Temporre makes an even grind with 38 settings."
    assert "mangled_name" in problems(text, Kind.PITCH, **ctx)
    text = "#ad Timemore C2 Manual Coffee Grinder: an even grind with 38 click settings."
    assert "mangled_name" not in problems(text, Kind.PITCH, **ctx)


def test_a_pitch_without_a_benefit_from_the_details_is_caught():
    ctx = dict(required=["#ad", "Chemex Six Cup"], details="Thick bonded filters give a clean, bright cup.")
    assert "no_benefit" in problems("#ad Chemex Six Cup: your message is great and the best with the team.",
                                    Kind.PITCH, **ctx)
    assert "no_benefit" not in problems("#ad Chemex Six Cup: thick filters for a clean cup.", Kind.PITCH, **ctx)


def test_a_headline_line_is_not_a_sentence():
    assert "incomplete_sentence" in problems("The Ultimate Roasthouse Brew\nFresh beans make the cup.")


def test_made_up_offers_are_caught():
    assert "fabricated_event" in problems("We offer 10% off everything, including drinks and more!")
    assert "fabricated_event" in problems("Use promo code BREW for a free grinder.")
    assert "invented_price" in problems("#ad Sage Barista: espresso in 10,94\u20ac\nGreat.", Kind.PITCH,
                                        required=["#ad", "Sage Barista"], source="Sage Barista 1299.00")


def test_title_case_keeps_names_and_small_words():
    from moneyprinter.text.titles import title_case

    assert title_case("why ice floats on water") == "Why Ice Floats on Water"
    assert title_case("How NASA names the Moon's craters") == "How NASA Names the Moon's Craters"


def test_a_title_may_end_on_a_common_verb():
    from moneyprinter.text.titles import fit_title

    assert fit_title("How much water you really need") == "How much water you really need"
    assert "title_fragment" not in problems("How Much Water You Really Need", Kind.TITLE)


@pytest.mark.parametrize("text", [
    "I just wanted to share with you some tips on how to keep them healthy.",
    "You can share a personal finance tip that has you working on your laptop, with the words \"tips\" in bold text.",
    "Hey, everyone. What do you know about running?",
])
def test_posts_about_posting_are_meta_talk(text):
    assert "meta_talk" in problems(text)


@pytest.mark.parametrize("text", [
    "I recently had the opportunity to share an inspiring post on Instagram about workouts.",
    "Every month, I'm planning my next vacation to Europe and saving money.",
])
def test_first_person_stories_the_model_made_up_are_caught(text):
    assert "fabricated_event" in problems(text)


def test_a_cited_study_is_flagged_for_the_local_model():
    verdict = check("A study by the World Health Organization says sleep matters.", Kind.POST,
                    Context(topic="better sleep habits", local_model=True))
    assert "World Health Organization" in " ".join(verdict.reasons())


@pytest.mark.parametrize(("text", "check_name"), [
    ("Share a personal finance tip on X to support your lifestyle.", "meta_talk"),
    ("A post about budget travel with tips.", "meta_talk"),
    ("It's about a recent project I did with the local team at a coffee shop.", "fabricated_event"),
    ("I'm on the X-Talking campaign, and I've dedicated my followers to sleep better.", "fabricated_event"),
    ("Home workouts without equipment.", "too_short"),
])
def test_weak_posts_seen_from_the_local_model_are_caught(text, check_name):
    assert check_name in problems(text)


def test_a_post_repeating_the_system_prompt_is_an_echo():
    system = "You write posts for X (Twitter). Reply with the text of the post only: no title, no quotes, no notes."
    text = "You write posts for X (Twitter). Reply with the text only: no title, no quotes, no notes."
    assert "prompt_echo" in problems(text, instructions=[system])


@pytest.mark.parametrize("text", [
    "This makes recipes easy.\n\nYour post got straight to the point with tips.",
    "Sleep matters.\nSentence: \"Sleep plays a role.\"\nOutput:\n1. Here it goes.",
    "This is one idea I would add, as it provides a more detailed and actionable message.",
    "In my new language learning journey I've been inspired to share some fun tips with you.",
])
def test_more_talk_about_the_post_is_caught(text):
    assert "meta_talk" in problems(text)


def test_a_bare_list_number_is_not_a_sentence():
    assert "incomplete_sentence" in problems("Sleep well. 2.")


def test_an_echoed_task_inside_a_script_is_meta_talk():
    text = "You're asked to write 6 sentences about: The myth of spot reduction. Reference within each sentence."
    assert "meta_talk" in problems(text, Kind.SCRIPT)


@pytest.mark.parametrize("text", [
    "I am more than happy to continue this story. I was just about to make the next sentence, and you're welcome.",
    "Thanks for reading my latest article about sleep.",
])
def test_the_model_talking_about_its_own_writing_is_meta_talk(text):
    assert "meta_talk" in problems(text, Kind.SCRIPT)


# --- echoed rules and made-up first-person stories (seen in the demo Short and in posts) -----------------


@pytest.mark.parametrize("text", [
    "The sky looks blue at noon. This sentence should only appear once.",
    "Each fact must not be repeated in the video.",
    "Do not repeat any of these earlier posts.",
    "In this post I will explain why the sky is blue.",
    "The following sentences explain how bees make honey.",
    "As requested, here are some facts about rice.",
    "The script should only use plain sentences.",
    "Each sentence must be true and about the topic.",
])
def test_echoed_rules_are_meta_talk(text):
    assert "meta_talk" in problems(text, Kind.SCRIPT)


@pytest.mark.parametrize("text", [
    "Cats should only eat food made for cats.",
    "You must not leave cooked rice at room temperature for long.",
    "Do not rinse raw chicken: it spreads germs around the sink.",
    "The following year, the printing press reached Venice.",
    "Bees store honey in wax cells.",
])
def test_advice_and_history_that_look_like_rules_pass(text):
    assert "meta_talk" not in problems(text, Kind.SCRIPT)


FIRST_PERSON_STORIES = [
    "Last week I met a farmer who grows rice without water.",
    "When I was a kid my grandmother baked bread every Sunday.",
    "Yesterday I tried cold brew for the first time and loved it.",
    "I remember the day my dad taught me to ride a bike.",
    "My neighbor once told me that bees can recognise faces.",
    "A few years ago, I visited a coffee farm in Colombia.",
    "I once spent a whole summer learning Spanish in Madrid.",
]


@pytest.mark.parametrize("text", FIRST_PERSON_STORIES)
@pytest.mark.parametrize("kind", [Kind.POST, Kind.PITCH])
def test_first_person_stories_of_the_local_model_are_caught(text, kind):
    assert "first_person_story" in problems(text, kind, local_model=True)


@pytest.mark.parametrize("text", [
    "When a kid learns a second language early, the accent often sticks for life.",
    "Last week the central bank raised its interest rate.",
    "I recommend weighing your coffee: one gram for every sixteen grams of water.",
    "If you once tried cold brew and found it weak, grind coarser and steep longer.",
    "Your grandmother's bread used only flour, water, salt and yeast.",
])
def test_advice_and_facts_without_a_story_pass(text):
    assert "first_person_story" not in problems(text, Kind.POST, local_model=True)


def test_a_first_person_story_is_flagged_for_the_local_model_only():
    story = FIRST_PERSON_STORIES[0]
    assert "first_person_story" not in problems(story, Kind.POST, local_model=False)
    assert "first_person_story" in problems(story + " Rice grows in water. Most rice grows in paddies.",
                                            Kind.SCRIPT, local_model=True, topic="rice")


@pytest.mark.parametrize("text", [
    # Posts of the bundled model that the gate let through in the bench.
    "As you can imagine, this post was about using phone photography as a tool for documenting life.",
    "Learning a new language is like... (insert something specific to your blog) #LanguageLovers",
    "There is one tip I would like to share: water your plants less often.",
])
def test_talk_about_the_post_seen_in_the_bench_is_meta_talk(text):
    assert "meta_talk" in problems(text)


@pytest.mark.parametrize("text", [
    "This post-war design was about saving steel.",
    "Insert the key and turn it twice.",
])
def test_content_near_those_patterns_passes(text):
    assert "meta_talk" not in problems(text)


@pytest.mark.parametrize(("text", "check_name"), [
    ("For me it started with learning a new language and this experience will forever remain a memory.",
     "first_person_story"),
    ("@GreenCamelBlog:\n\"I'm glad we have such a talented team here, and I agree on caring for indoor plants.",
     "meta_talk"),
    ("Your answer must contain exactly 3 bullet points. Include a postscript starting with P.S.", "meta_talk"),
    ("The first two sentences should be included in your response only.", "meta_talk"),
])
def test_more_posts_the_bench_found_are_caught(text, check_name):
    assert check_name in problems(text, local_model=True)


@pytest.mark.parametrize("text, number", [
    ("Buy a 250mm wood hammer and a rope.", "250"),
    ("Use a 35mm lens for portraits.", "35"),
    ("Sell 12,000 copies in 3 weeks.", "12,000"),
])
def test_a_number_with_a_unit_attached_is_flagged_when_the_topic_lacks_it(text, number):
    verdict = check(text, Kind.POST, Context(topic="woodworking for beginners", local_model=True))
    [flag] = [f for f in verdict.flags if f.check == "unsupported_claim"]
    assert number in flag.detail


def test_a_number_with_a_unit_from_the_topic_is_not_flagged():
    verdict = check("Buy a 250mm saw for small cuts.", Kind.POST, Context(topic="a 250mm saw", local_model=True))
    assert verdict.passed and not verdict.flags
