"""Builds the FastAPI application: one ``App`` (config, database, HTTP client) and every registered router.

Routers register in ``ROUTERS`` (the project's one registry mechanism) as lazy ``"module:router"``
paths; ``PUBLIC`` lists the ones served by ``moneyprinter web --public-unsubscribe-only``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from moneyprinter.app import ThreadApps
from moneyprinter.registry import Registry
from moneyprinter.web.security import install as install_security
from moneyprinter.web.token import load_or_create

if TYPE_CHECKING:
    from moneyprinter.app import App

ROUTERS: Registry[APIRouter] = Registry("web router", expected=APIRouter, subclass=False)
PUBLIC: set[str] = set()
ROUTERS.register("api", "moneyprinter.web.api:router")
ROUTERS.register("mcp", "moneyprinter.mcp_server.http:router")  # MCP over streamable HTTP, same token
ROUTERS.register("docs", "moneyprinter.web.api.docs:router")

# The pages (each behind the login) and the public one-click unsubscribe endpoint.
ROUTERS.register("auth", "moneyprinter.web.auth:router")
ROUTERS.register("media", "moneyprinter.web.media:router")
ROUTERS.register("groups", "moneyprinter.web.pages.groups:router")  # before accounts: /accounts/groups is no account id
for _page in ("dashboard", "review", "history", "accounts", "schedules", "publications", "outreach", "health", "make",
              "drafts"):
    ROUTERS.register(_page, f"moneyprinter.web.pages.{_page}:router")
ROUTERS.register("unsubscribe", "moneyprinter.web.unsubscribe:router")
PUBLIC.add("unsubscribe")


def create_app(app: App, *, public_only: bool = False) -> FastAPI:
    """The web application over ``app``; ``public_only`` serves only the public routers (unsubscribe)."""
    web = FastAPI(title="moneyprinter", docs_url=None,  # /docs is the "docs" router: Swagger UI without a CDN
                  redoc_url=None, openapi_url=None if public_only else "/openapi.json")
    web.state.app = app
    web.state.thread_apps = ThreadApps(app)  # each worker thread's App: pages, API and MCP share it
    web.state.token, web.state.token_created = load_or_create(app.data_dir)
    install_security(web)
    for name, router in ROUTERS.items():
        if public_only and name not in PUBLIC:
            continue
        web.include_router(router)
    return web
