"""``moneyprinter review|publish|publications|outbox|youtube login|x login``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pathlib import Path

import click
from rich.markup import escape

from moneyprinter.cli.groups import subgroup
from moneyprinter.errors import UsageError
from moneyprinter.publishers import review
from moneyprinter.store.accounts import list_accounts, normalize_platform
from moneyprinter.store import publications
from moneyprinter.store.publications import STATUSES
from moneyprinter.terminal.deliveries import report
from moneyprinter.terminal.output import console, print_json, table

if TYPE_CHECKING:
    from moneyprinter.app import App


def _describe(w: review.Waiting) -> None:
    item = w.item
    console.print(f"[bold]#{item.id}[/] {w.account.platform}:{w.account.nickname} ({item.kind})")
    if item.title:
        console.print(f"  title: {escape(item.title)}")
    _print_texts(item, w.account)
    if item.metadata.description:
        console.print(f"  description: {escape(str(item.metadata.description))}")
    if item.metadata.tags:
        console.print(f"  tags: {escape(', '.join(map(str, item.metadata.tags)))}")
    if item.media_path:
        console.print(f"  file: {escape(item.media_path)}" + ("" if w.media_exists else " (missing)"))
    console.print(f"  publisher: {w.account.publisher}")
    if w.pub.error:  # why it waits: a destination's preflight problems
        console.print(f"  waits because: {escape(w.pub.error)}")


@click.group("review", invoke_without_command=True)
@click.option("--account", default=None, help="Only this account (nickname, or platform:nickname).")
@click.pass_context
def review_group(ctx, account) -> None:
    """Content waiting for approval: list (default), approve, edit, reject."""
    if ctx.invoked_subcommand is not None:
        return
    app = ctx.obj
    acc = review.find_account(app.db, account) if account else None
    items = review.waiting(app.db, acc)
    if not items:
        click.echo("nothing waits for review")
        return
    for w in items:
        _describe(w)
    click.echo(f"{len(items)} item(s) wait for review: moneyprinter review approve|edit|reject ID")


def _print_texts(item, account=None) -> None:
    """The exact texts that will be published (unwrapped): each part of a thread on its own line."""
    texts = review.texts_to_publish(item, account)
    if len(texts) > 1:
        for number, text in enumerate(texts, start=1):
            click.echo(f"  [{number}/{len(texts)}] {text}")
    elif texts:
        click.echo(f"  text: {texts[0]}")


DESTINATION = click.option("--destination", default=None, metavar="PLATFORM",
                           help="Only the item's publication to this platform (default: every one waiting).")


@review_group.command("approve")
@click.argument("item_id", type=int)
@DESTINATION
@click.pass_context
def review_approve(ctx, item_id, destination) -> None:
    """Approve an item and publish it now, to every destination waiting for review (or one)."""
    ctx.exit(report(review.approve(ctx.obj, item_id, destination)))


@review_group.command("edit")
@click.argument("item_id", type=int)
@click.option("--title", default=None, help="The title (YouTube).")
@click.option("--text", default=None, help="The post text (X) or the body; a Short draft's script, or its --sentence.")
@click.option("--description", default=None, help="The video description (YouTube).")
@click.option("--part", type=int, default=None, help="Which post of a thread --text replaces (1 is the first).")
@click.option("--sentence", type=int, default=None, help="Which sentence of a Short draft --text replaces (1 is the first).")
@click.option("--script", "script_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A Short draft's whole script from this file.")
@click.option("--editor", is_flag=True, help="Edit a Short draft's script in $EDITOR.")
@click.option("--tags", default=None, help="A Short draft's tags, comma-separated.")
@click.pass_obj
def review_edit(app: App, item_id, title, text, description, part, sentence, script_file, editor, tags) -> None:
    """Change the title, text (a thread: one part) or description before approval; on a script-only Short
    draft also its script (one --sentence, --script FILE or --editor) and tags, checked by the gate again."""
    from moneyprinter.shorts import draft_edit

    if draft_edit.is_script_draft(app.db, item_id):
        _edit_short_draft(app, item_id, title, text, description, sentence, script_file, editor, tags)
        return
    if sentence is not None or script_file or editor or tags is not None:
        raise UsageError(f"item {item_id} is not a script-only Short draft: --sentence, --script, --editor and "
                         "--tags change a draft's words before its video is made",
                         hint="make one with: moneyprinter short --account NAME --script-only")
    item = review.edit(app.db, item_id, title=title, text=text, description=description,
                       x_limit=app.settings.publishing.x_max_weighted_length, part=part)
    click.echo(f"item {item_id} updated; it will publish:")
    if item.title and item.kind not in ("post", "thread"):
        console.print(f"  title: {escape(item.title)}")
    _print_texts(item)


def _edit_short_draft(app: App, item_id, title, text, description, sentence, script_file, editor, tags) -> None:
    from moneyprinter.shorts import draft_edit

    script = script_file.read_text(encoding="utf-8") if script_file else None
    if editor:
        script = click.edit(draft_edit.script_lines(app.db, item_id))
        if script is None:
            click.echo("no change (the editor was closed without saving)")
            return
    edited = draft_edit.edit_draft(app.db, item_id, sentence=sentence, text=text, script=script, title=title,
                                   description=description, tags=tags)
    click.echo(f"Short {item_id} updated; its script:")
    console.print(f"  title: {escape(edited.item.title or '')}")
    for number, words in enumerate(edited.sentences, start=1):
        click.echo(f"  {number}. {words}")
    if edited.reasons:
        click.echo("the quality gate found: " + "; ".join(edited.reasons))
    click.echo(f"make the video: moneyprinter short --account NAME --resume {item_id}")


@review_group.command("reject")
@click.argument("item_id", type=int)
@click.option("--reason", default="", help="Why (kept with the record).")
@DESTINATION
@click.pass_obj
def review_reject(app: App, item_id, reason, destination) -> None:
    """Reject an item (every destination waiting for review, or one): it will never be published there."""
    rejected = review.reject(app.db, item_id, reason, destination)
    if destination is None and len(rejected) == 1:
        click.echo(f"item {item_id} rejected")
        return
    for pub in rejected:
        click.echo(f"item {item_id} -> {pub.destination}: rejected")


@click.command("publish")
@click.argument("item_id", type=int)
@click.option("--retry-unknown", "--retry", "retry_unknown", is_flag=True,
              help="Go on with an upload or post whose outcome was unknown (needs_attention), after you "
                   "checked it is not on the channel or account.")
@click.option("--to", "targets", multiple=True, metavar="PLATFORM:NICKNAME",
              help="Cross-post the item now to this account, or to a group's destinations with group:NAME (repeatable).")
@click.option("--destination", default=None, metavar="PLATFORM",
              help="Run (or resume) only the item's publication to this platform.")
@click.pass_context
def publish_cmd(ctx, item_id, retry_unknown, targets, destination) -> None:
    """Publish one content item now (resumes or reconciles an earlier attempt; never publishes twice).

    Without --to or --destination: the item's own publication, then every cross-post of it not done yet."""
    from moneyprinter.publishers import crosspost
    from moneyprinter.publishers.engine import publish_item

    app = ctx.obj
    if targets and destination:
        raise UsageError("--to and --destination cannot be combined",
                         hint="--to adds destinations; --destination runs one that exists")
    if targets:
        ctx.exit(report(crosspost.cross_post(app, item_id, list(targets))))
    if destination:
        pub, outcome = publish_item(app, item_id, destination=normalize_platform(destination), approve=True,
                                    retry_unknown=retry_unknown)
        click.echo(f"item {item_id} -> {pub.destination}: {outcome.message or pub.status}")
        return
    done = crosspost.publish_all(app, item_id, retry_unknown=retry_unknown)
    if len(done.items) == 1:
        own = done.items[0]
        if own.error is not None:
            raise own.error
        click.echo(f"item {item_id}: {own.result.message or own.result.status}")
        return
    ctx.exit(report(done))


