"""Review edits reach what is published: a thread is edited part by part, each part checked on its own."""

from __future__ import annotations

from moneyprinter.publishers import submit
from moneyprinter.store import content
from tests.publishing.conftest import x_account
from tests.publishing.test_x_api import thread_item

PARTS = ["1/3 " + "Sourdough needs patience and a warm kitchen. " * 5,
         "2/3 " + "Feed the starter twice a day with flour and water. " * 4,
         "3/3 Bake when it doubles."]


def test_editing_a_thread_part_changes_what_is_posted(xapi, make_app, cli):
    app = make_app()
    item = thread_item(app, x_account(app, approval="manual"), PARTS)
    assert submit(app, item).status == "review"
    new_part = "2/3 Feed the starter every morning and every evening; it smells sweet when ready. " * 3
    result = cli("review", "edit", str(item.id), "--part", "2", "--text", new_part)
    assert result.exit_code == 0, result.output
    # The exact texts that will go out are shown.
    assert "[2/3] " + new_part.strip() in result.output and "[1/3] " + PARTS[0].strip() in result.output
    listing = cli("review")
    assert "[2/3]" in listing.output
    approved = cli("review", "approve", str(item.id))
    assert approved.exit_code == 0, approved.output
    assert [p["text"] for p in reversed(xapi.posts)] == [PARTS[0].strip(), new_part.strip(), PARTS[2]]
    assert content.get_item(app.db, item.id).metadata.weighted_lengths[1] == len(new_part.strip())


def test_a_part_is_checked_on_its_own_and_a_thread_needs_part(xapi, make_app, cli):
    app = make_app()
    item = thread_item(app, x_account(app, approval="manual"), PARTS)
    submit(app, item)
    too_long = cli("review", "edit", str(item.id), "--part", "3", "--text", "x" * 281)
    assert too_long.exit_code == 2 and "part 3" in too_long.output and "281" in too_long.output
    whole = cli("review", "edit", str(item.id), "--text", "one text")
    assert whole.exit_code == 2 and "--part" in whole.output
    missing = cli("review", "edit", str(item.id), "--part", "4", "--text", "four")
    assert missing.exit_code == 2 and "1 to 3" in missing.output
    assert content.get_item(app.db, item.id).metadata.posts == PARTS
