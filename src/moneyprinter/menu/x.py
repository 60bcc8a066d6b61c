"""The X screen (menu label "Twitter/X"): write and post, post history, thread setting, schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moneyprinter.menu.prompts import ask, choose, confirm, console
from moneyprinter.menu.x_common import pick_x_account, run_action
from moneyprinter.platforms.x import THREAD_MAX, THREAD_MIN, X
from moneyprinter.store import accounts as repo
from moneyprinter.terminal.deliveries import print_cross_posts
from moneyprinter.terminal.output import table
from moneyprinter.terminal.x import history_row

if TYPE_CHECKING:
    from moneyprinter.app import App

ACTIONS = [
    "Write a post and post it",
    "Write a thread and post it",
    "Post my own text",
    "Post history",
    "Scheduled posts: single post or thread",
    "Set up a schedule",
    "Back",
]


def screen(app: App) -> None:
    account = pick_x_account(app, need_topic=True)
    while True:
        index = choose(f"X: {account.nickname} ({account.topic})", ACTIONS)
        if index == len(ACTIONS) - 1:
            return
        bot = X(app, repo.get_account_by_id(app.db, account.id))
        handlers = (_write_post, _write_thread, _own_text, _history, _thread_setting, _schedule)
        run_action(handlers[index], app, bot)


def _preview_and_post(bot: X, kind: str, posts: list[str]) -> None:
    for number, text in enumerate(posts, start=1):
        prefix = f"[{number}/{len(posts)}] " if len(posts) > 1 else ""
        console.print(prefix + text, markup=False)
    if not confirm("Post it?", default=True):
        console.print("Not posted.")
        return
    posted = bot.publish(kind, posts, source="generated")
    console.print(f"[green]Item #{posted.item.id}: {posted.result.message}[/]", markup=True)
    print_cross_posts(console, posted.deliveries)


def _write_post(app: App, bot: X) -> None:
    console.print("Writing...")
    _preview_and_post(bot, "post", [bot.write_post()])


def _write_thread(app: App, bot: X) -> None:
    count = int(ask(f"How many posts ({THREAD_MIN}-{THREAD_MAX})", default="3", validate=_thread_problem))
    console.print("Writing...")
    _preview_and_post(bot, "thread", bot.write_thread(count))


def _own_text(app: App, bot: X) -> None:
    text = ask("Text to post (posted exactly as typed)")
    posted = bot.post_text(text)
    console.print(f"[green]Item #{posted.item.id}: {posted.result.message}[/]")
    print_cross_posts(console, posted.deliveries)


def _history(app: App, bot: X) -> None:
    items = bot.history(50)
    if not items:
        console.print("No posts yet.")
        return
    rows = [[r["date"], r["text"], r["url"], r["status"]] for r in map(history_row, items)]
    console.print(table(None, ["date", "text", "URL", "status"], rows))


def _thread_setting(app: App, bot: X) -> None:
    current = bot.account.options.get("thread_length") or 0
    console.print(f"Scheduled posts are now: {'threads of %d posts' % current if current else 'single posts'}.")
    value = ask(f"Thread length for scheduled posts (0 = single posts, {THREAD_MIN}-{THREAD_MAX})",
                default=str(current), validate=_setting_problem)
    repo.update_account(app.db, bot.account, options={"thread_length": int(value)})
    console.print("[green]Saved.[/]")


def _schedule(app: App, bot: X) -> None:
    from moneyprinter.menu import schedules

    console.print(f"Schedule posts for '{bot.account.nickname}' (job twitter.post; the scheduler daemon runs it).")
    schedules.add_for(app, "twitter.post", bot.account.nickname)


def _thread_problem(value: str) -> str | None:
    if not value.isdigit() or not THREAD_MIN <= int(value) <= THREAD_MAX:
        return f"Enter a number from {THREAD_MIN} to {THREAD_MAX}."
    return None


def _setting_problem(value: str) -> str | None:
    return None if value == "0" else _thread_problem(value)
