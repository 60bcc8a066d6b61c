"""The X class and its commands, with a scripted text provider and the real outbox and SQLite."""

import json

import pytest

from moneyprinter.errors import ProviderError, UsageError
from moneyprinter.platforms.x import X, scheduled_post
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account, update_account
from moneyprinter.text.x_length import weighted_length

POST = "Bloom your coffee for 30 seconds before the main pour: trapped CO2 escapes and extraction evens out."


def outbox_text(home, account, item_id):
    return json.loads((home / "outbox" / "x" / account.nickname / str(item_id) / "metadata.json").read_text())["text"]


def test_make_post_cleans_output_stores_it_and_submits_it(app, account, script, home):
    script.say(f'Here\'s a tweet about coffee:\n"{POST} #coffee #brew #barista #morning"')
    posted = X(app, account).make_post()
    assert posted.posts == [f"{POST} #coffee #brew"]
    item = content.get_item(app.db, posted.item.id)
    assert (item.kind, item.body, item.status) == ("post", f"{POST} #coffee #brew", "outbox")
    assert item.metadata["source"] == "generated" and item.metadata["location"] == posted.result.location
    assert outbox_text(home, account, item.id) == item.body
    prompt = script.prompts[0]
    assert "home coffee brewing" in prompt and "English" in prompt and "Do not repeat" not in prompt


def test_prompt_uses_the_account_language(app, db, script):
    account = add_account(db, "x", "kaffee", topic="Kaffee zu Hause", language="de")
    script.say("Frisch gemahlener Kaffee schmeckt besser, wenn du ihn sofort aufbr\u00fchst.")
    X(app, account).make_post()
    assert "German" in script.prompts[0]


def test_a_post_too_similar_to_history_is_written_again(app, account, script):
    content.create_item(app.db, account.id, "post", body=POST, metadata={"posts": [POST]})
    script.say(POST.upper(), "Bloom your coffee for 30 seconds before the main pour, trapped CO2 escapes!",
               "Store beans in an airtight jar away from light; they stay fresh twice as long.")
    posted = X(app, account).make_post()
    assert posted.posts[0].startswith("Store beans")
    assert len(script.prompts) == 3
    assert "Do not repeat" in script.prompts[0] and POST[:60] in script.prompts[0]


def test_three_repeats_are_a_clear_error_and_nothing_is_stored(app, account, script):
    content.create_item(app.db, account.id, "post", body=POST)
    script.say(POST, POST + "!", f'"{POST}"')
    with pytest.raises(ProviderError) as caught:
        X(app, account).make_post()
    assert "3 attempts" in caught.value.message and "too similar" in caught.value.message
    assert "similarity_threshold" in caught.value.hint
    assert [i.body for i in content.list_items(app.db, account_id=account.id)] == [POST]


def test_only_the_last_50_posts_are_compared(app, account, script):
    for n in range(60):
        content.create_item(app.db, account.id, "post", body=f"Tip number {n}: a different idea every day {n * 7919}")
    bot = X(app, account)
    recent = bot.recent_posts()
    assert len(recent) == 50 and recent[0].startswith("Tip number 59") and recent[-1].startswith("Tip number 10")


def test_an_unusable_answer_is_retried(app, account, script):
    one_long_sentence = "Coffee " + "really " * 60 + "matters"
    script.say("", one_long_sentence, "Weigh your beans: 15 g of coffee to 250 g of water is a good start.")
    posted = X(app, account).make_post()
    assert posted.posts[0].startswith("Weigh your beans") and len(script.prompts) == 3


def test_thread_of_three(app, account, script):
    script.say("Most home coffee is brewed wrong. Here is how to fix it.",
               "First, grind fresh: ground coffee goes stale in minutes.",
               "Second, use water just off the boil, around 94 C.")
    posted = X(app, account).make_post(thread=3)
    assert [p[-4:] for p in posted.posts] == [" 1/3", " 2/3", " 3/3"]
    assert all(weighted_length(p) <= 280 for p in posted.posts)
    assert posted.item.kind == "thread" and posted.item.metadata["posts"] == posted.posts
    assert "The thread so far" in script.prompts[2] and posted.posts[1].removesuffix(" 2/3") in script.prompts[2]


def test_an_answer_that_parrots_the_prompt_is_rejected(app, account, script):
    script.say(lambda prompt: prompt.splitlines()[0], "1. Write the first post of a thread for X about home coffee brewing",
               "Most home coffee is brewed wrong. Here is how to fix it.",
               "Grind fresh: ground coffee goes stale in minutes.")
    posted = X(app, account).make_post(thread=2)
    assert posted.posts[0] == "Most home coffee is brewed wrong. Here is how to fix it. 1/2"
    assert len(script.prompts) == 4


