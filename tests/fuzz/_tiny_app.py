"""A small, correct service for tests/fuzz/tiny/openapi.yaml, and the defects a test can plant in it."""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DEFECTS = ("server-error", "wrong-type", "undocumented-status")


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(defect: str | None = None) -> Starlette:
    """Return the tiny items service; ``defect`` plants one bug (one of :data:`DEFECTS`)."""
    items: dict[int, dict[str, Any]] = {}

    async def create_item(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _error("expected application/json", 400)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error("invalid JSON", 400)
        if not isinstance(body, dict) or set(body) != {"name", "price"}:
            return _error("expected exactly name and price", 400)
        name, price = body["name"], body["price"]
        if not isinstance(name, str) or not 1 <= len(name) <= 40:
            return _error("name: 1 to 40 characters", 400)
        if isinstance(price, float) and price.is_integer():
            price = int(price)
        if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= 100000:
            return _error("price: an integer from 0 to 100000", 400)
        if defect == "server-error" and price > 100:
            return Response("boom", status_code=500, media_type="text/plain")
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, "name": name, "price": price}
        return JSONResponse(items[item_id], status_code=201)

    async def get_item(request: Request) -> Response:
        raw = request.path_params["item_id"]
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 1000000:
            return _error("item_id: an integer from 1 to 1000000", 400)
        item = items.get(int(raw))
        if item is None:
            if defect == "undocumented-status":
                return _error("gone", 410)
            return _error("no such item", 404)
        if defect == "wrong-type":
            return JSONResponse({**item, "price": str(item["price"])})
        return JSONResponse(item)

    return Starlette(
        routes=[
            Route("/api/v1/items", create_item, methods=["POST"]),
            Route("/api/v1/items/{item_id}", get_item, methods=["GET"]),
        ]
    )
