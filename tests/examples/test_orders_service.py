"""The b2b-orders reference service (examples/orders_service): every operation, in process and over HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from examples.orders_service import OrderService, OrderStore, create_app, open_database
from examples.orders_service.models import ModelFile, ModelUpload, Order, OrderPage, OrderStatusTimeline, Problem

from .conftest import REPO, free_port

AUTH = {"Authorization": "Bearer partner-a"}
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
ORDER: dict[str, Any] = {
    "customer_reference": "PO-88412",
    "currency": "EUR",
    "requested_delivery_date": "2025-04-30",
    "shipping_address": {
        "recipient_name": "Goods receipt, Hall 3",
        "line1": "Industriestrasse 12",
        "city": "Stuttgart",
        "postal_code": "70565",
        "country_code": "DE",
    },
    "items": [
        {"part_name": "Gripper finger", "material": "nylon_pa12", "process": "sls", "quantity": 40},
        {
            "part_name": "Sensor bracket",
            "material": "aluminum_6061",
            "process": "cnc_milling",
            "quantity": 10,
            "tolerance": {"standard": "custom", "plus_minus": 0.05, "unit": "mm"},
            "finish": "anodized",
        },
    ],
    "metadata": {"erp_order_id": "4500012345"},
}


class TestClient:
    """A synchronous client over httpx's ASGI transport; leaving the block closes the app's database."""

    __test__ = False

    def __init__(self, app: Any, base_url: str = "http://testserver") -> None:
        self.app = app
        self._runner = asyncio.Runner()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)

    def __enter__(self) -> TestClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._runner.run(self._client.aclose())
        self._runner.close()
        self.app.app.state.service.store.db.close()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._runner.run(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


class Clock:
    """A settable UTC clock (every call advances it by 1 ms, so creation times are distinct)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


class NoObjects:
    """An object store where nothing was uploaded."""

    def head(self, file_id: str, announced_size: int, announced_sha256: str) -> tuple[int, str] | None:
        return None


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(clock: Clock) -> OrderService:
    return OrderService(OrderStore(open_database("sqlite:///:memory:")), clock=clock)


@pytest.fixture
def client(service: OrderService) -> Iterator[TestClient]:
    # enforce: a response that breaks the contract would become a 500 problem, so every test checks conformance too
    app = create_app(service=service, response_validation="enforce")
    with TestClient(app, base_url="https://api.example.com") as test_client:
        yield test_client


def create(client: TestClient, key: str = "key-00000001", body: dict[str, Any] | None = None, **changes: Any) -> Any:
    return client.post("/b2b/v1/orders", json={**(body or ORDER), **changes}, headers={**AUTH, "Idempotency-Key": key})


def problem(response: httpx.Response, status: int) -> Problem:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return Problem.model_validate(response.json())


# -- create, idempotency ------------------------------------------------------------------------------------------
def test_create_order(client: TestClient) -> None:
    response = create(client)
    assert response.status_code == 201, response.text
    order = Order.model_validate(response.json())
    assert (order.status, order.order_number, order.quote, order.cancellation) == (
        "received",
        "ORD-2025-000001",
        None,
        None,
    )
    assert [i.line_number for i in order.items] == [1, 2]
    assert order.items[0].tolerance.standard == "iso_2768_m" and order.items[0].finish == "as_printed"
    assert response.headers["location"] == f"https://api.example.com/b2b/v1/orders/{order.order_id}"
    assert response.headers["idempotent-replayed"] == "false"
    assert {"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"} <= response.headers.keys()
    assert client.get(f"/b2b/v1/orders/{order.order_id}", headers=AUTH).json() == response.json()


@pytest.mark.parametrize(
    ("second_key", "second_body", "status", "replayed"),
    [
        pytest.param("key-00000001", ORDER, 201, "true", id="same-key-same-body-replays"),
        pytest.param("key-00000001", {**ORDER, "notes": "other"}, 409, None, id="same-key-other-body"),
        pytest.param("key-00000002", ORDER, 201, "false", id="new-key-new-order"),
    ],
)
def test_idempotency_key(
    client: TestClient, second_key: str, second_body: dict[str, Any], status: int, replayed: str | None
) -> None:
    first = create(client, "key-00000001")
    second = create(client, second_key, second_body)
    assert second.status_code == status, second.text
    if status == 409:
        assert problem(second, 409).type == "https://problems.example.com/idempotency-key-reused"
        return
    assert second.headers["idempotent-replayed"] == replayed
    same_order = second.json()["order_id"] == first.json()["order_id"]
    assert same_order is (replayed == "true")
    listed = client.get("/b2b/v1/orders", headers=AUTH).json()["items"]
    assert len(listed) == (1 if same_order else 2)


