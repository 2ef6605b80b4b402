"""The benchmark app (two endpoints of contracts/b2b-orders) and the contract both middlewares enforce."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contractkit.loaders.document import load_document
from contractkit.spec.flatten import inline_external

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "contracts" / "b2b-orders" / "openapi.yaml"
BASE_PATH = "/b2b/v1"

ORDER_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ORDER_BODY: dict[str, Any] = {
    "customer_reference": "PO-88412",
    "currency": "EUR",
    "requested_delivery_date": "2025-04-30",
    "shipping_address": {
        "recipient_name": "Goods receipt, Hall 3",
        "company_name": "Acme Robotics GmbH",
        "line1": "Industriestrasse 12",
        "city": "Stuttgart",
        "postal_code": "70565",
        "country_code": "DE",
    },
    "items": [
        {
            "part_name": "Gripper finger, left",
            "material": "nylon_pa12",
            "process": "sls",
            "quantity": 40,
            "tolerance": {"standard": "iso_2768_m"},
            "finish": "bead_blasted",
        },
        {
            "part_name": "Sensor bracket",
            "material": "aluminum_6061",
            "process": "cnc_milling",
            "quantity": 10,
            "tolerance": {"standard": "custom", "plus_minus": 0.05, "unit": "mm"},
            "finish": "anodized",
            "notes": "Anodize black, no marks on face A.",
        },
    ],
    "metadata": {"erp_order_id": "4500012345"},
}
INVALID_ORDER_BODY: dict[str, Any] = {
    **ORDER_BODY,
    "currency": "euro",
    "items": [{**ORDER_BODY["items"][0], "quantity": 0}],
}
ORDER_JSON = json.dumps(ORDER_BODY, separators=(",", ":"))
INVALID_ORDER_JSON = json.dumps(INVALID_ORDER_BODY, separators=(",", ":"))
POST_HEADERS = {
    "content-type": "application/json",
    "authorization": "Bearer benchmark-token",
    "idempotency-key": "5b3e9f1a-2c4d-4e6f-8a0b-1c2d3e4f5a6b",
}
LIST_QUERY = "status=received,quoted&created_after=2025-03-01T00:00:00Z&limit=20&sort=created_at_desc"
GET_HEADERS = {"authorization": "Bearer benchmark-token"}


def contract() -> dict[str, Any]:
    """b2b-orders with its shared files inlined and its servers made relative (the benchmark runs on 127.0.0.1).

    openapi-core matches the request's whole URL against the servers; an absolute production URL would never
    match a local server, so both middlewares get ``/b2b/v1``.
    """
    data = inline_external(load_document(CONTRACT, root_dir=CONTRACT.parents[1]))
    assert isinstance(data, dict)
    return {**data, "servers": [{"url": BASE_PATH}]}


async def create_order(request: Request) -> Response:
    order = await request.json()
    return JSONResponse({"order_id": ORDER_ID, "customer_reference": order.get("customer_reference")}, 201)


async def list_orders(request: Request) -> Response:
    return JSONResponse({"items": [], "page": {"limit": int(request.query_params.get("limit", 50)), "has_more": False}})


def create_app() -> Starlette:
    """The bare application: two endpoints, JSON in and out."""
    return Starlette(
        routes=[
            Route(f"{BASE_PATH}/orders", create_order, methods=["POST"]),
            Route(f"{BASE_PATH}/orders", list_orders, methods=["GET"]),
        ]
    )
