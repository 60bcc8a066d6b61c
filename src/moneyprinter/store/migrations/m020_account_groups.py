"""Named groups of accounts: every member's new Short or post also goes to the group's destinations.

A group has members (the accounts whose content it spreads) and destinations (the accounts it goes
to), each in the order the person gave them. Removing an account removes it from every group;
removing a group removes its rows.
"""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE account_groups (
            id         INTEGER PRIMARY KEY,
            name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE account_group_members (
            group_id   INTEGER NOT NULL REFERENCES account_groups(id) ON DELETE CASCADE,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            PRIMARY KEY (group_id, account_id)
        );
        CREATE INDEX account_group_members_account ON account_group_members (account_id);
        CREATE TABLE account_group_destinations (
            group_id       INTEGER NOT NULL REFERENCES account_groups(id) ON DELETE CASCADE,
            destination_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            position       INTEGER NOT NULL,
            PRIMARY KEY (group_id, destination_id)
        );
        CREATE INDEX account_group_destinations_destination ON account_group_destinations (destination_id);
        """,
    )
