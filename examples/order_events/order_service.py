"""The order service's event side, on aio-pika with contractkit's `ContractClient` (no FastStream).

- `POST /orders` (a small Starlette app) stores an order and publishes `order.created` (`publishOrderCreated`),
  validated and confirmed before the 201 is sent; the request's `traceparent` travels with the event
  (`TraceContextMiddleware`), so the MES's handling of it is in the same trace.
- It consumes `order-service.production-jobs` (`consumeProductionJobEvents`): the first `production.job.started`
  of an order moves it to `in_production`.

Run it: `python -m examples.order_events.order_service --amqp-url amqp://guest:guest@127.0.0.1:5672/ --port 8081`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contractkit.messaging import ContractClient, MessageRefused, PublishFailed, Received, TraceContextMiddleware

from ._models import order_events

MODELS = order_events()
LOGGER = logging.getLogger("orders.events")


@dataclass
class Orders:
    """The orders (in memory) and the traces the consumer saw, for the tests and the curious."""

    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    traces: list[str] = field(default_factory=list)


def create_app(url: str, orders: Orders | None = None) -> tuple[Any, ContractClient, Orders]:
    """Return the ASGI app, its contract client (connected on start-up) and its order store."""
    orders = orders or Orders()
    client = ContractClient(MODELS, url, logger=LOGGER)

    async def on_job_event(received: Received) -> None:
        if received.traceparent:
            orders.traces.append(received.traceparent)
        order = orders.by_id.get(str(received.payload.order_id))
        if order is not None and received.message == "production.job.started" and order["status"] == "received":
            order["status"] = "in_production"

    async def create_order(request: Request) -> JSONResponse:
        body = await request.json()
        order_id = str(uuid.uuid4())
        order = {
            "order_id": order_id,
            "order_number": f"ORD-{dt.date.today().year}-{len(orders.by_id) + 1:06d}",
            "partner_id": body["partner_id"],
            "customer_reference": body["customer_reference"],
            "status": "received",
            "currency": body.get("currency", "EUR"),
            "requested_delivery_date": body.get("requested_delivery_date"),
            "items": [
                {
                    "item_id": str(uuid.uuid4()),
                    "part_name": item["part_name"],
                    "material": item["material"],
                    "process": item["process"],
                    "quantity": item["quantity"],
                    "model_file_id": item.get("model_file_id"),
                }
                for item in body["items"]
            ],
            "created_at": dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z"),
        }
        try:  # a real service publishes from its transactional outbox; this one publishes before answering
            await client.publish("publishOrderCreated", order, correlation_id=order_id)
        except MessageRefused as exc:  # the event would break `order-events`: nothing was published or stored
            errors = [{"location": e.location, "message": e.message} for e in exc.errors]
            return JSONResponse({"title": "order refused", "errors": errors}, status_code=422)
        except PublishFailed as exc:
            return JSONResponse({"title": "order not announced", "detail": exc.detail}, status_code=503)
        orders.by_id[order_id] = order
        return JSONResponse(order, status_code=201)

    async def get_order(request: Request) -> JSONResponse:
        order = orders.by_id.get(request.path_params["order_id"])
        return JSONResponse(order) if order else JSONResponse({"title": "not found"}, status_code=404)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await client.connect()
        await client.consume("consumeProductionJobEvents", on_job_event)
        yield
        await client.close()

    routes = [Route("/orders", create_order, methods=["POST"]), Route("/orders/{order_id}", get_order)]
    app = TraceContextMiddleware(Starlette(routes=routes, lifespan=lifespan))
    return app, client, orders


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and serve until interrupted; returns the exit code."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m examples.order_events.order_service", description=__doc__)
    parser.add_argument("--amqp-url", default="amqp://guest:guest@127.0.0.1:5672/", help="the broker")
    parser.add_argument("--port", type=int, default=8081, help="HTTP port (default 8081)")
    args = parser.parse_args(argv)
    app, _client, _orders = create_app(args.amqp_url)
    uvicorn.run(app, host="127.0.0.1", port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
