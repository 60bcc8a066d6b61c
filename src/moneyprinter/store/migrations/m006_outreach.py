"""Outreach: campaigns, businesses, found emails, the suppression list and the send ledger."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE outreach_campaigns (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL UNIQUE,
            niche           TEXT NOT NULL,
            location        TEXT NOT NULL DEFAULT '',
            sender_name     TEXT NOT NULL,
            sender_email    TEXT NOT NULL,
            postal_address  TEXT NOT NULL DEFAULT '',
            subject         TEXT NOT NULL,
            body_text       TEXT NOT NULL,
            body_html       TEXT NOT NULL DEFAULT '',
            auto_send       INTEGER NOT NULL DEFAULT 0,
            status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'stopped')),
            stop_reason     TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );

        CREATE TABLE outreach_businesses (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL,
            address         TEXT NOT NULL DEFAULT '',
            city            TEXT NOT NULL DEFAULT '',
            phone           TEXT NOT NULL DEFAULT '',
            website         TEXT NOT NULL DEFAULT '',
            category        TEXT NOT NULL DEFAULT '',
            source          TEXT NOT NULL,
            domain_key      TEXT,
            phone_key       TEXT,
            name_key        TEXT NOT NULL,
            emails_checked_at TEXT,
            emails_note     TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE UNIQUE INDEX outreach_businesses_domain ON outreach_businesses (domain_key) WHERE domain_key IS NOT NULL;
        CREATE INDEX outreach_businesses_phone ON outreach_businesses (phone_key);
        CREATE INDEX outreach_businesses_name ON outreach_businesses (name_key);

        CREATE TABLE outreach_campaign_businesses (
            campaign_id     INTEGER NOT NULL REFERENCES outreach_campaigns(id) ON DELETE CASCADE,
            business_id     INTEGER NOT NULL REFERENCES outreach_businesses(id) ON DELETE CASCADE,
            added_at        TEXT NOT NULL,
            PRIMARY KEY (campaign_id, business_id)
        );

        CREATE TABLE outreach_emails (
            id              INTEGER PRIMARY KEY,
            business_id     INTEGER NOT NULL REFERENCES outreach_businesses(id) ON DELETE CASCADE,
            address         TEXT NOT NULL,
            source_url      TEXT NOT NULL,
            method          TEXT NOT NULL,
            own_domain      INTEGER NOT NULL DEFAULT 0,
            mx_ok           INTEGER,
            found_at        TEXT NOT NULL,
            UNIQUE (business_id, address)
        );

        CREATE TABLE outreach_suppressions (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL CHECK (kind IN ('address', 'domain')),
            value           TEXT NOT NULL,
            reason          TEXT NOT NULL DEFAULT '',
            created_at      TEXT NOT NULL,
            UNIQUE (kind, value)
        );

        CREATE TABLE outreach_sends (
            id              INTEGER PRIMARY KEY,
            campaign_id     INTEGER NOT NULL REFERENCES outreach_campaigns(id) ON DELETE CASCADE,
            business_id     INTEGER NOT NULL REFERENCES outreach_businesses(id) ON DELETE CASCADE,
            address         TEXT NOT NULL,
            mailbox         TEXT NOT NULL,
            status          TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'deferred', 'failed')),
            message_id      TEXT NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            retry_after     TEXT,
            error           TEXT,
            reserved_at     TEXT NOT NULL,
            sent_at         TEXT,
            updated_at      TEXT NOT NULL,
            UNIQUE (campaign_id, address)
        );
        CREATE INDEX outreach_sends_mailbox ON outreach_sends (mailbox, reserved_at);
        CREATE INDEX outreach_sends_address ON outreach_sends (address, status);
        """
    )
