"""Submit, approval, review, outbox and the publication commands, through the real CLI and store."""

from __future__ import annotations

import json

import pytest

from moneyprinter import errors
from moneyprinter.publishers import submit
from moneyprinter.store import publications
from tests.publishing.conftest import post_item, short_item, video_file


def _account(app, platform="youtube", approval="auto", publisher="outbox"):
    from moneyprinter.store.accounts import add_account

    return add_account(app.db, platform, f"{platform}acc", publisher=publisher, approval=approval)


def test_outbox_writes_media_and_metadata_then_mark_published(make_app, tmp_path, home, cli):
    app = make_app()
    account = _account(app)
    item = short_item(app, account, video_file(tmp_path, 1000))
    result = submit(app, item)
    folder = home / "outbox" / "youtube" / "youtubeacc" / str(item.id)
    assert result.status == "outbox" and result.location == str(folder)
    assert (folder / "short.mp4").read_bytes() == (tmp_path / "short.mp4").read_bytes()
    metadata = json.loads((folder / "metadata.json").read_text())
    assert metadata["title"] == "A fact about owls" and metadata["tags"] == ["owls", "facts"]
    assert metadata["account"] == "youtubeacc" and metadata["description"] == "Owls can rotate their heads."
    assert publications.get_for_item(app.db, item.id).status == "outbox"
    out = cli("outbox", "mark-published", str(item.id), "https://youtu.be/manual1")
    assert out.exit_code == 0, out.output
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "published" and pub.remote_url == "https://youtu.be/manual1" and pub.published_at
    again = cli("outbox", "mark-published", str(item.id), "https://youtu.be/other")
    assert again.exit_code == 2 and "already published" in again.output


def test_mark_published_rejects_a_non_url(make_app, tmp_path, cli):
    app = make_app()
    item = short_item(app, _account(app), None)
    submit(app, item)
    result = cli("outbox", "mark-published", str(item.id), "youtu.be/x")
    assert result.exit_code == 2 and "is not a URL" in result.output
    assert publications.get_for_item(app.db, item.id).status == "outbox"


def test_manual_approval_waits_in_review_then_approve_publishes(make_app, tmp_path, cli, home):
    app = make_app()
    account = _account(app, "x", approval="manual")
    item = post_item(app, account, text="A post that needs a look")
    result = submit(app, item)
    assert result.status == "review" and not (home / "outbox").exists()
    listing = cli("review")
    assert listing.exit_code == 0 and f"#{item.id}" in listing.output and "A post that needs a look" in listing.output
    refused = cli("publications", "--status", "review")
    assert str(item.id) in refused.output
    edited = cli("review", "edit", str(item.id), "--text", "A better post")
    assert edited.exit_code == 0, edited.output
    approved = cli("review", "approve", str(item.id))
    assert approved.exit_code == 0, approved.output
    metadata = json.loads((home / "outbox" / "x" / "xacc" / str(item.id) / "metadata.json").read_text())
    assert metadata["text"] == "A better post"
    assert cli("review").output.strip() == "nothing waits for review"


def test_submit_does_not_publish_items_in_review(make_app):
    app = make_app()
    item = post_item(app, _account(app, "x", approval="manual"))
    submit(app, item)
    assert submit(app, item).status == "review"  # a second submit does not skip review
    from moneyprinter.publishers.engine import publish_item

    with pytest.raises(errors.UsageError, match="waiting for review"):
        publish_item(app, item.id)


def test_reject_is_final(make_app, cli):
    app = make_app()
    item = post_item(app, _account(app, "x", approval="manual"))
    submit(app, item)
    assert cli("review", "reject", str(item.id), "--reason", "off topic").exit_code == 0
    pub = publications.get_for_item(app.db, item.id)
    assert pub.status == "rejected" and pub.error == "off topic"
    result = cli("publish", str(item.id))
    assert result.exit_code == 2 and "rejected" in result.output


def test_publish_command_and_publications_listing(make_app, cli):
    app = make_app()
    account = _account(app, "x")
    item = post_item(app, account)
    result = cli("publish", str(item.id))
    assert result.exit_code == 0 and "written to the outbox" in result.output
    listing = cli("publications", "--account", "xacc", "--json")
    data = json.loads(listing.output)
    assert data[0]["item_id"] == item.id and data[0]["status"] == "outbox"
    assert data[0]["attempts"][0]["outcome"] == "outbox"
    assert cli("publications", "--account", "nobody").exit_code == 2


def test_unknown_item_is_one_clear_line(cli):
    result = cli("publish", "999")
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "999" in result.output


def test_menu_review_screen_approves_an_item(make_app, monkeypatch, home):
    app = make_app()
    item = post_item(app, _account(app, "x", approval="manual"), text="Menu post")
    submit(app, item)
    answers = iter(["1", "1", "2"])  # the item, approve and publish, then Back (the list is empty now)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    from moneyprinter.menu.review import screen

    screen(app)
    assert publications.get_for_item(app.db, item.id).status == "outbox"
    assert (home / "outbox" / "x" / "xacc" / str(item.id) / "metadata.json").exists()


def test_concurrent_publish_of_one_item_is_refused(make_app, home):
    from filelock import FileLock

    from moneyprinter.publishers.engine import publish_item

    app = make_app()
    item = post_item(app, _account(app, "x"))
    (home / "locks").mkdir(parents=True, exist_ok=True)
    with FileLock(str(home / "locks" / f"publication-{item.id}.lock")):
        with pytest.raises(errors.UsageError, match="another process"):
            publish_item(app, item.id)


