"""contractkit's middleware in front of an app that uses what it validated (``scope["state"]["contract"]``).

The same two endpoints as the bare app, written the way a service behind the middleware is meant to be: the
order handler takes the parsed, validated body from the request's state instead of reading and parsing the body
a second time, and the list handler takes the typed ``limit``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from benchmarks.middleware_apps.common import BASE_PATH, ORDER_ID, contract
from contractkit.middleware import ContractValidationMiddleware


async def create_order(request: Request) -> Response:
    order = request.scope["state"]["contract"].body
    return JSONResponse({"order_id": ORDER_ID, "customer_reference": order.get("customer_reference")}, 201)


async def list_orders(request: Request) -> Response:
    limit = request.scope["state"]["contract"].params["query"].get("limit", 50)
    return JSONResponse({"items": [], "page": {"limit": limit, "has_more": False}})


app = ContractValidationMiddleware(
    Starlette(
        routes=[
            Route(f"{BASE_PATH}/orders", create_order, methods=["POST"]),
            Route(f"{BASE_PATH}/orders", list_orders, methods=["GET"]),
        ]
    ),
    spec=contract(),
)
