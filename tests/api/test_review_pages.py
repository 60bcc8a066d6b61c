"""The review queue's pages: oldest first, each item once, with the total."""

from __future__ import annotations

from moneyprinter.publishers import review, submit
from moneyprinter.store import content
from moneyprinter.store.accounts import add_account


def test_pages_of_the_review_queue_are_oldest_first_and_cover_it_once(db, app):
    bob = add_account(db, "x", "bob", approval="manual")
    ids = []
    for n in range(7):
        item = content.create_item(db, bob.id, "post", body=f"post {n}")
        submit(app, item)
        ids.append(item.id)
    seen = []
    for offset in range(0, 9, 3):
        page, total = review.waiting_page(db, limit=3, offset=offset)
        assert total == 7
        seen += [w.item.id for w in page]
    assert seen == ids
    assert review.waiting_page(db, limit=3, offset=7) == ([], 7)
    assert [w.item.id for w in review.waiting_page(db, bob, limit=2, offset=5)[0]] == ids[5:]
