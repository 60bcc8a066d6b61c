"""Migration m014 widens the campaign status CHECK to 'paused' without touching stored rows."""


def test_existing_campaigns_and_sends_survive_and_can_be_paused(home):
    from moneyprinter.store.db import Database, open_database
    from moneyprinter.store.migrations import applied, discover
    from moneyprinter.store.outreach import campaigns as rows
    from moneyprinter.store.states import CampaignStatus

    old = Database(home / "moneyprinter.db")
    applied(old)
    for number, name, module in discover():
        if number < 14:
            with old.transaction() as conn:
                module.up(conn)
                conn.execute("INSERT INTO _migrations VALUES (?, 'test')", (name,))
    stamp = "2026-01-01T00:00:00+00:00"
    with old.transaction() as conn:
        conn.execute("INSERT INTO outreach_campaigns (name, niche, sender_name, sender_email, subject, body_text,"
                     " created_at, updated_at) VALUES ('c', 'dentist', 'Ann', 'a@b.de', 's', 't', ?, ?)", (stamp, stamp))
        conn.execute("INSERT INTO outreach_businesses (name, source, name_key, created_at, updated_at)"
                     " VALUES ('B', 'test', 'b', ?, ?)", (stamp, stamp))
        conn.execute("INSERT INTO outreach_sends (campaign_id, business_id, address, mailbox, status, message_id,"
                     " reserved_at, updated_at) VALUES (1, 1, 'x@y.de', 'a@b.de', 'sent', '<m@b.de>', ?, ?)",
                     (stamp, stamp))
    old.close()
    with open_database(home / "moneyprinter.db") as db:
        rows.set_status(db, 1, CampaignStatus.PAUSED, "5 recipient errors in a row")
        assert rows.get_by_id(db, 1).status == CampaignStatus.PAUSED
        assert db.query_one("SELECT COUNT(*) FROM outreach_sends")[0] == 1
        assert db.query_one("PRAGMA integrity_check")[0] == "ok"
        assert db.query_one("SELECT 1 FROM sqlite_master WHERE name = 'outreach_sends_message_id'")