def test_idempotency_keys_are_per_partner(client: TestClient) -> None:
    first = create(client)
    other = client.post(
        "/b2b/v1/orders", json=ORDER, headers={"Authorization": "Bearer partner-b", "Idempotency-Key": "key-00000001"}
    )
    assert other.status_code == 201 and other.headers["idempotent-replayed"] == "false"
    assert other.json()["order_id"] != first.json()["order_id"]


# -- list ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sort", ["created_at_desc", "created_at_asc"])
@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_pagination_walks_every_order_once_in_order(client: TestClient, sort: str, limit: int) -> None:
    created = [create(client, f"key-{n:08d}").json()["order_id"] for n in range(7)]
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": limit, "sort": sort, **({"cursor": cursor} if cursor else {})}
        page = OrderPage.model_validate(client.get("/b2b/v1/orders", params=params, headers=AUTH).json())
        assert page.page.limit == limit and len(page.items) <= limit
        seen += [str(item.order_id) for item in page.items]  # typed: OrderPage.items is list[Order]
        cursor = page.page.next_cursor
        assert page.page.has_more is (cursor is not None)
        if cursor is None:
            break
    assert seen == (created if sort == "created_at_asc" else created[::-1])


def test_list_filters(client: TestClient, service: OrderService, clock: Clock) -> None:
    ids = [create(client, f"key-{n:08d}", customer_reference=f"PO-{n % 2}").json()["order_id"] for n in range(4)]
    client.post(f"/b2b/v1/orders/{ids[0]}/cancel", json={"reason": "duplicate_order"}, headers=AUTH)
    service.advance(ids[1], "quoted")
    moment = client.get(f"/b2b/v1/orders/{ids[2]}", headers=AUTH).json()["created_at"]

    def listed(**query: Any) -> list[str]:
        response = client.get("/b2b/v1/orders", params={"sort": "created_at_asc", **query}, headers=AUTH)
        assert response.status_code == 200, response.text
        return [item["order_id"] for item in response.json()["items"]]

    assert listed(status="cancelled") == [ids[0]]
    assert listed(status="cancelled,quoted") == ids[:2]
    assert listed(customer_reference="PO-1") == [ids[1], ids[3]]
    assert listed(created_after=moment) == ids[2:]
    assert listed(created_before=moment) == ids[:2]
    assert listed(created_after=moment.replace("Z", "-02:00")) == []  # 2 hours later in UTC
    assert listed(created_after=moment.replace("Z", "+02:00")) == ids  # 2 hours earlier
    assert listed(created_before="2000-01-01t00:00:00z") == []


@pytest.mark.parametrize(
    "cursor",
    [pytest.param("not-a-cursor", id="garbage"), pytest.param("eyJrIjpbXX0", id="empty-position")],
)
def test_list_unreadable_cursor_is_400(client: TestClient, cursor: str) -> None:
    found = problem(client.get("/b2b/v1/orders", params={"cursor": cursor}, headers=AUTH), 400)
    assert found.errors and found.errors[0].location == "query.cursor"


def test_the_contracts_example_cursor_is_a_position(client: TestClient) -> None:
    cursor = "eyJrIjpbIjIwMjUtMDMtMTRUMDk6MzA6MDBaIiwiOWIxZiJdfQ"  # {"k": ["2025-03-14T09:30:00Z", "9b1f"]}
    create(client)
    assert (
        len(
            client.get("/b2b/v1/orders", params={"cursor": cursor, "sort": "created_at_asc"}, headers=AUTH).json()[
                "items"
            ]
        )
        == 1
    )
    assert client.get("/b2b/v1/orders", params={"cursor": cursor}, headers=AUTH).json()["items"] == []


