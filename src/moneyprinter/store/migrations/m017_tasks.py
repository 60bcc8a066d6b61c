"""Background tasks (a Short started from the web app, the REST API or an MCP client) and their events.

A task runs in its own process; ``tasks`` holds where it stands (read by polling), ``task_events``
each stage as it starts and ends (read by the Server-Sent Events stream, after a sequence number).
"""

from moneyprinter.store.migrations import run_script


def up(conn):
    run_script(conn, """
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'done', 'failed', 'interrupted')),
    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    params TEXT NOT NULL DEFAULT '{}',
    stage TEXT NOT NULL DEFAULT '',
    progress REAL NOT NULL DEFAULT 0,
    message TEXT NOT NULL DEFAULT '',
    item_id INTEGER REFERENCES content_items(id) ON DELETE SET NULL,
    error TEXT,
    hint TEXT,
    lock_name TEXT NOT NULL,
    pid INTEGER,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX tasks_status ON tasks (status, id);
CREATE TABLE task_events (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    stage TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (task_id, seq)
);
""")
