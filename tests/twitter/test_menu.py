"""The Twitter and Affiliate menu screens, driven through a real terminal (pexpect)."""

import sys

import pexpect

from tests.conftest import run_moneyprinter, subprocess_env


def spawn_menu():
    return pexpect.spawn(
        sys.executable, ["-m", "moneyprinter", "--skip-health"], env=subprocess_env(COLUMNS="200"),
        encoding="utf-8", timeout=30, dimensions=(50, 200),
    )


def test_twitter_screen_asks_for_a_topic_posts_text_and_shows_history(home):
    assert run_moneyprinter("accounts", "add", "x", "blank").returncode == 0
    menu = spawn_menu()
    menu.expect("Main menu")
    menu.sendline("2")  # Twitter/X
    menu.expect("Account")
    menu.sendline("1")
    menu.expect("has no topic yet")
    menu.expect("What should it post about")
    menu.sendline("sourdough baking")
    menu.expect("Topic saved: sourdough baking")
    menu.expect(r"X: blank \(sourdough baking\)")
    menu.sendline("3")  # post my own text
    menu.expect("Text to post")
    menu.sendline("Feed your starter  twice a day in summer.")
    menu.expect(r"Item #1: written to the outbox")
    menu.sendline("4")  # history
    menu.expect("Feed your starter  twice a day in summer.")
    menu.expect("outbox")
    menu.sendline("6")  # schedule
    menu.expect("When")
    menu.sendline("2")  # twice a day
    menu.expect("Weekdays")
    menu.sendline("")
    menu.expect("Timezone")
    menu.sendline("")
    menu.expect("Random delay")
    menu.sendline("")
    menu.expect("Added schedule 1; next run")
    menu.sendline("7")  # back
    menu.expect("Main menu")
    menu.sendline("3")  # Affiliate
    menu.expect("Account")
    menu.sendline("1")
    menu.expect("Affiliate: blank")
    menu.sendline("1")  # pitch a link
    menu.expect("Affiliate link")
    menu.sendline("amazon.com/dp/B0")
    menu.expect("is not a product link")
    menu.sendcontrol("d")
    menu.expect("Bye.")
    menu.expect(pexpect.EOF)
    assert menu.wait() == 0


def test_a_taken_nickname_is_refused_at_once_not_after_the_whole_form(home):
    assert run_moneyprinter("accounts", "add", "x", "bird", "--topic", "coffee").returncode == 0
    menu = spawn_menu()
    menu.expect("Main menu")
    menu.sendline("2")  # Twitter/X
    menu.expect(r"Choose \[1-2\]: ")
    menu.sendline("2")  # Create a new account
    menu.expect("Nickname: ")
    menu.sendline("bird")
    menu.expect("Nickname: ")
    assert "already exists" in menu.before
    menu.sendline("bird2")
    menu.expect("Niche / topic: ")
    menu.sendcontrol("d")
    menu.expect("Bye.")


def test_the_post_preview_shows_why_it_waits_for_review(home):
    """The bundled model writes about a topic no curated fact set covers: the preview says it will wait in
    review, and why, before asking to post."""
    assert run_moneyprinter("accounts", "add", "x", "shots", "--topic", "espresso at home").returncode == 0
    menu = spawn_menu()
    menu.expect("Main menu")
    menu.sendline("2")  # Twitter/X
    menu.expect("Account")
    menu.sendline("1")
    menu.expect(r"X: shots \(espresso at home\)")
    menu.sendline("1")  # write a post and post it
    menu.expect("Writing", timeout=30)
    menu.expect("Waits for review", timeout=300)
    menu.expect("written by the bundled local model")
    menu.expect("Post it")
    menu.sendline("n")
    menu.expect("Not posted")
    menu.sendcontrol("d")
    menu.sendcontrol("d")
    menu.expect(pexpect.EOF, timeout=30)
