"""The app behind openapi-core's `StarletteOpenAPIMiddleware` (request validation only: ``response_cls=None``)."""

from __future__ import annotations

from openapi_core import OpenAPI
from openapi_core.contrib.starlette.middlewares import StarletteOpenAPIMiddleware
from starlette.middleware import Middleware

from benchmarks.middleware_apps.common import contract, create_app

app = create_app()
app.user_middleware.insert(
    0, Middleware(StarletteOpenAPIMiddleware, openapi=OpenAPI.from_dict(contract()), response_cls=None)
)
