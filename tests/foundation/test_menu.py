"""The interactive menu driven as a person uses it: the real program in a pseudo-terminal."""

from __future__ import annotations

import json
import re
import sys
import termios

import pexpect
import pytest

from tests.conftest import subprocess_env
from tests.foundation.helpers import run_moneyprinter

from moneyprinter.menu.main import SCREENS

# Numbers as the menu shows them, so that screens added later do not break these tests.
LABELS = [label for label, _ in SCREENS]
QUIT = str(len(SCREENS) + 1)
ACCOUNTS_ITEM = str(LABELS.index("Accounts") + 1)
MAIN = rf"Choose \[1-{QUIT}\]: "
ACCOUNTS = r"Choose \[1-6\]: "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def spawn(*args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable, ["-m", "moneyprinter", *args], env=subprocess_env(TERM="xterm-256color"),
        encoding="utf-8", timeout=20, dimensions=(50, 160),
    )
    return child


def plain(text: str) -> str:
    return ANSI.sub("", text)


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return plain(child.before)


def test_create_list_garbage_unavailable_and_quit(home):
    child = spawn()
    child.expect(r"health: \d+ pass, \d+ warn, 0 fail, \d+ skip")  # the startup summary
    child.expect(MAIN)
    assert f"{ACCOUNTS_ITEM}. Accounts" in plain(child.before) and f"{QUIT}. Quit" in plain(child.before)

    child.sendline(ACCOUNTS_ITEM)
    child.expect(ACCOUNTS)
    child.sendline("2")  # Add an account
    child.expect(r"Choose \[1-7\]: ")
    child.sendline("1")  # YouTube
    child.expect("Nickname: ")
    child.sendline("not valid!")
    child.expect("Nickname: ")
    assert "invalid nickname 'not valid!'" in plain(child.before)
    child.sendline("SpaceFacts")
    child.expect("Niche / topic: ")
    child.sendline("space facts for kids")
    child.expect(r"Language code \[en\]: ")
    child.sendline("")
    child.expect(r"Choose \[1-3\]: ")
    assert "youtube_studio" in plain(child.before)
    child.sendline("7")  # garbage: out of range
    child.expect(r"Choose \[1-3\]: ")
    assert "Invalid choice '7'. Enter a number from 1 to 3." in plain(child.before)
    child.sendline("outbox")  # a label works as well as a number
    child.expect(ACCOUNTS)
    assert "Added youtube account 'SpaceFacts'." in plain(child.before)

    child.sendline("1")  # List accounts
    child.expect(ACCOUNTS)
    listing = plain(child.before)
    row = r"1\s*│\s*youtube\s*│\s*SpaceFacts\s*│\s*space facts for kids\s*│\s*en\s*│\s*outbox"
    assert re.search(row, listing)
    child.sendline("6")  # Back
    child.expect(MAIN)

    child.sendline("banana")
    child.expect(MAIN)
    assert f"Invalid choice 'banana'. Enter a number from 1 to {QUIT}." in plain(child.before)
    child.sendline("")
    child.expect(MAIN)
    assert "Invalid choice ''" in plain(child.before)

    child.sendline(QUIT)
    rest = finish(child)
    assert "Bye." in rest and "Traceback" not in rest
    assert child.exitstatus == 0

    # The CLI sees what the menu created: both call the same functions on the same database.
    listed = json.loads(run_moneyprinter("accounts", "list", "--json").stdout)
    assert [(a["platform"], a["nickname"], a["topic"]) for a in listed] == [
        ("youtube", "SpaceFacts", "space facts for kids")]


@pytest.mark.parametrize("key", ["ctrl-c", "ctrl-d"])
@pytest.mark.parametrize("where", ["main menu", "inside a form"])
def test_ctrl_c_and_ctrl_d_leave_cleanly(home, key, where):
    child = spawn("--skip-health")
    child.expect(MAIN)
    assert "health:" not in plain(child.before)  # --skip-health skips the summary
    before = termios.tcgetattr(child.child_fd)
    if where == "inside a form":
        child.sendline(ACCOUNTS_ITEM)
        child.expect(ACCOUNTS)
        child.sendline("2")
        child.expect(r"Choose \[1-7\]: ")
        child.sendline("2")
        child.expect("Nickname: ")
    if key == "ctrl-c":
        child.sendintr()
        if where == "inside a form":  # back to the Accounts menu, then to the main menu, then out
            child.expect("Cancelled.")
            child.expect(ACCOUNTS)
            child.sendintr()
            child.expect(MAIN)
            child.sendintr()
    else:
        child.sendeof()
    child.expect("Bye.")
    after = termios.tcgetattr(child.child_fd)  # the terminal settings are as they were
    rest = finish(child)
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest and "Error" not in rest
    assert child.exitstatus == 0 and child.signalstatus is None
    assert before == after