# -- get, cancel, timeline ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    ["/b2b/v1/orders/{id}", "/b2b/v1/orders/{id}/status-timeline"],
    ids=["get", "timeline"],
)
@pytest.mark.parametrize("whose", ["unknown", "other-partner"])
def test_not_found(client: TestClient, path: str, whose: str) -> None:
    order_id = create(client).json()["order_id"] if whose == "other-partner" else "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    found = problem(client.get(path.format(id=order_id), headers={"Authorization": "Bearer partner-b"}), 404)
    assert found.type == "https://problems.example.com/not-found" and order_id in (found.detail or "")


@pytest.mark.parametrize(
    ("status_before", "reason", "expected", "problem_type"),
    [
        pytest.param(None, "duplicate_order", 200, None, id="received"),
        pytest.param("in_production", "no_longer_needed", 200, None, id="in-production"),
        pytest.param("cancelled", "other", 200, None, id="already-cancelled-unchanged"),
        pytest.param("shipped", "duplicate_order", 409, "order-not-cancellable", id="shipped"),
        pytest.param("delivered", "duplicate_order", 409, "order-not-cancellable", id="delivered"),
        pytest.param(None, "quote_expired", 403, "cancellation-reason-reserved", id="manufacturer-reason"),
    ],
)
def test_cancel_rules(
    client: TestClient,
    service: OrderService,
    status_before: str | None,
    reason: str,
    expected: int,
    problem_type: str | None,
) -> None:
    order_id = create(client).json()["order_id"]
    for status in {"shipped": ["shipped"], "delivered": ["shipped", "delivered"]}.get(
        status_before or "", [status_before] if status_before else []
    ):
        service.advance(order_id, status)
    before = client.get(f"/b2b/v1/orders/{order_id}", headers=AUTH).json()
    response = client.post(f"/b2b/v1/orders/{order_id}/cancel", json={"reason": reason, "comment": "x"}, headers=AUTH)
    if problem_type:
        assert problem(response, expected).type == f"https://problems.example.com/{problem_type}"
        return
    assert response.status_code == 200, response.text
    order = Order.model_validate(response.json())
    assert order.status == "cancelled" and order.cancellation is not None
    if status_before == "cancelled":
        assert response.json() == before
    else:
        assert (order.cancellation.reason, order.cancellation.cancelled_by) == (reason, "partner")


def test_cancel_unknown_order_is_404(client: TestClient) -> None:
    response = client.post(
        "/b2b/v1/orders/7c9e6679-7425-40de-944b-e07fc1f90ae7/cancel", json={"reason": "other"}, headers=AUTH
    )
    problem(response, 404)


def test_status_timeline(client: TestClient, service: OrderService) -> None:
    order_id = create(client).json()["order_id"]
    service.advance(order_id, "quoted")
    client.post(f"/b2b/v1/orders/{order_id}/cancel", json={"reason": "price_too_high"}, headers=AUTH)
    response = client.get(f"/b2b/v1/orders/{order_id}/status-timeline", headers=AUTH)
    timeline = OrderStatusTimeline.model_validate(response.json())
    assert timeline.current_status == "cancelled"
    assert [(e.status, e.actor.type) for e in timeline.entries] == [
        ("received", "partner"),
        ("quoted", "system"),
        ("cancelled", "partner"),
    ]
    assert [e.entered_at for e in timeline.entries] == sorted(e.entered_at for e in timeline.entries)
    assert len({e.event_id for e in timeline.entries}) == 3


# -- model uploads ------------------------------------------------------------------------------------------------
def upload(client: TestClient, order_id: str, item_id: str, **changes: Any) -> httpx.Response:
    body = {
        "item_id": item_id,
        "file_name": "finger.step",
        "format": "STEP",
        "units": "mm",
        "size_bytes": 1843200,
        "sha256": SHA,
        **changes,
    }
    return client.post(f"/b2b/v1/orders/{order_id}/model-uploads", json=body, headers=AUTH)


