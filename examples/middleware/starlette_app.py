"""A Starlette service guarded by its contract: `uvicorn examples.middleware.starlette_app:app` from the repo root.

Try: curl -i localhost:8000/b2b/v1/orders?limit=0 -H 'authorization: Bearer x'   -> 400 problem+json
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contractkit.middleware import ContractValidationMiddleware

CONTRACT = Path(__file__).resolve().parents[2] / "contracts" / "b2b-orders" / "openapi.yaml"


async def list_orders(request: Request) -> JSONResponse:
    query = request.state.contract.params["query"]  # typed by the middleware: limit is an int, status a list
    return JSONResponse({"items": [], "page": {"limit": query.get("limit", 50), "has_more": False}})


async def create_order(request: Request) -> JSONResponse:
    order = request.state.contract.body  # the parsed, validated JSON body: no second parse
    return JSONResponse({"customer_reference": order["customer_reference"]}, status_code=201)


app = ContractValidationMiddleware(
    Starlette(
        routes=[
            Route("/b2b/v1/orders", list_orders, methods=["GET"]),
            Route("/b2b/v1/orders", create_order, methods=["POST"]),
        ]
    ),
    spec=CONTRACT,
    response_validation="report",
)