def test_a_broken_config_does_not_stop_the_menu(home):
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[http\n")
    child = spawn()
    child.expect(MAIN)
    startup = plain(child.before)
    assert "1 fail" in startup and "FAIL config" in startup and "not valid TOML" in startup
    child.sendline(QUIT)
    assert "Traceback" not in finish(child)


def test_menu_edit_sets_the_approval_mode(cli, app):
    from moneyprinter.store.accounts import get_account

    cli("accounts", "add", "youtube", "chan", "--topic", "space")
    keys = [ACCOUNTS_ITEM, "3", "1", "", "", "1", "2", "Back", QUIT]  # edit chan: keep topic, language, outbox; manual
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "Approval (now auto)" in result.output
    assert get_account(app.db, "youtube", "chan").approval == "manual"


def test_menu_warns_when_the_studio_publisher_is_chosen(cli):
    cli("accounts", "add", "youtube", "chan", "--topic", "space")
    keys = [ACCOUNTS_ITEM, "3", "1", "", "", "3", "1", "Back", QUIT]  # edit chan: youtube_studio, auto
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0 and "may break YouTube's terms" in result.output


def test_the_startup_health_summary_says_how_to_skip_it(home):
    child = spawn()
    child.expect(MAIN)
    before = plain(child.before)
    child.sendline(QUIT)
    finish(child)
    assert "health:" in before and "--skip-health" in before


def test_menu_edit_shows_the_current_publisher_and_enter_keeps_it(cli, app):
    from moneyprinter.store.accounts import get_account, update_account

    cli("accounts", "add", "youtube", "chan", "--topic", "space")
    chan = get_account(app.db, "youtube", "chan")
    update_account(app.db, chan, publisher="youtube_studio")
    keys = [ACCOUNTS_ITEM, "3", "1", "", "", "", "1", "Back", QUIT]  # edit chan: Enter at the publisher
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "Publisher (now youtube_studio)" in result.output and "youtube_studio (current)" in result.output
    assert get_account(app.db, "youtube", "chan").publisher == "youtube_studio"


def test_a_broken_config_is_reported_before_a_form_is_filled_in(home):
    home.mkdir(parents=True)
    (home / "config.toml").write_text("[http]\nread_timeout_s = -1\n")
    child = spawn("--skip-health")
    child.expect(MAIN)
    child.sendline(ACCOUNTS_ITEM)
    index = child.expect(["read_timeout_s", "Nickname: ", ACCOUNTS])
    assert index == 0, plain(child.before)  # the error, before any question of a form
    child.expect(MAIN)
    child.sendline(QUIT)
    assert "Traceback" not in finish(child)


def test_menu_groups_add_a_group_asking_again_after_a_refusal_then_remove_it(cli, app):
    from moneyprinter.store.account_groups import list_groups

    cli("accounts", "add", "youtube", "chan", "--topic", "cooking")
    cli("accounts", "add", "bluesky", "cook.bsky", "--publisher", "outbox")
    cli("accounts", "add", "tiktok", "cook-tt", "--publisher", "outbox")
    # Accounts -> Groups -> Add: name, member 1 (chan), destinations 3 (chan itself: refused);
    # asked again with the answers as defaults: Enter, Enter, then 1,2. Then list, remove (yes), Back twice.
    keys = [ACCOUNTS_ITEM, "Groups of accounts", "Add a group", "kitchen", "1", "3", "", "", "1, 2",
            "List groups", "Remove a group", "1", "y", "Back", "Back", QUIT]
    result = cli("--skip-health", input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Saved group 'kitchen': youtube:chan -> bluesky:cook.bsky, tiktok:cook-tt." in out
    assert out.count("Group name") == 2  # asked again after the refusal, which says why
    assert "cannot cross-post from youtube 'chan' to youtube 'chan': it is the account itself" in out
    assert list_groups(app.db) == []
