"""What every route needs: an ``App`` for the worker thread it runs on, and pagination."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from moneyprinter.web.api.errors import ERROR_RESPONSES, ApiRoute, RedactedJSONResponse
from moneyprinter.web.context import thread_app

if TYPE_CHECKING:
    from moneyprinter.app import App

T = TypeVar("T")
MAX_LIMIT = 500


def api_router(tag: str | None) -> APIRouter:
    """A router whose errors are JSON (``ApiRoute``) and answers masked; ``tag`` groups it in /docs."""
    return APIRouter(tags=[tag] if tag else [], route_class=ApiRoute, responses=ERROR_RESPONSES,
                     default_response_class=RedactedJSONResponse)


def current_app(request: Request) -> App:
    """This thread's ``App`` (sync routes run on a pool of worker threads): the one the pages use."""
    return thread_app(request)


class PageParams:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many")] = 50,
                 offset: Annotated[int, Query(ge=0, description="Skip this many (newest first)")] = 0) -> None:
        self.limit, self.offset = limit, offset


Paging = Annotated[PageParams, Depends()]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int | None = None  # None where counting would cost a scan (the next link still says if more exist)
    limit: int
    offset: int
    next: str | None = None


def page(request: Request, items: list, paging: PageParams, total: int | None, *, more: bool | None = None) -> dict:
    """A page with the link to the next one, when there is one."""
    more = (paging.offset + len(items) < total) if total is not None else bool(more)
    following = None
    if more:
        url = request.url.include_query_params(offset=paging.offset + paging.limit, limit=paging.limit)
        following = f"{url.path}?{url.query}"  # relative: the Host header is not trusted for links
    return {"items": items, "total": total, "limit": paging.limit, "offset": paging.offset, "next": following}