def test_outbox_refuses_an_item_whose_media_file_is_missing(make_app, tmp_path, home, cli):
    app = make_app()
    item = short_item(app, _account(app), tmp_path / "gone.mp4")
    result = cli("publish", str(item.id))
    assert result.exit_code == 1 and "media file is missing" in result.output and "Traceback" not in result.output
    assert publications.get_for_item(app.db, item.id).status == "failed"
    assert not (home / "outbox" / "youtube" / "youtubeacc" / str(item.id) / "metadata.json").exists()
    video_file(tmp_path, 1000).rename(tmp_path / "gone.mp4")  # the person restores it and publishes again
    assert cli("publish", str(item.id)).exit_code == 0
    assert (home / "outbox" / "youtube" / "youtubeacc" / str(item.id) / "gone.mp4").stat().st_size == 1000


def test_review_edit_refuses_an_empty_title_and_an_oversized_post(make_app, cli):
    app = make_app()
    short = short_item(app, _account(app, approval="manual"), None)
    post = post_item(app, _account(app, "x", approval="manual"), text="short post")
    submit(app, short)
    submit(app, post)
    empty = cli("review", "edit", str(short.id), "--title", "  ")
    assert empty.exit_code == 2 and "title must be 1-100 characters" in empty.output
    too_long = cli("review", "edit", str(post.id), "--text", "x" * 281)
    assert too_long.exit_code == 2 and "281 weighted characters" in too_long.output
    from moneyprinter.store.content import get_item

    assert get_item(app.db, short.id).title == "A fact about owls"
    assert get_item(app.db, post.id).body == "short post"
    assert cli("review", "edit", str(post.id), "--text", "x" * 280).exit_code == 0
    angled = cli("review", "edit", str(short.id), "--description", "a <b> c")
    assert angled.exit_code == 2 and "without < or >" in angled.output
    assert get_item(app.db, short.id).metadata["description"] == "Owls can rotate their heads."


def test_missing_item_hint_names_commands_that_exist(cli):
    result = cli("publish", "999")
    assert result.exit_code == 2 and "no content item with id 999" in result.output
    assert "moneyprinter publications" in result.output and "content list" not in result.output


def test_login_for_an_account_of_the_other_platform_names_the_platform(make_app, cli):
    app = make_app()
    _account(app, "youtube")
    result = cli("x", "login", "--account", "youtubeacc", "--no-verify")
    assert result.exit_code == 2 and "no x account named 'youtubeacc'" in result.output


def test_bracketed_text_is_shown_not_swallowed_as_markup(make_app, cli, tmp_path, monkeypatch):
    """Rich reads '[publishing]' as a style tag; titles like '[HOW TO] ...' and config hints must survive."""
    app = make_app()
    account = _account(app, approval="manual")
    item = short_item(app, account, None, title="[HOW TO] Owls [2026]")
    submit(app, item)
    assert "title: [HOW TO] Owls [2026]" in cli("review").output
    assert cli("accounts", "edit", "youtube", "youtubeacc", "--publisher", "youtube_studio").exit_code == 0
    assert cli("review", "approve", str(item.id)).exit_code != 0
    monkeypatch.setenv("COLUMNS", "400")  # one line per row, so the hint can be matched whole
    listed = cli("publications", "--status", "failed").output
    assert "studio_enabled = true under [publishing]" in listed
    health = cli("health").output
    assert "under [publishing]" in health



def test_menu_choices_show_brackets(monkeypatch, capsys):
    from moneyprinter.menu.prompts import choose

    answers = iter(["[x]", "1"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert choose("Review [2 waiting]", ["#7 youtube:chan - [HOW TO] Owls"]) == 0
    shown = capsys.readouterr().out
    assert "Review [2 waiting]" in shown and "[HOW TO] Owls" in shown and "Invalid choice '[x]'" in shown


def test_menu_health_summary_keeps_bracketed_fixes(make_app, cli, capsys):
    from moneyprinter.menu import health

    app = make_app()
    _account(app)
    cli("accounts", "edit", "youtube", "youtubeacc", "--publisher", "youtube_studio")
    health.summary(app)
    assert "under [publishing]" in capsys.readouterr().out


def test_logins_stay_with_a_renamed_account_and_go_with_a_removed_one(make_app, cli, home):
    from moneyprinter.publishers import credentials
    from moneyprinter.store.accounts import add_account, get_account

    app = make_app()
    x = _account(app, "x")
    token = credentials.save(app.db, "x", x, {"consumer_key": "ck-login-test", "access_token": "at-login-test"})
    yt = _account(app, "youtube")
    profile = home / "browser-profiles" / "chromium" / str(yt.id)  # named by id: a rename moves nothing
    profile.mkdir(parents=True)
    (profile / "Cookies").write_text("session")
    assert cli("accounts", "edit", "x", "xacc", "--nickname", "xnew").exit_code == 0
    assert credentials.load("x", get_account(app.db, "x", "xnew"))["consumer_key"] == "ck-login-test"
    assert token == home / "tokens" / "x" / f"{x.id}.json" and token.exists()
    assert cli("accounts", "edit", "youtube", "youtubeacc", "--nickname", "ytnew").exit_code == 0
    assert (profile / "Cookies").exists()
    assert cli("accounts", "remove", "x", "xnew", "--yes").exit_code == 0
    assert cli("accounts", "remove", "youtube", "ytnew", "--yes").exit_code == 0
    assert not token.exists() and not profile.exists()
    again = add_account(app.db, "x", "xnew")  # a new account, even one given the old id, starts logged out
    assert credentials.load("x", again) is None