@click.command("publish-due")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Most items published in this run.")
@click.pass_obj
def publish_due_cmd(app: App, limit) -> None:
    """Publish every pending item whose rate-limit or quota deferral has passed (for schedules)."""
    from moneyprinter.publishers.engine import publish_due, stuck, stuck_line

    results = publish_due(app, limit=limit)
    for due in results:
        click.echo(due.line)
    left = stuck(app.db)
    for pub in left:
        click.echo(stuck_line(pub, app.db))
    if not results and not left:
        click.echo("nothing is due")
    if any(due.outcome.startswith("error") for due in results):
        raise SystemExit(1)


@click.command("publications")
@click.option("--account", default=None, help="Nickname, or platform:nickname.")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="Only records in this state.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Newest records shown.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def publications_cmd(app: App, account, status, limit, as_json) -> None:
    """Where every item went: each destination's status, URL, attempts and what needs a person."""
    from moneyprinter.publishers.engine import stuck, stuck_line

    acc = review.find_account(app.db, account) if account else None
    pubs = publications.list_publications(app.db, account_id=acc.id if acc else None, status=status, limit=limit)
    stuck_ids = {p.id for p in stuck(app.db)}
    if as_json:
        names = _account_names(app, pubs)
        print_json([{**vars(p), "account": names.get(p.account_id), "stuck": p.id in stuck_ids,
                     "attempts": [vars(a) for a in publications.attempts(app.db, p.id)]} for p in pubs])
        return
    if not pubs:
        click.echo(_nothing_listed(app, acc, status))
        return
    names = _account_names(app, pubs)
    rows = [[p.item_id, f"{p.destination} '{names.get(p.account_id, '?')}'", p.publisher,
             f"{p.status} (stuck)" if p.id in stuck_ids else p.status, p.remote_url or p.location or "", p.error or "",
             _short_time(p.not_before), _short_time(p.updated_at)] for p in pubs]
    console.print(table(None, ["item", "destination", "publisher", "status", "where", "error", "not before", "updated"],
                        rows))
    for pub in pubs:
        if pub.id in stuck_ids:
            click.echo(stuck_line(pub, app.db))


