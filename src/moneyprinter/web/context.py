"""One ``App`` per worker thread: SQLite connections belong to the thread that opened them.

FastAPI runs plain ``def`` endpoints in a pool of worker threads. Each thread gets its own ``App``
(sharing the configuration and the HTTP client made at start), so its database connection is opened and used there.
"""

from __future__ import annotations

import threading

from starlette.requests import Request

from moneyprinter.app import App

_local = threading.local()


def thread_app(request: Request) -> App:
    """The calling thread's ``App`` for the web application serving ``request``."""
    base: App = request.app.state.app
    apps: dict[int, App] = _local.__dict__.setdefault("apps", {})
    app = apps.get(id(base))
    if app is None:
        app = apps[id(base)] = App(base.config, http=base.http, log_file=base.log_file)
    return app
