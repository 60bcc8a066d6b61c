"""Background tasks: a Short started from the web app, the REST API or an MCP client.

``start_short`` checks the request at once (a bad account or aspect is an error before anything
starts), records a task and runs the Short in a process of its own (``moneyprinter task run ID``),
so the server stays responsive and a server restart does not stop the render. The task's process
writes each stage into the database as it starts and ends; ``get_task`` and ``events`` read it.
A task whose process died is reported ``interrupted``, with the command that resumes its Short.
"""

from __future__ import annotations

from moneyprinter.tasks.control import FINISHED, events, get_task, list_tasks, recent, start_batch, start_short

__all__ = ["FINISHED", "events", "get_task", "list_tasks", "recent", "start_batch", "start_short"]
