"""The MCP server over streamable HTTP at ``/mcp`` of the web app, behind the same Bearer token.

The SDK's session manager runs for the web app's life (this router's lifespan, merged into the
app's by FastAPI); each request is checked for the token, then handed to the manager.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from moneyprinter.mcp_server.server import Server
from moneyprinter.web.token import matches

FAILED_DELAY_S = 0.25


@asynccontextmanager
async def lifespan(web: FastAPI):
    server = Server(web.state.app, web.state.thread_apps)
    server.mcp.streamable_http_app(streamable_http_path="/mcp")  # creates the session manager
    web.state.mcp_server = server
    async with server.mcp.session_manager.run():
        yield


class Endpoint:
    """An ASGI app: refuse a request without the token (after a delay), else serve it over MCP."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        web = scope["app"]
        scheme, _, given = Request(scope).headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not matches(given.strip(), web.state.token):
            await asyncio.sleep(FAILED_DELAY_S)
            line = "error: missing or wrong access token - send 'Authorization: Bearer TOKEN'"
            response = JSONResponse({"error": {"status": 401, "message": "missing or wrong access token",
                                               "line": line}}, 401, headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        server = getattr(web.state, "mcp_server", None)
        if server is None:  # served without the app's lifespan (uvicorn --lifespan off)
            await JSONResponse({"error": {"status": 503, "message": "the MCP session manager is not running",
                                          "hint": "serve the web app with its lifespan on"}}, 503)(scope, receive, send)
            return
        await server.mcp.session_manager.handle_request(scope, receive, send)


router = APIRouter(lifespan=lifespan)
router.routes.append(Route("/mcp", endpoint=Endpoint(), methods=["GET", "POST", "DELETE"]))
