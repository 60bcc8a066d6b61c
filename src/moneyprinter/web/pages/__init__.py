"""The dashboard's pages, one module per page; each module's ``router`` is registered in ``web.server``."""

from __future__ import annotations

from fastapi import APIRouter

from moneyprinter.web.auth import protected
from moneyprinter.web.render import PageRoute

PAGE_SIZE = 50


def page_router() -> APIRouter:
    """A router whose every route needs a login (and a CSRF token on POST); pages stay out of /docs."""
    return APIRouter(route_class=PageRoute, dependencies=[protected], include_in_schema=False)


def page_number(value: int | None) -> int:
    return max(1, value or 1)