def test_upload_and_confirm(client: TestClient) -> None:
    order = create(client).json()
    item_id = order["items"][0]["item_id"]
    reserved = upload(client, order["order_id"], item_id)
    assert reserved.status_code == 201, reserved.text
    slot = ModelUpload.model_validate(reserved.json())
    assert slot.upload_method == "PUT" and str(slot.upload_url).startswith("https://uploads.")
    assert slot.upload_headers["x-amz-checksum-sha256"] == "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg="
    item = client.get(f"/b2b/v1/orders/{order['order_id']}", headers=AUTH).json()["items"][0]
    assert item["model_file"]["status"] == "pending_upload"
    confirm = f"/b2b/v1/orders/{order['order_id']}/model-uploads/{slot.file_id}/confirm"
    first = client.post(confirm, headers=AUTH)
    assert first.status_code == 200, first.text
    assert ModelFile.model_validate(first.json()).status == "processing"
    again = client.post(confirm, headers=AUTH)
    assert again.json() == first.json()


@pytest.mark.parametrize(
    ("setup", "status", "problem_type"),
    [
        pytest.param("unknown-item", 409, "item-not-in-order", id="item-not-in-order"),
        pytest.param("cancelled", 409, "order-not-changeable", id="cancelled-order"),
        pytest.param("in_production", 409, "order-not-changeable", id="in-production"),
        pytest.param("unknown-order", 404, "not-found", id="unknown-order"),
    ],
)
def test_upload_refused(client: TestClient, service: OrderService, setup: str, status: int, problem_type: str) -> None:
    order = create(client).json()
    order_id, item_id = order["order_id"], order["items"][0]["item_id"]
    if setup == "unknown-item":
        item_id = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
    elif setup == "unknown-order":
        order_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    else:
        service.advance(order_id, setup)
    assert problem(upload(client, order_id, item_id), status).type == f"https://problems.example.com/{problem_type}"


@pytest.mark.parametrize(
    ("case", "status", "problem_type"),
    [
        pytest.param("expired", 409, "upload-expired", id="expired"),
        pytest.param("replaced", 409, "upload-replaced", id="replaced-by-a-newer-upload"),
        pytest.param("nothing-uploaded", 422, "upload-not-valid", id="nothing-uploaded"),
        pytest.param("unknown-file", 404, "not-found", id="unknown-file"),
    ],
)
def test_confirm_refused(clock: Clock, case: str, status: int, problem_type: str) -> None:
    objects = NoObjects() if case == "nothing-uploaded" else None
    service = OrderService(OrderStore(open_database(None)), clock=clock, objects=objects)
    with TestClient(create_app(service=service, response_validation="enforce")) as client:
        order = create(client).json()
        file_id = upload(client, order["order_id"], order["items"][0]["item_id"]).json()["file_id"]
        if case == "expired":
            clock.now += timedelta(minutes=16)
        elif case == "replaced":
            upload(client, order["order_id"], order["items"][0]["item_id"])
        elif case == "unknown-file":
            file_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        response = client.post(f"/b2b/v1/orders/{order['order_id']}/model-uploads/{file_id}/confirm", headers=AUTH)
        assert problem(response, status).type == f"https://problems.example.com/{problem_type}"


# -- what the middleware answers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "location"),
    [
        pytest.param("GET", "/b2b/v1/orders", {}, 401, "security", id="no-token"),
        pytest.param(
            "POST",
            "/b2b/v1/orders",
            {"json": ORDER, "headers": {"Idempotency-Key": "key-00000001"}},
            401,
            "security",
            id="no-token-create",
        ),
        pytest.param("GET", "/b2b/v1/orders?limit=0", {"headers": AUTH}, 400, "query.limit", id="limit-0"),
        pytest.param(
            "POST",
            "/b2b/v1/orders",
            {"json": ORDER, "headers": AUTH},
            400,
            "header.idempotency-key",
            id="no-idempotency-key",
        ),
        pytest.param(
            "POST",
            "/b2b/v1/orders",
            {"json": {**ORDER, "items": []}, "headers": {**AUTH, "Idempotency-Key": "key-00000001"}},
            400,
            "body#/items",
            id="no-items",
        ),
        pytest.param("GET", "/b2b/v1/orders/not-a-uuid", {"headers": AUTH}, 400, "path.order_id", id="bad-order-id"),
        pytest.param(
            "POST",
            "/b2b/v1/orders/7c9e6679-7425-40de-944b-e07fc1f90ae7/cancel",
            {"content": b"reason=other", "headers": {**AUTH, "content-type": "text/plain"}},
            415,
            "header.content-type",
            id="undeclared-content-type-is-the-declared-415",
        ),
    ],
)
def test_middleware_rejections(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, location: str
) -> None:
    found = problem(client.request(method, path, **kwargs), status)
    assert found.errors and location in [e.location for e in found.errors]