@pytest.mark.parametrize("count", [1, 6])
def test_thread_length_is_2_to_5(app, account, script, count):
    with pytest.raises(UsageError, match="2 to 5"):
        X(app, account).make_post(thread=count)


def test_account_without_topic_is_an_error(app, db, script):
    account = add_account(db, "x", "blank")
    with pytest.raises(UsageError, match="no topic"):
        X(app, account).make_post()
    assert script.prompts == []


def test_scheduled_post_honours_the_thread_option(app, account, script):
    update_account(app.db, account, options={"thread_length": 2})
    script.say("Why your coffee tastes bitter.", "Over-extraction: grind coarser or brew shorter.")
    message = scheduled_post(app, "brewbot")
    assert message.startswith("brewbot: thread of 2 posts #") and "outbox" in message


# --- the CLI ----------------------------------------------------------------------------


def test_cli_tweet_with_text_posts_it_exactly(cli, app, account, script, home):
    text = '  "Exactly   this," she said.  #one #two #three #four https://example.com/x  '
    result = cli("tweet", "--account", "brewbot", "--text", text)
    assert result.exit_code == 0, result.output
    [item] = content.list_items(app.db, account_id=account.id)
    assert item.body == text and item.metadata["posts"] == [text] and item.metadata["source"] == "given"
    assert outbox_text(home, account, item.id) == text
    assert script.prompts == []  # nothing generated


def test_cli_tweet_text_over_280_is_refused_not_cut(cli, app, account, script):
    result = cli("tweet", "--account", "brewbot", "--text", "\u3042" * 141)
    assert result.exit_code == 2
    assert "282 characters as X counts them" in result.output
    assert content.list_items(app.db) == []


def test_cli_tweet_generates_and_lists_history(cli, account, script):
    script.say(POST)
    result = cli("tweet", "--account", "brewbot")
    assert result.exit_code == 0 and POST in result.output and "outbox" in result.output
    history = cli("posts", "--account", "brewbot", "--json")
    [row] = json.loads(history.output)
    assert row["text"] == POST and row["status"] == "outbox" and row["url"].endswith(str(row["id"]))
    table = cli("posts", "--account", "brewbot")
    assert "Bloom your coffee" in table.output and "status" in table.output


def test_cli_errors_are_one_line(cli, db, script):
    add_account(db, "x", "blank")
    result = cli("tweet", "--account", "blank")
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: the X account 'blank' has no topic")
    assert "moneyprinter accounts edit x blank --topic" in result.output
    assert cli("tweet", "--account", "nobody").exit_code == 2
    assert "--text and --thread" in cli("tweet", "--account", "blank", "--text", "x", "--thread", "2").output


def test_thread_posts_lose_echoed_numbering_and_repeated_sentences(app, account, script):
    # Seen with the local model: it copies "1/3" from the thread so far, adds a bare "2." line,
    # and opens the next post with the first post's sentence again.
    script.say("Most home coffee is brewed wrong. Here is how to fix it.",
               "Most home coffee is brewed wrong! 1/3\nGrind fresh: ground coffee goes stale in minutes.\n2.",
               "Use water just off the boil, around 94 C. 2/3")
    posted = X(app, account).make_post(thread=3)
    assert posted.posts[1] == "Grind fresh: ground coffee goes stale in minutes. 2/3"
    assert posted.posts[2] == "Use water just off the boil, around 94 C. 3/3"
    assert " 1/3" not in script.prompts[1]  # the thread so far is shown without our markers


def test_a_template_placeholder_is_not_posted(app, account, script):
    script.say("Enjoy home-brewed coffee at [address] today. Bloom your grounds for 30 seconds before pouring.")
    posted = X(app, account).make_post()
    assert posted.posts[0] == "Bloom your grounds for 30 seconds before pouring."


def test_earlier_threads_go_into_the_prompt_without_markers_and_made_up_links_are_dropped(app, account, script):
    script.say("Most home coffee is brewed wrong. Here is how to fix it.", "Grind fresh: ground coffee goes stale fast.")
    X(app, account).make_post(thread=2)
    script.say('"1/2 Bloom your grounds for 30 seconds. More at https://x.com/made-up-link 1/2"',
               "Weigh your beans: 15 g of coffee to 250 g of water.")
    posted = X(app, account).make_post(thread=2)
    assert "/2" not in "\n".join(script.prompts[2:])  # the earlier thread is listed without its markers
    assert posted.posts[0] == "Bloom your grounds for 30 seconds. 1/2"
