"""``/docs``: the OpenAPI documentation page, with Swagger UI served from the installed package (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

STATIC = "/docs/static"

router = APIRouter(include_in_schema=False)
router.routes.append(Mount(STATIC, app=StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui"))


@router.get("/docs")
def docs(request: Request):
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title="moneyprinter API",
        swagger_js_url=f"{STATIC}/swagger-ui-bundle.js", swagger_css_url=f"{STATIC}/swagger-ui.css",
        swagger_favicon_url=f"{STATIC}/favicon-32x32.png",
        swagger_ui_parameters={"persistAuthorization": False, "tryItOutEnabled": True},
    )
