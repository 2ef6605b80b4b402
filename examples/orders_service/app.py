"""The HTTP side: Starlette routes under the contract's base path, behind the contract validation middleware.

`create_app()` is the factory (`uvicorn examples.orders_service.app:create_app --factory`). The middleware has
already checked every request against the contract (401 without a bearer token, 400 with every error otherwise),
so a handler reads the typed values from `request.state.contract` and calls the :class:`OrderService`. Handlers
are plain functions: Starlette runs them in its thread pool, so a blocking database call never stalls the loop.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from contractkit.middleware import ContractValidationMiddleware

from .models import contract_package
from .problems import PROBLEM_JSON, ApiProblem, json_bytes, uri_reference
from .service import OrderService, parse_instant, stamp
from .storage import OrderFilter, OrderStore, open_database

BASE = "/b2b/v1"
logger = logging.getLogger("orders_service")
Handler = Callable[[Request], Response]


class ContractJSON(JSONResponse):
    """A JSON response encoded as ASCII (values echoed from the request may hold lone surrogates)."""

    def render(self, content: Any) -> bytes:
        """Encode the body."""
        return json_bytes(content)


class RateLimiter:
    """A fixed window per partner: `limit` requests per `window` seconds (the `RateLimit-*` headers)."""

    def __init__(self, limit: int, window: int = 60) -> None:
        """Allow `limit` requests per `window` seconds and partner."""
        self.limit, self.window = limit, window
        self._counts: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, partner: str) -> tuple[dict[str, str], bool]:
        """Count one request; return the headers to send and whether the request is over the limit."""
        now = int(time.time())
        start = now - now % self.window
        with self._lock:
            began, used = self._counts.get(partner, (start, 0))
            used = used + 1 if began == start else 1
            self._counts[partner] = (start, used)
        reset = start + self.window - now
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.limit - used, 0)),
            "RateLimit-Reset": str(reset),
        }
        return headers, used > self.limit


def partner_of(request: Request) -> str:
    """Return the partner a request acts for.

    Any well-formed bearer token is accepted (this service has no authorization server): the token itself names
    the partner, so two tokens see two separate sets of orders. The middleware has already answered 401 to a
    request without one.
    """
    token = request.headers.get("authorization", "").partition(" ")[2].strip()
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def problem_response(problem: ApiProblem, request: Request, headers: dict[str, str]) -> Response:
    """Render a refusal as `application/problem+json`."""
    body = problem.to_model(instance=uri_reference(request.url.path)).model_dump(mode="json", exclude_none=True)
    return ContractJSON(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)


def endpoint(service: OrderService, limiter: RateLimiter, handle: Callable[..., Response]) -> Handler:
    """Wrap a handler: partner, rate limit, typed parameters, `ApiProblem` -> problem response, rate-limit headers."""

    def run(request: Request) -> Response:
        partner = partner_of(request)
        headers, over = limiter.hit(partner)
        if over:
            retry = {"Retry-After": headers["RateLimit-Reset"], **headers}
            limited = ApiProblem(
                429,
                "rate-limited",
                "Too many requests.",
                f"The limit of {limiter.limit} requests per {limiter.window} s is exhausted.",
            )
            return problem_response(limited, request, retry)
        contract = request.state.contract
        try:
            response = handle(service, request, partner, contract.params, contract.body)
        except ApiProblem as problem:
            return problem_response(problem, request, headers)
        response.headers.update(headers)
        return response

    return run


def internal_error(request: Request, exc: Exception) -> Response:
    """Answer an unexpected failure with the contract's 500 problem (the traceback goes to the log)."""
    incident = f"urn:uuid:{uuid.uuid4()}"
    logger.error("unexpected failure %s on %s %s", incident, request.method, request.url.path, exc_info=exc)
    body = {"type": "about:blank", "title": "Internal Server Error", "status": 500, "instance": incident}
    return ContractJSON(body, status_code=500, media_type=PROBLEM_JSON)


