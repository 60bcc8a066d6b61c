"""The interactive terminal menu. Screens call the same functions as the CLI commands."""
