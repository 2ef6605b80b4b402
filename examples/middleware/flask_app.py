"""A Flask service guarded by its contract: `flask --app examples.middleware.flask_app run` from the repo root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request

from contractkit.middleware import ENVIRON_KEY, WSGIContractValidationMiddleware

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "b2b-orders" / "openapi.yaml"

app = Flask(__name__)


@app.get("/b2b/v1/orders")
def list_orders() -> Any:
    query = request.environ[ENVIRON_KEY].params["query"]
    return {"items": [], "page": {"limit": query.get("limit", 50), "has_more": False}}


@app.post("/b2b/v1/orders")
def create_order() -> Any:
    order = request.environ[ENVIRON_KEY].body
    return {"customer_reference": order["customer_reference"]}, 201


app.wsgi_app = WSGIContractValidationMiddleware(app.wsgi_app, spec=CONTRACT)  # type: ignore[method-assign]
