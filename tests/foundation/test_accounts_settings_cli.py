"""``moneyprinter accounts edit --set KEY=VALUE``: each network's options from the terminal, checked by the
same domain code the web pages and the API use."""

from __future__ import annotations

from moneyprinter.app import App
from moneyprinter.store.accounts import get_account


def _options(nickname: str, platform: str = "tiktok") -> dict:
    app = App()
    try:
        return get_account(app.db, platform, nickname).options
    finally:
        app.close()


def test_set_changes_options_and_an_empty_value_restores_the_default(cli):
    assert cli("accounts", "add", "tiktok", "cook").exit_code == 0
    done = cli("accounts", "edit", "tiktok", "cook", "--set", "post_mode=inbox", "--set", "disable_stitch=yes")
    assert done.exit_code == 0, done.output
    assert _options("cook") == {"post_mode": "inbox", "disable_stitch": True}
    assert cli("accounts", "edit", "tiktok", "cook", "--set", "post_mode=").exit_code == 0
    assert _options("cook") == {"disable_stitch": True}


def test_a_refused_option_is_one_line_and_changes_nothing(cli):
    cli("accounts", "add", "mastodon", "toots", "--topic", "sky")
    said = cli("accounts", "edit", "mastodon", "toots", "--topic", "stars", "--set", "instance=ftp://x.org")
    assert said.exit_code == 2 and "'ftp://x.org' is not an instance address" in said.output
    assert "Traceback" not in said.output
    assert get_account_opts_topic("toots") == ("sky", {})
    said = cli("accounts", "edit", "mastodon", "toots", "--set", "instance")
    assert said.exit_code == 2 and "--set 'instance' is not KEY=VALUE" in said.output
    said = cli("accounts", "edit", "mastodon", "toots", "--set", "handle=me.bsky.social")
    assert said.exit_code == 2 and "a Mastodon account has no option 'handle'" in said.output
    assert "its options: instance" in said.output


def get_account_opts_topic(nickname: str) -> tuple[str, dict]:
    app = App()
    try:
        account = get_account(app.db, "mastodon", nickname)
        return account.topic, account.options
    finally:
        app.close()


def test_help_lists_each_networks_options(cli):
    shown = cli("accounts", "edit", "--help").output
    assert "--set KEY=VALUE" in shown and "privacy_level" in " ".join(shown.split())