def test_rate_limit(service: OrderService) -> None:
    with TestClient(create_app(service=service, rate_limit=2)) as client:
        statuses = [client.get("/b2b/v1/orders", headers=AUTH).status_code for _ in range(3)]
        limited = client.get("/b2b/v1/orders", headers=AUTH)
    assert statuses == [200, 200, 429]
    assert problem(limited, 429).type == "https://problems.example.com/rate-limited"
    assert int(limited.headers["retry-after"]) >= 0 and limited.headers["ratelimit-remaining"] == "0"


# -- storage ------------------------------------------------------------------------------------------------------
def test_sqlite_file_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'orders.db'}"
    with TestClient(create_app(url)) as client:
        order_id = create(client).json()["order_id"]
    with TestClient(create_app(url)) as client:
        again = client.get(f"/b2b/v1/orders/{order_id}", headers=AUTH)
        replay = create(client)
        second = create(client, "key-00000002").json()
    assert again.status_code == 200 and again.json()["order_id"] == order_id
    assert replay.headers["idempotent-replayed"] == "true" and replay.json()["order_id"] == order_id
    assert second["order_number"].endswith("-000002")  # the counter survived the restart too


def test_postgresql(postgres_url: str) -> None:
    with TestClient(create_app(postgres_url, response_validation="enforce")) as client:
        key = f"pg-{time.time_ns()}"
        first = create(client, key)
        assert first.status_code == 201, first.text
        order_id = first.json()["order_id"]
        assert create(client, key).headers["idempotent-replayed"] == "true"
        assert create(client, key, notes="other").status_code == 409
        cancel = client.post(f"/b2b/v1/orders/{order_id}/cancel", json={"reason": "other"}, headers=AUTH)
        assert cancel.json()["status"] == "cancelled"
        ids = [create(client, f"{key}-{n}").json()["order_id"] for n in range(3)]
        page = client.get("/b2b/v1/orders", params={"limit": 2}, headers=AUTH).json()
        rest = client.get("/b2b/v1/orders", params={"limit": 2, "cursor": page["page"]["next_cursor"]}, headers=AUTH)
        walked = [o["order_id"] for o in page["items"] + rest.json()["items"]]
        assert walked[:3] == ids[::-1] and order_id in walked
    with TestClient(create_app(postgres_url)) as client:  # a restart sees the same data
        assert client.get(f"/b2b/v1/orders/{order_id}", headers=AUTH).json()["status"] == "cancelled"


# -- the documented start command ---------------------------------------------------------------------------------
def test_served_by_uvicorn(tmp_path: Path) -> None:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "examples.orders_service",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--database-url",
        f"sqlite:///{tmp_path / 'orders.db'}",
    ]
    server = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/b2b/v1/orders", headers=AUTH, timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline, "the service did not start within 20 s"
                time.sleep(0.05)  # polling the port until it answers, not a sleep used as synchronization
        assert response.status_code == 200
        assert response.json() == {"items": [], "page": {"limit": 50, "has_more": False}}
        # The seam models <-> middleware over the wire: `40.0` is an integer to the contract (JSON Schema), so the
        # middleware lets it in, and the generated model behind it takes it too (JsonInt): 201, not a 500.
        body = json.dumps(ORDER).replace('"quantity": 40', '"quantity": 40.0')
        assert body.count('"quantity": 40.0') == 1
        headers = {**AUTH, "Idempotency-Key": "key-integral-1", "Content-Type": "application/json"}
        created = httpx.post(f"http://127.0.0.1:{port}/b2b/v1/orders", content=body, headers=headers, timeout=5)
        assert created.status_code == 201, created.text
        assert created.json()["items"][0]["quantity"] == 40
        assert type(created.json()["items"][0]["quantity"]) is int
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=20)[0].decode()
    assert server.returncode == 0, output
    assert "Traceback" not in output