def _account_names(app: App, pubs) -> dict[int, str]:
    """Each publication's destination account by nickname (the record keeps its id)."""
    return {a.id: a.nickname for a in list_accounts(app.db) if a.id in {p.account_id for p in pubs}}


def _nothing_listed(app: App, acc, status) -> str:
    """Say which filter matched nothing, rather than that nothing was ever published."""
    if status is None and acc is None:
        return "no publications yet"
    if publications.count_by_status(app.db) == {}:
        return "no publications yet"
    what = " and ".join(x for x in (f"status '{status}'" if status else "",
                                    f"account '{acc.nickname}'" if acc else "") if x)
    return f"no publications with {what}"


def _short_time(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else ""


@click.group("outbox")
def outbox_group() -> None:
    """Items written to the outbox for a manual upload."""


@outbox_group.command("mark-published")
@click.argument("item_id", type=int)
@click.argument("url")
@click.option("--destination", default=None, metavar="PLATFORM", help="The item's cross-post to this platform.")
@click.pass_obj
def outbox_mark(app: App, item_id, url, destination) -> None:
    """Record that you uploaded item ID by hand at URL."""
    review.mark_published(app.db, item_id, url, destination)
    click.echo(f"item {item_id}{f' -> {destination}' if destination else ''} marked published: {url}")


@click.command("login")
@click.option("--account", required=True, help="The YouTube account's nickname.")
@click.option("--no-browser", is_flag=True, help="Print the address instead of opening a browser.")
@click.option("--port", type=int, default=0, help="Local port for Google's redirect (0: any free port).")
@click.pass_obj
def youtube_login(app: App, account, no_browser, port) -> None:
    """Log in to YouTube (OAuth in your browser); the token is stored for this account only."""
    from moneyprinter.publishers import youtube_oauth

    acc = review.find_account(app.db, account, "youtube")
    path = youtube_oauth.login(app, acc, open_browser=not no_browser, port=port)
    click.echo(f"logged in; token saved to {path} (mode 600)")


@click.command("login")
@click.option("--account", required=True, help="The X account's nickname.")
@click.option("--no-verify", is_flag=True, help="Save without checking the keys with X.")
@click.pass_obj
def x_login(app: App, account, no_verify) -> None:
    """Store X API keys (OAuth 1.0a user context) for this account; they are never printed."""
    from moneyprinter.publishers import credentials, x_api

    acc = review.find_account(app.db, account, "x")
    secrets = app.config.secrets
    keys = {
        "consumer_key": secrets.get("X_API_KEY") or click.prompt("API key (consumer key)", hide_input=True),
        "consumer_secret": secrets.get("X_API_SECRET") or click.prompt("API key secret", hide_input=True),
        "access_token": click.prompt("Access token", hide_input=True),
        "access_token_secret": click.prompt("Access token secret", hide_input=True),
    }
    keys = {k: v.strip() for k, v in keys.items()}
    if not no_verify:
        me = x_api.XClient(app, acc, keys).me()
        keys.update(user_id=me["id"], username=me.get("username"))
        click.echo(f"keys accepted for @{me.get('username')}")
    path = credentials.save(app.db, x_api.PROVIDER, acc, keys)
    click.echo(f"saved to {path} (mode 600)")


def register(group: click.Group) -> None:
    for command in (review_group, publish_cmd, publish_due_cmd, publications_cmd, outbox_group):
        group.add_command(command)
    subgroup(group, "youtube", "YouTube publishing.").add_command(youtube_login)
    subgroup(group, "x", "X publishing.").add_command(x_login)
