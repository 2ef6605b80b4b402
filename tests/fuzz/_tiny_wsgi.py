"""The tiny items service again, as a Flask (WSGI) app: the pytest entry point must fuzz WSGI apps in-process too."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, request


def _json(body: object, status: int) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def create_wsgi_app(defect: str | None = None) -> Flask:
    """Return the items service; ``defect="server-error"`` answers 500 to a price above 100."""
    app = Flask("tiny_items")
    items: dict[int, dict[str, Any]] = {}

    @app.post("/api/v1/items")
    def create_item() -> Response:
        if (request.mimetype or "") != "application/json":
            return _json({"error": "expected application/json"}, 400)
        try:
            body = json.loads(request.get_data())
        except ValueError:
            return _json({"error": "invalid JSON"}, 400)
        if not isinstance(body, dict) or set(body) != {"name", "price"}:
            return _json({"error": "expected exactly name and price"}, 400)
        name, price = body["name"], body["price"]
        if not isinstance(name, str) or not 1 <= len(name) <= 40:
            return _json({"error": "name: 1 to 40 characters"}, 400)
        if isinstance(price, float) and price.is_integer():
            price = int(price)
        if isinstance(price, bool) or not isinstance(price, int) or not 0 <= price <= 100000:
            return _json({"error": "price: an integer from 0 to 100000"}, 400)
        if defect == "server-error" and price > 100:
            return Response("boom", status=500, mimetype="text/plain")
        item_id = len(items) + 1
        items[item_id] = {"id": item_id, "name": name, "price": price}
        return _json(items[item_id], 201)

    @app.get("/api/v1/items/<raw>")
    def get_item(raw: str) -> Response:
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 1000000:
            return _json({"error": "item_id: an integer from 1 to 1000000"}, 400)
        item = items.get(int(raw))
        return _json(item, 200) if item is not None else _json({"error": "no such item"}, 404)

    return app