def create_order(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`POST /orders`: create (or replay) an order."""
    created = service.create_order(partner, params["header"]["idempotency-key"], body)
    location = str(request.url.replace(path=f"{BASE}/orders/{created.order['order_id']}", query=""))
    headers = {"Location": location, "Idempotent-Replayed": "true" if created.replayed else "false"}
    return ContractJSON(created.order, status_code=201, headers=headers)


def list_orders(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`GET /orders`: one page of the partner's orders."""
    query = params["query"]
    after, before = query.get("created_after"), query.get("created_before")
    where = OrderFilter(
        statuses=tuple(query.get("status") or ()),
        created_after=stamp(parse_instant(after)) if after is not None else None,
        created_before=stamp(parse_instant(before)) if before is not None else None,
        customer_reference=query.get("customer_reference"),
        ascending=query.get("sort") == "created_at_asc",
    )
    return ContractJSON(service.list_orders(partner, where, int(query.get("limit", 50)), query.get("cursor")))


def get_order(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`GET /orders/{order_id}`."""
    return ContractJSON(service.get_order(partner, params["path"]["order_id"]))


def cancel_order(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`POST /orders/{order_id}/cancel`."""
    return ContractJSON(service.cancel_order(partner, params["path"]["order_id"], body))


def get_timeline(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`GET /orders/{order_id}/status-timeline`."""
    return ContractJSON(service.timeline(partner, params["path"]["order_id"]))


def create_upload(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`POST /orders/{order_id}/model-uploads`."""
    return ContractJSON(service.create_upload(partner, params["path"]["order_id"], body), status_code=201)


def confirm_upload(service: OrderService, request: Request, partner: str, params: Any, body: Any) -> Response:
    """`POST /orders/{order_id}/model-uploads/{file_id}/confirm`."""
    path = params["path"]
    return ContractJSON(service.confirm_upload(partner, path["order_id"], path["file_id"]))


def create_app(
    database_url: str | None = None,
    *,
    rate_limit: int | None = None,
    response_validation: str = "off",
    metrics: Any = False,
    service: OrderService | None = None,
) -> ContractValidationMiddleware:
    """Build the service: storage, routes, and the contract validation middleware in front.

    Args:
        database_url: `sqlite:///path.db`, `sqlite:///:memory:` or `postgresql://...`; default: the environment
            variable `ORDERS_DATABASE_URL`, else a private in-memory SQLite database.
        rate_limit: requests per minute and partner (default: `ORDERS_RATE_LIMIT`, else 6000).
        response_validation: the middleware's `"off"`, `"report"` or `"enforce"` (tests use `"enforce"`).
        metrics: the middleware's Prometheus registry (`False`: none; `None`: the default registry).
        service: a ready service (tests inject a clock or an object store); `database_url` is then unused.

    Returns:
        The ASGI app; `app.state`-like access to the service is `app.app.state.service`.
    """
    if service is None:
        url = database_url or os.environ.get("ORDERS_DATABASE_URL")
        service = OrderService(OrderStore(open_database(url)))
    limiter = RateLimiter(rate_limit or int(os.environ.get("ORDERS_RATE_LIMIT", "6000")))
    routes = [
        Route(f"{BASE}/orders", endpoint(service, limiter, create_order), methods=["POST"]),
        Route(f"{BASE}/orders", endpoint(service, limiter, list_orders), methods=["GET"]),
        Route(f"{BASE}/orders/{{order_id}}", endpoint(service, limiter, get_order), methods=["GET"]),
        Route(f"{BASE}/orders/{{order_id}}/cancel", endpoint(service, limiter, cancel_order), methods=["POST"]),
        Route(f"{BASE}/orders/{{order_id}}/status-timeline", endpoint(service, limiter, get_timeline), methods=["GET"]),
        Route(f"{BASE}/orders/{{order_id}}/model-uploads", endpoint(service, limiter, create_upload), methods=["POST"]),
        Route(
            f"{BASE}/orders/{{order_id}}/model-uploads/{{file_id}}/confirm",
            endpoint(service, limiter, confirm_upload),
            methods=["POST"],
        ),
    ]
    store = service.store

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        store.db.close()

    inner = Starlette(routes=routes, lifespan=lifespan, exception_handlers={Exception: internal_error})
    inner.state.service = service
    return ContractValidationMiddleware(
        inner,
        spec=contract_package,
        response_validation=response_validation,  # type: ignore[arg-type]
        metrics=metrics,
    )
