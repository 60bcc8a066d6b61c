"""Schedules, their run history, leases (who runs what) and the scheduler's revision counter."""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(
        conn,
        """
        CREATE TABLE schedules (
            id              INTEGER PRIMARY KEY,
            kind            TEXT NOT NULL,
            target          TEXT NOT NULL,
            trigger         TEXT NOT NULL,
            jitter_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (jitter_minutes >= 0),
            enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            next_planned_at TEXT,
            next_run_at     TEXT,
            last_run_at     TEXT,
            last_outcome    TEXT,
            created_at      TEXT NOT NULL,
            updated_at      TEXT NOT NULL
        );
        CREATE INDEX schedules_due ON schedules (enabled, next_run_at);

        CREATE TABLE schedule_runs (
            id          INTEGER PRIMARY KEY,
            schedule_id INTEGER REFERENCES schedules(id) ON DELETE SET NULL,
            kind        TEXT NOT NULL,
            target      TEXT NOT NULL,
            source      TEXT NOT NULL CHECK (source IN ('daemon', 'cli')),
            planned_at  TEXT,
            started_at  TEXT NOT NULL,
            ended_at    TEXT,
            outcome     TEXT NOT NULL CHECK (outcome IN
                        ('running', 'success', 'failed', 'deferred', 'timed_out', 'skipped_overlap', 'missed')),
            exit_code   INTEGER,
            pid         INTEGER,
            message     TEXT NOT NULL DEFAULT '',
            output_tail TEXT NOT NULL DEFAULT '',
            log_path    TEXT
        );
        CREATE INDEX schedule_runs_started ON schedule_runs (started_at);
        CREATE INDEX schedule_runs_outcome ON schedule_runs (outcome);

        CREATE TABLE scheduler_leases (
            name         TEXT PRIMARY KEY,
            pid          INTEGER NOT NULL,
            host         TEXT NOT NULL,
            run_id       INTEGER,
            acquired_at  TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL
        );

        CREATE TABLE scheduler_state (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO scheduler_state (key, value) VALUES ('revision', '0');
        """
    )
