"""Who runs a schedule: the daemon (default) or cron. The daemon skips cron-managed schedules."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        ALTER TABLE schedules ADD COLUMN managed_by TEXT NOT NULL DEFAULT 'daemon'
            CHECK (managed_by IN ('daemon', 'cron'));
        UPDATE scheduler_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
        """,
    )
