"""Schedules name their account by id, not by nickname; ``last_outcome`` gets its CHECK.

An account job's schedule (youtube.short, twitter.post, affiliate.pitch) gets ``account_id`` and
an empty ``target``; a schedule whose nickname matches no account keeps its text, as before.
The table is rebuilt because SQLite cannot add a CHECK to a column. Dropping the old table would
clear ``schedule_runs.schedule_id`` (ON DELETE SET NULL), so the links are saved and put back.
"""

from moneyprinter.store.migrations import run_script

# The job kinds that run for an account, and the account's platform, as of this migration.
ACCOUNT_KINDS = {"youtube.short": "youtube", "twitter.post": "x", "affiliate.pitch": "x"}
OUTCOMES = "'running', 'success', 'failed', 'deferred', 'timed_out', 'skipped_overlap', 'missed'"


def up(conn):
    conn.execute("CREATE TEMP TABLE m009_kinds (kind TEXT PRIMARY KEY, platform TEXT NOT NULL)")
    conn.executemany("INSERT INTO m009_kinds VALUES (?, ?)", ACCOUNT_KINDS.items())
    run_script(
        conn,
        f"""
        CREATE TEMP TABLE m009_run_links AS
            SELECT id, schedule_id FROM schedule_runs WHERE schedule_id IS NOT NULL;

        CREATE TABLE schedules_new (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,
            target          TEXT NOT NULL,
            account_id      INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
            trigger         TEXT NOT NULL,
            jitter_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (jitter_minutes >= 0),
            enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            next_planned_at TEXT,
            next_run_at     TEXT,
            last_run_at     TEXT,
            last_outcome    TEXT CHECK (last_outcome IN ({OUTCOMES})),
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );

        INSERT INTO schedules_new (id, kind, target, account_id, trigger, jitter_minutes, enabled, next_planned_at,
                                   next_run_at, last_run_at, last_outcome, created_at, updated_at)
        SELECT s.id, s.kind, CASE WHEN a.id IS NULL THEN s.target ELSE '' END, a.id, s.trigger, s.jitter_minutes,
               s.enabled, s.next_planned_at, s.next_run_at, s.last_run_at,
               CASE WHEN s.last_outcome IN ({OUTCOMES}) THEN s.last_outcome END, s.created_at, s.updated_at
        FROM schedules s
        LEFT JOIN m009_kinds k ON k.kind = s.kind
        LEFT JOIN accounts a ON a.platform = k.platform AND a.nickname = s.target COLLATE NOCASE;

        DROP TABLE schedules;
        ALTER TABLE schedules_new RENAME TO schedules;
        CREATE INDEX schedules_due ON schedules (enabled, next_run_at);
        CREATE INDEX schedules_account ON schedules (account_id);

        UPDATE schedule_runs SET schedule_id = (SELECT l.schedule_id FROM m009_run_links l WHERE l.id = schedule_runs.id)
        WHERE id IN (SELECT id FROM m009_run_links);
        DROP TABLE m009_run_links;
        DROP TABLE m009_kinds;
        UPDATE scheduler_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision';
        """,
    )
