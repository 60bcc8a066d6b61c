"""The renderer's health check and its config keys, through the real CLI and config file."""

from __future__ import annotations


def test_health_reports_the_renderer_ready(cli):
    result = cli("health")
    line = next(line for line in result.output.splitlines() if "renderer" in line)
    assert "PASS" in line


def test_unknown_subtitle_font_fails_the_renderer_check(cli, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[subtitles]\nfont = "No Such Font Family 123"\n')
    result = cli("health")
    line = next(line for line in result.output.splitlines() if "renderer" in line)
    assert "FAIL" in line


def test_bad_render_backend_is_one_config_line(cli, home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text('[render]\nbackend = "blender"\n')
    result = cli("config", "validate")
    assert result.exit_code == 2
    assert "render.backend" in result.output
