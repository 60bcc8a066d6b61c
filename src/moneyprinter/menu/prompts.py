"""Line-based prompts that re-ask on bad input and turn Ctrl-C / Ctrl-D into a clean exit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape

console = Console(highlight=False)


class MenuExit(Exception):
    """The user pressed Ctrl-C or Ctrl-D: leave the menu cleanly."""


class Cancelled(MenuExit):
    """Ctrl-C: leave the current form for the menu it was started from (at the main menu: quit)."""


def read_line(prompt: str) -> str:
    try:
        return input(prompt)
    except KeyboardInterrupt:
        console.print()
        raise Cancelled from None
    except EOFError:
        raise MenuExit from None


@contextmanager
def cancellable():
    """Around a form started from a menu: Ctrl-C inside it comes back here, to that menu."""
    try:
        yield
    except Cancelled:
        console.print("[yellow]Cancelled.[/]")


def ask(prompt: str, *, default: str | None = None, validate: Callable[[str], str | None] | None = None) -> str:
    """Ask for text. ``validate`` returns an error message or None. Empty input takes the default."""
    suffix = f" [{default}]" if default else ""
    while True:
        value = read_line(f"{prompt}{suffix}: ").strip()
        if not value and default is not None:
            value = default
        if not value:
            console.print("[yellow]A value is required.[/]")
            continue
        problem = validate(value) if validate else None
        if problem:
            console.print(f"[yellow]{escape(problem)}[/]")
            continue
        return value


def choose(title: str, options: Sequence[str], *, prompt: str = "Choose", default: int | None = None) -> int:
    """Show numbered options and return the 0-based index chosen; Enter takes ``default`` (marked current)."""
    console.print(f"\n[bold]{escape(title)}[/]")
    for number, label in enumerate(options, start=1):
        current = " (current)" if number - 1 == default else ""
        console.print(f"  {number}. {escape(label)}{current}")
    keep = f", Enter keeps {default + 1}" if default is not None else ""
    while True:
        raw = read_line(f"{prompt} [1-{len(options)}{keep}]: ").strip()
        if not raw and default is not None:
            return default
        if raw.isdigit() and 1 <= int(raw) <= len(options):
            return int(raw) - 1
        matches = [i for i, label in enumerate(options) if label.lower() == raw.lower()]
        if matches:
            return matches[0]
        console.print(f"[yellow]Invalid choice '{escape(raw)}'. Enter a number from 1 to {len(options)}.[/]")


def choose_many(prompt: str, labels: Sequence[str], current: Sequence[int] = ()) -> list[int]:
    """Show numbered labels and return the 0-based indexes picked ('1, 3'; '-' for none). Enter keeps ``current``."""
    for number, label in enumerate(labels, 1):
        console.print(f"  {number}. {escape(label)}" + (" (now)" if number - 1 in current else ""))

    def check(value: str) -> str | None:
        if value.strip() == "-":
            return None
        picked = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
        if not picked or not all(p.isdigit() and 1 <= int(p) <= len(labels) for p in picked):
            return f"give numbers from 1 to {len(labels)}, separated by commas (or '-' for none)"
        return None

    now = ",".join(str(i + 1) for i in current) or "-"
    answer = ask(f"{prompt} (numbers, '-' for none)", default=now, validate=check)
    if answer.strip() == "-":
        return []
    return [int(p) - 1 for p in answer.replace(" ", ",").split(",") if p.strip()]


def confirm(prompt: str, *, default: bool = False) -> bool:
    hint = "Y/n" if default else "y/N"
    while True:
        raw = read_line(f"{prompt} [{hint}]: ").strip().lower()
        if not raw:
            return default
        if raw in ("y", "yes"):
            return True
        if raw in ("n", "no"):
            return False
        console.print("[yellow]Please answer y or n.[/]")


def pause() -> None:
    read_line("Press Enter to continue...")
