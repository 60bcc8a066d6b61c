"""The application context: its parts are given or made when it is built, never attached later."""

from __future__ import annotations

import pytest

from moneyprinter.app import App
from moneyprinter.config import load_config
from moneyprinter.http_client import HTTPClient, get_http_client
from moneyprinter.settings.core import HttpSettings


def test_an_attribute_cannot_be_added_after_construction(app):
    with pytest.raises(AttributeError):
        app.server_url = "http://127.0.0.1:9"  # type: ignore[attr-defined]


def test_the_log_file_is_a_constructor_argument(home):
    app = App(log_file=home / "logs" / "x.log")
    assert app.log_file == home / "logs" / "x.log" and App().log_file is None


def test_given_parts_are_used_as_they_are(home):
    config = load_config()
    client = HTTPClient(HttpSettings(read_timeout_s=3))
    try:
        app = App(config, http=client)
        assert app.config is config and app.settings is config.settings
        assert app.http is client and get_http_client() is not client  # the process-wide client is left alone
        assert app.data_dir == home
    finally:
        client.close()


def test_a_command_that_crashes_names_the_apps_log_file(home):
    import click
    from click.testing import CliRunner

    from moneyprinter.cli import MoneyPrinterGroup

    @click.group(cls=MoneyPrinterGroup)
    def group() -> None:
        pass

    @group.command("boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    result = CliRunner().invoke(group, ["boom"], obj=App(log_file=home / "logs" / "run.log"))
    assert result.exit_code == 1
    assert f"error: unexpected RuntimeError: a bug; details in {home / 'logs' / 'run.log'}" in result.output
