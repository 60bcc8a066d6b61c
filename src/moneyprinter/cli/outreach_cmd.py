"""Commands of the outreach capability (added here as it lands)."""

import click


def register(group: click.Group) -> None:
    """Nothing to add yet: this capability has not landed."""
