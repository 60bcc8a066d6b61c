"""Failures the user did not cause or can fix: one line on the console, the details in the log file."""

from __future__ import annotations

import click
from click.testing import CliRunner

from tests.foundation.helpers import run_moneyprinter


def test_unexpected_error_is_one_line_and_the_traceback_goes_to_the_log(home, log_file):
    from moneyprinter.cli import main

    @click.command("explode")
    def explode() -> None:
        raise RuntimeError("kaboom")

    main.add_command(explode)
    try:
        result = CliRunner().invoke(main, ["explode"])
    finally:
        main.commands.pop("explode")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"error: unexpected RuntimeError: kaboom; details in {log_file}"]
    text = log_file.read_text()
    assert "Traceback" in text and 'raise RuntimeError("kaboom")' in text


def test_data_directory_that_cannot_be_created_is_one_line(home, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data directory's parent should be")
    env = {"MONEYPRINTER_HOME": str(blocker / "data")}
    for args in (("accounts", "list"), ("config", "init")):
        proc = run_moneyprinter(*args, env_extra=env)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [
            f"error: {blocker / 'data'}: cannot create the data directory (Not a directory)"
            " - set MONEYPRINTER_HOME to a folder you can write to"
        ]


def test_damaged_database_file_is_one_line_with_the_fix(home):
    home.mkdir(parents=True)
    (home / "moneyprinter.db").write_bytes(b"this is not SQLite" * 300)
    proc = run_moneyprinter("accounts", "list")
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "file is not a database" in lines[0] and "restore it from a backup" in lines[0]


def test_accounts_edit_without_a_change_says_so(cli):
    assert cli("accounts", "add", "youtube", "chan").exit_code == 0
    result = cli("accounts", "edit", "youtube", "chan")
    assert result.exit_code == 2 and "nothing to change" in result.output and "updated" not in result.output


def test_choosing_the_studio_publisher_prints_the_terms_warning(cli):
    added = cli("accounts", "add", "youtube", "chan", "--publisher", "youtube_studio")
    assert added.exit_code == 0 and "may break YouTube's terms" in added.output
    assert "terms" not in cli("accounts", "edit", "youtube", "chan", "--publisher", "outbox").output
    edited = cli("accounts", "edit", "youtube", "chan", "--publisher", "youtube_studio")
    assert "may break YouTube's terms" in edited.output
