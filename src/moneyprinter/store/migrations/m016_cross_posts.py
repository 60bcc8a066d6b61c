"""Cross-post destinations: the accounts every new Short or post of an account also goes to.

One row per (account, destination account), in the order the person gave them. Removing either
account removes the row, so a destination never points at an account that is gone.
"""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE cross_posts (
            account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            destination_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            position       INTEGER NOT NULL,
            PRIMARY KEY (account_id, destination_id),
            CHECK (account_id <> destination_id)
        );
        CREATE INDEX cross_posts_destination ON cross_posts (destination_id);
        """,
    )
