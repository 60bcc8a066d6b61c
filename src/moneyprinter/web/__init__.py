"""The web face of moneyprinter: the dashboard pages, the REST API under ``/api/v1`` and the public
unsubscribe endpoint, served by FastAPI over the same domain functions as the CLI and the menu."""
