"""The REST API under ``/api/v1``: the CLI's operations over the same domain functions, as JSON.

Every route needs ``Authorization: Bearer <token>`` (the web app's access token); errors come back as
JSON with the CLI's one-line message and hint (``errors.py``); OpenAPI docs are at ``/docs``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from moneyprinter.web.api import accounts, health, items, outreach, schedules, shorts
from moneyprinter.web.api.auth import require_token
from moneyprinter.web.api.errors import ApiRoute

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_token)], route_class=ApiRoute)
for _part in (accounts, shorts, items, schedules, outreach, health):
    router.include_router(_part.router)
