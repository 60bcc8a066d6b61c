"""Configuration: defaults, config.toml, MONEYPRINTER_* overrides, .env secrets, and the one-line errors."""

from __future__ import annotations

import json
import os
import re
import stat

import pytest

from moneyprinter import paths
from moneyprinter.config import Settings, load_config, render_template
from moneyprinter.errors import ConfigError
from tests.foundation.helpers import run_moneyprinter

SECRET = "mk-Zq81vLw0PxT5rS2n"


def write(path, text: str, mode: int | None = None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return path


def test_missing_config_means_defaults(home):
    config = load_config()
    assert not config.config_file_exists and config.config_file == home / "config.toml"
    assert config.settings == Settings()
    assert config.settings.http.read_timeout_s == 30.0 and config.secrets.configured() == []


def test_config_file_values_are_used(home):
    write(home / "config.toml", '[http]\nread_timeout_s = 12.5\n[general]\ntimezone = "Europe/Berlin"\n')
    settings = load_config().settings
    assert settings.http.read_timeout_s == 12.5 and settings.general.timezone == "Europe/Berlin"


def test_environment_overrides_the_file(home, monkeypatch):
    write(home / "config.toml", "[http]\nread_timeout_s = 12.5\nmax_retries = 2\n")
    monkeypatch.setenv("MONEYPRINTER_HTTP__READ_TIMEOUT_S", "7")
    monkeypatch.setenv("MONEYPRINTER_SERVICES__MISTRAL_BASE_URL", "http://127.0.0.1:9/")
    config = load_config()
    assert config.settings.http.read_timeout_s == 7.0  # the variable wins
    assert config.settings.http.max_retries == 2  # the file still applies elsewhere
    assert config.settings.services.mistral_base_url == "http://127.0.0.1:9/"
    assert set(config.env_overrides) == {"MONEYPRINTER_HTTP__READ_TIMEOUT_S", "MONEYPRINTER_SERVICES__MISTRAL_BASE_URL"}


def test_secrets_come_from_env_file_and_environment_wins(home, monkeypatch):
    write(home / ".env", f"MISTRAL_API_KEY={SECRET}\nVENICE_API_KEY=from-file-123\n", mode=0o600)
    monkeypatch.setenv("VENICE_API_KEY", "from-env-456")
    secrets = load_config().secrets
    assert secrets.get("MISTRAL_API_KEY") == SECRET
    assert secrets.get("VENICE_API_KEY") == "from-env-456"
    assert secrets.get("ASSEMBLYAI_API_KEY") is None
    assert sorted(secrets.configured()) == ["MISTRAL_API_KEY", "VENICE_API_KEY"]


# --- bad configuration: one line naming the file, the key and the fix; exit 2; no traceback ----------


def assert_one_line_error(proc, *fragments: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.mark.parametrize(
    ("toml", "fragments"),
    [
        ("[http]\nread_timout_s = 3\n", ["unknown key 'http.read_timout_s'", "did you mean 'read_timeout_s'"]),
        ("[htp]\nread_timeout_s = 3\n", ["unknown section [htp]", "did you mean 'http'", "valid sections:"]),
        ('[http]\nmax_retries = "many"\n', ["'http.max_retries'", "valid integer", '(got "many")', "fix the value"]),
        ("[http]\nmax_retries = 99\n", ["'http.max_retries'", "less than or equal to 10", "(got 99)"]),
        ('[general]\ntimezone = "Mars/Base"\n', ["'general.timezone'", "not a known IANA timezone"]),
        ("[http\nread_timeout_s = 3\n", ["not valid TOML", "line 1", "config init --force"]),
        ('[services]\nmistral_base_url = "api.mistral.ai"\n', ["'services.mistral_base_url'", "http:// or https://"]),
    ],
    ids=["unknown-key", "unknown-section", "wrong-type", "out-of-range", "bad-timezone", "invalid-toml", "bad-url"],
)
def test_bad_config_file_is_one_clear_line(home, toml, fragments):
    config_file = write(home / "config.toml", toml)
    proc = run_moneyprinter("config", "validate")
    line = assert_one_line_error(proc, str(config_file), *fragments)
    assert line.startswith("error: ") and " - " in line  # the fix follows the problem


def test_bad_environment_override_names_the_variable(home):
    proc = run_moneyprinter("config", "show", env_extra={"MONEYPRINTER_HTTP__READ_TIMEOUT_S": "soon"})
    assert_one_line_error(proc, "environment variable MONEYPRINTER_HTTP__READ_TIMEOUT_S", "'http.read_timeout_s'",
                          "unset MONEYPRINTER_HTTP__READ_TIMEOUT_S")


def test_unknown_section_from_environment_names_the_variable(home):
    write(home / "config.toml", "[http]\nmax_retries = 1\n")
    with pytest.raises(ConfigError) as info:
        os.environ["MONEYPRINTER_HTTPS__MAX_RETRIES"] = "1"
        try:
            load_config()
        finally:
            del os.environ["MONEYPRINTER_HTTPS__MAX_RETRIES"]
    assert str(info.value).startswith("environment variable MONEYPRINTER_HTTPS__MAX_RETRIES: unknown section [https]")


def test_config_path_that_is_a_directory_is_reported(home):
    (home / "config.toml").mkdir(parents=True)
    proc = run_moneyprinter("config", "validate")
    assert_one_line_error(proc, str(home / "config.toml"), "is a directory")


def test_config_file_that_is_not_utf8_is_reported(home):
    (home).mkdir(parents=True)
    (home / "config.toml").write_bytes(b"[general]\ntimezone = \"\xff\xfe\"\n")
    proc = run_moneyprinter("config", "validate")
    assert_one_line_error(proc, str(home / "config.toml"), "UTF-8")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; covered by the directory case")
def test_unreadable_config_file_is_reported(home):
    write(home / "config.toml", "[http]\n", mode=0o000)
    proc = run_moneyprinter("config", "validate")
    assert_one_line_error(proc, str(home / "config.toml"), "permission denied")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_env_file_readable_by_others_is_refused(home, mode):
    env = write(home / ".env", f"MISTRAL_API_KEY={SECRET}\n", mode=mode)
    proc = run_moneyprinter("config", "show")
    line = assert_one_line_error(proc, str(env), "readable by group or others", f"chmod 600 {env}")
    assert SECRET not in proc.stdout + proc.stderr
    assert line.count(str(env)) == 2


def test_env_file_with_mode_600_is_accepted(home):
    write(home / ".env", f"MISTRAL_API_KEY={SECRET}\n", mode=0o600)
    proc = run_moneyprinter("config", "validate")
    assert proc.returncode == 0 and "1 secret(s) set" in proc.stdout


# --- config init / show -----------------------------------------------------------------------------


def test_config_init_writes_a_template_that_loads_and_a_private_env(home):
    proc = run_moneyprinter("config", "init")
    assert proc.returncode == 0, proc.stderr
    config_file, env = home / "config.toml", home / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    text = config_file.read_text()
    assert "[http]" in text and "# read_timeout_s = 30.0" in text and "Seconds to wait for response data" in text
    assert load_config().settings == Settings()  # the template itself is valid
    # Uncommenting every key gives a valid file whose values are the defaults.
    uncommented = re.sub(r"^# (\w+ = .*)$", r"\1", text, flags=re.M)
    assert uncommented.count("\n") == text.count("\n") and uncommented != text
    config_file.write_text(uncommented)
    assert load_config().settings == Settings()
    assert run_moneyprinter("config", "validate").returncode == 0


def test_config_init_refuses_to_overwrite_unless_forced(home):
    assert run_moneyprinter("config", "init").returncode == 0
    (home / "config.toml").write_text("[http]\nmax_retries = 1\n")
    (home / ".env").write_text(f"MISTRAL_API_KEY={SECRET}\n")
    proc = run_moneyprinter("config", "init")
    assert_one_line_error(proc, "already exists", "--force")
    assert run_moneyprinter("config", "init", "--force").returncode == 0
    assert (home / "config.toml.bak").read_text() == "[http]\nmax_retries = 1\n"
    assert SECRET in (home / ".env").read_text()  # the secrets file is never overwritten


def test_template_lists_every_key_of_every_section():
    text = render_template()
    for section, info in Settings.model_fields.items():
        assert f"[{section}]" in text
        for key in info.annotation.model_fields:
            assert re.search(rf"^# {key} = ", text, flags=re.M), key


def test_config_show_masks_every_secret(home):
    write(home / ".env", f"MISTRAL_API_KEY={SECRET}\nSMTP_PASSWORD=hunter2hunter2\n", mode=0o600)
    env = {"ASSEMBLYAI_API_KEY": "aai-0123456789abcdef"}
    text = run_moneyprinter("config", "show", env_extra=env)
    as_json = run_moneyprinter("config", "show", "--json", env_extra=env)
    assert text.returncode == 0 and as_json.returncode == 0
    for proc in (text, as_json):
        out = proc.stdout + proc.stderr
        for value in (SECRET, "hunter2hunter2", "aai-0123456789abcdef", SECRET[:8], SECRET[-8:]):
            assert value not in out
    shown = json.loads(as_json.stdout)
    assert shown["secrets"]["MISTRAL_API_KEY"].startswith("****")
    assert shown["secrets"]["VENICE_API_KEY"] is None
    assert shown["http"]["read_timeout_s"] == 30.0
    assert "MISTRAL_API_KEY" in text.stdout and "(not set)" in text.stdout


def test_data_dir_defaults_to_dot_moneyprinter_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("MONEYPRINTER_HOME")
    monkeypatch.chdir(tmp_path)
    assert paths.data_dir() == tmp_path / ".moneyprinter"


def test_unknown_key_in_a_nested_table_lists_that_tables_keys(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[shorts.llm_mistral]\nmodle = "mistral-small-latest"\n')
    from moneyprinter.config import load_config
    from moneyprinter.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        load_config()
    text = str(caught.value)
    assert "unknown key 'shorts.llm_mistral.modle'" in text
    assert "did you mean 'model'?" in text and "valid keys in [shorts.llm_mistral]" in text


def test_validate_names_an_unknown_provider(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[shorts]\ntext_provider = "gpt5-local"\n')
    proc = run_moneyprinter("config", "validate")
    assert proc.returncode == 2
    assert "'shorts.text_provider': unknown text provider 'gpt5-local'" in proc.stderr
    assert "local, mistral, openai_compatible" in proc.stderr and "Traceback" not in proc.stderr
    (home / "config.toml").write_text('[shorts]\ntext_provider = "mistral"\nsubtitle_provider = "assemblyai"\n')
    assert run_moneyprinter("config", "validate").returncode == 0


def test_subtitle_provider_hint_lists_every_valid_choice(home, cli):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[shorts]\nsubtitle_provider = "whisper"\n', encoding="utf-8")
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "unknown subtitle provider 'whisper'" in result.output
    assert "assemblyai" in result.output and "tts" in result.output.split("whisper", 1)[1]


def test_assemblyai_address_is_one_setting_whichever_table_sets_it(home):
    from moneyprinter.config import load_config

    home.mkdir(parents=True, exist_ok=True)
    config_file = home / "config.toml"
    config_file.write_text('[services]\nassemblyai_base_url = "http://127.0.0.1:9/aai"\n', encoding="utf-8")
    settings = load_config().settings
    assert settings.shorts.stt_assemblyai.base_url == "http://127.0.0.1:9/aai"
    config_file.write_text('[shorts.stt_assemblyai]\nbase_url = "http://127.0.0.1:9/stt"\n', encoding="utf-8")
    settings = load_config().settings
    assert settings.services.assemblyai_base_url == "http://127.0.0.1:9/stt"


def test_two_different_assemblyai_addresses_are_one_clear_error(home, cli):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[services]\nassemblyai_base_url = "http://127.0.0.1:9/a"\n\n'
        '[shorts.stt_assemblyai]\nbase_url = "http://127.0.0.1:9/b"\n', encoding="utf-8")
    result = cli("config", "validate")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "assemblyai_base_url" in result.output and "[shorts.stt_assemblyai] base_url" in result.output
    assert "disagree" in result.output


@pytest.mark.parametrize("as_json", [False, True])
def test_config_show_masks_secrets_inside_url_settings(home, cli, as_json):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        '[services]\nmistral_base_url = "https://proxyuser:hunter2-pass@proxy.example/mistral"\n'
        'venice_base_url = "https://api.venice.example/?api_key=vk-live-93cf0a&region=eu"\n', encoding="utf-8")
    result = cli("config", "show", *(["--json"] if as_json else []))
    assert result.exit_code == 0, result.output
    assert "hunter2-pass" not in result.output and "vk-live-93cf0a" not in result.output
    assert "proxyuser" in result.output and "region=eu" in result.output and "proxy.example" in result.output


def _write(home, name: str, data: bytes | str, mode: int | None = None):
    home.mkdir(parents=True, exist_ok=True)
    path = home / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    if mode is not None:
        path.chmod(mode)
    return path


def test_an_env_override_with_a_bad_value_names_the_variable_not_the_file(home, cli, monkeypatch):
    _write(home, "config.toml", "[http]\nread_timeout_s = 20\n")
    monkeypatch.setenv("MONEYPRINTER_HTTP__READ_TIMEOUT_S", "soon")
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "MONEYPRINTER_HTTP__READ_TIMEOUT_S" in result.output and "config.toml" not in result.output


@pytest.mark.parametrize("line", ["read_timeout_s = true", "max_retries = false"])
def test_a_boolean_is_not_accepted_where_a_number_is_expected(home, cli, line):
    _write(home, "config.toml", f"[http]\n{line}\n")
    result = cli("config", "validate")
    assert result.exit_code == 2, result.output
    assert line.split(" = ")[0] in result.output and "must be a number" in result.output


def test_a_non_utf8_env_file_gets_a_fix(home, cli):
    _write(home, ".env", b"MISTRAL_API_KEY=\xff\xfeabc\n", 0o600)
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "not UTF-8" in result.output and "save it as UTF-8" in result.output


def test_an_env_path_that_is_a_directory_is_named_as_such(home, cli):
    (home / ".env").mkdir(parents=True)
    result = cli("config", "validate")
    assert result.exit_code == 2 and "is a directory" in result.output and "mode" not in result.output


def test_a_dangling_config_symlink_is_an_error_not_silent_defaults(home, cli):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").symlink_to(home / "elsewhere.toml")
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "elsewhere.toml" in result.output and "does not exist" in result.output


def test_moneyprinter_home_pointing_at_a_file_is_an_error(tmp_path, cli, monkeypatch):
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    monkeypatch.setenv("MONEYPRINTER_HOME", str(afile))
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "MONEYPRINTER_HOME" in result.output and "is a file" in result.output


def test_old_twitter_section_is_read_as_x_and_x_wins(home):
    write(home / "config.toml", '[twitter]\nmax_hashtags = 4\ndisclosure = "#old"\n[x]\ndisclosure = "#new"\n')
    settings = load_config().settings
    assert settings.x.max_hashtags == 4 and settings.x.disclosure == "#new"
    assert "twitter" not in Settings.model_fields and "[x]" in render_template()


def test_old_twitter_variables_are_read_and_x_variables_win(home, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__MAX_HASHTAGS", "3")
    monkeypatch.setenv("MONEYPRINTER_TWITTER__DISCLOSURE", "#old")
    monkeypatch.setenv("MONEYPRINTER_X__DISCLOSURE", "#new")
    settings = load_config().settings
    assert settings.x.max_hashtags == 3 and settings.x.disclosure == "#new"


def test_a_bad_value_under_the_old_variable_names_that_variable(home, monkeypatch):
    monkeypatch.setenv("MONEYPRINTER_TWITTER__MAX_HASHTAGS", "99")
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert "MONEYPRINTER_TWITTER__MAX_HASHTAGS" in str(caught.value)
