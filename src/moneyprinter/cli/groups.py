"""Command groups that several capability modules add to (``youtube``, ``x``, ``instagram``, ...)."""

from __future__ import annotations

import click


def subgroup(group: click.Group, name: str, help_text: str) -> click.Group:
    """Reuse a group another capability registered under ``name``, or create it."""
    existing = group.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    sub = click.Group(name, help=help_text)
    group.add_command(sub)
    return sub
