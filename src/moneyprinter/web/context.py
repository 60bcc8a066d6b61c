"""One ``App`` per worker thread for every route of the web app: pages, the REST API and MCP over HTTP.

FastAPI runs plain ``def`` endpoints in a pool of worker threads, and a SQLite connection belongs to
the thread that opened it. ``create_app`` keeps one ``ThreadApps`` over the server's ``App``; each
thread's ``App`` shares its configuration and HTTP client (see ``moneyprinter.app.ThreadApps``).
"""

from __future__ import annotations

from starlette.requests import Request

from moneyprinter.app import App


def thread_app(request: Request) -> App:
    """The calling thread's ``App`` for the web application serving ``request``."""
    return request.app.state.thread_apps.get()
