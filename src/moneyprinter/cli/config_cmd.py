"""``moneyprinter config init|show|validate|path``."""

from __future__ import annotations

import os

import click
from rich.markup import escape

from moneyprinter import paths
from moneyprinter.config import load_config, masked_settings, render_template
from moneyprinter.errors import ConfigError, UsageError
from moneyprinter.terminal.output import console, print_json


@click.group("config")
def config_group() -> None:
    """Create, show and check the configuration."""


@config_group.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing config.toml (a backup is kept).")
def config_init(force: bool) -> None:
    """Write a commented config.toml template and a private .env for secrets."""
    target = paths.config_path()
    paths.ensure_data_dir()
    if target.exists() and not force:
        raise UsageError(f"{target} already exists", hint="use --force to overwrite it (a .bak copy is kept)")
    if target.exists():
        target.replace(target.with_suffix(".toml.bak"))
    target.write_text(render_template(), encoding="utf-8")
    env = paths.env_path()
    if not env.exists():
        fd = os.open(env, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("# Secrets for moneyprinter (mode 600). Examples:\n# MISTRAL_API_KEY=\n# ASSEMBLYAI_API_KEY=\n# VENICE_API_KEY=\n")
    click.echo(f"wrote {target}")
    click.echo(f"secrets go in {env} (mode 600)")


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def config_show(as_json: bool) -> None:
    """Print the effective settings; secrets are masked."""
    config = load_config()
    shown = masked_settings(config)
    if as_json:
        print_json(shown)
        return
    source = config.config_file if config.config_file_exists else f"{config.config_file} (not present: defaults)"
    console.print(f"[bold]config file:[/] {source}")
    for var in sorted(config.env_overrides):
        console.print(f"[bold]override:[/] {var}")
    for section, values in shown.items():
        console.print(f"\n[bold]\\[{section}][/]")
        for key, value in values.items():
            console.print(escape(f"  {key} = {value if value is not None else '(not set)'}"))


@config_group.command("validate")
def config_validate() -> None:
    """Check config.toml, the environment and .env; exit 2 on the first problem."""
    config = load_config()
    check_provider_names(config)
    where = config.config_file if config.config_file_exists else "defaults"
    click.echo(f"ok: configuration is valid ({where}; {len(config.secrets.configured())} secret(s) set)")


def check_provider_names(config) -> None:
    """Provider names are plain strings in the file: check them against the registries."""
    from moneyprinter.providers.images import image_providers
    from moneyprinter.providers.llm import text_providers
    from moneyprinter.providers.stt import stt_providers
    from moneyprinter.providers.tts import voice_providers

    shorts, x = config.settings.shorts, config.settings.x
    chosen = [
        ("shorts.text_provider", text_providers, shorts.text_provider),
        ("shorts.voice_provider", voice_providers, shorts.voice_provider),
        ("shorts.image_provider", image_providers, shorts.image_provider),
        ("x.text_provider", text_providers, x.text_provider),
    ]
    if shorts.subtitle_provider != "tts":  # tts = cues from the voice timings, no provider
        chosen.append(("shorts.subtitle_provider", stt_providers, shorts.subtitle_provider))
    for key, registry, name in chosen:
        if not name:
            continue
        try:
            registry.get_class(name)
        except ConfigError as exc:
            raise ConfigError(f"{config.config_file}: '{key}': {exc.message}", hint=exc.hint) from None


@config_group.command("path")
def config_path() -> None:
    """Print the data directory and the files in it."""
    click.echo(f"data directory: {paths.data_dir()}")
    click.echo(f"config file:    {paths.config_path()}")
    click.echo(f"secrets file:   {paths.env_path()}")
    click.echo(f"database:       {paths.db_path()}")
    click.echo(f"logs:           {paths.logs_dir()}")


def register(group: click.Group) -> None:
    group.add_command(config_group)
