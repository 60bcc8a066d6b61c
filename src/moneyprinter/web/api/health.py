"""/api/v1/health: every check with its fix (``moneyprinter health --json``)."""

from __future__ import annotations

from fastapi import Request

from moneyprinter.web.api.deps import api_router, current_app
from moneyprinter.web.api.models import HealthOut

router = api_router("health")


@router.get("/health", response_model=HealthOut, summary="Run the health checks")
def health(request: Request):
    from moneyprinter.health.checker import run_health

    return run_health(current_app(request)).to_json()
