"""The ASGI middleware through a real (tiny) ASGI app: verdicts, body replay, limits, hooks, observability."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry

from contractkit.errors import ContractInvalid, UsageError
from contractkit.middleware import ContractValidationMiddleware, ErrorResponse
from contractkit.runtime import ValidationResult

from ._specs import pet_spec

pytestmark = pytest.mark.anyio
KEY = {"x-api-key": "k"}
GOOD = {"sku": "abc", "quantity": 2}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class App:
    """An ASGI app that records what it received and answers with a configurable JSON response."""

    def __init__(self, status: int = 201, payload: Any = None, chunks: int = 1) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status, self.payload, self.chunks = status, payload, chunks

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        self.calls.append({"body": body, "state": scope.get("state", {}).get("contract")})
        data = json.dumps(
            self.payload if self.payload is not None else {**GOOD, "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
        ).encode()
        await send(
            {"type": "http.response.start", "status": self.status, "headers": [(b"content-type", b"application/json")]}
        )
        if self.chunks == 1:
            await send({"type": "http.response.body", "body": data})
        else:
            await send({"type": "http.response.body", "body": data[:5], "more_body": True})
            await send({"type": "http.response.body", "body": data[5:]})


def client(app: Any, version: str = "3.1", **options: Any) -> tuple[httpx.AsyncClient, Any]:
    options.setdefault("metrics", False)
    middleware = ContractValidationMiddleware(app, spec=pet_spec(version), **options)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=middleware), base_url="http://test"), middleware


CASES = [
    pytest.param("POST", "/v1/orders", KEY, GOOD, 201, True, id="valid"),
    pytest.param("POST", "/v1/orders", KEY, {"sku": "a"}, 400, False, id="invalid-body"),
    pytest.param("POST", "/v1/orders", {}, GOOD, 401, False, id="no-credential"),
    pytest.param("GET", "/v1/nowhere", {}, None, 404, False, id="unknown-path"),
    pytest.param("PUT", "/v1/orders", KEY, GOOD, 405, False, id="undeclared-method"),
]


@pytest.mark.parametrize("version", ["3.1", "3.0"])
@pytest.mark.parametrize(("method", "path", "headers", "data", "status", "called"), CASES)
async def test_verdicts(
    version: str, method: str, path: str, headers: dict[str, str], data: Any, status: int, called: bool
) -> None:
    app = App()
    http, _ = client(app, version)
    async with http:
        response = await http.request(method, path, headers=headers, json=data)
    assert response.status_code == status
    assert bool(app.calls) is called
    if not called:
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["title"] and problem["instance"] == path
        assert all(set(e) == {"location", "message"} for e in problem["errors"])


async def test_problem_lists_every_error_and_405_has_allow() -> None:
    http, _ = client(App())
    async with http:
        bad = await http.post("/v1/orders", headers=KEY, json={"sku": "a", "quantity": 0})
        allow = await http.patch("/v1/orders/3fa85f64-5717-4562-b3fc-2c963f66afa6")
        anon = await http.get("/v1/orders")
    assert sorted(e["location"] for e in bad.json()["errors"]) == ["body#/quantity", "body#/sku"]
    assert allow.headers["allow"] == "GET, HEAD, DELETE"
    assert anon.headers["www-authenticate"] == "Bearer"


async def test_body_is_replayed_and_typed_values_reach_the_app() -> None:
    app = App()
    http, _ = client(app)
    async with http:
        response = await http.post("/v1/orders?api_key=1", headers=KEY, json=GOOD)
    assert response.status_code == 201
    assert json.loads(app.calls[0]["body"]) == GOOD
    state = app.calls[0]["state"]
    assert isinstance(state, ValidationResult)
    assert (state.operation, state.body) == ("POST /orders", GOOD)


async def test_query_values_are_typed_for_the_app() -> None:
    app = App(status=200, payload={"items": []})
    http, _ = client(app)
    async with http:
        await http.get("/v1/orders", params={"limit": "7", "tag": ["1", "2"]}, headers={"authorization": "Bearer x"})
    assert app.calls[0]["state"].params["query"] == {"limit": 7, "tag": [1, 2]}


async def test_non_utf8_body_is_a_400_not_a_500() -> None:
    app = App()
    http, _ = client(app)
    async with http:
        response = await http.post(
            "/v1/orders", headers={**KEY, "content-type": "application/json"}, content=b"\xff\xfe{"
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"] == "body#"
    assert not app.calls


async def test_lone_surrogate_is_a_400_not_passed_through() -> None:
    # jsonschema-rs cannot take a string with a lone surrogate (it raises UnicodeEncodeError): the middleware must
    # answer 400 itself instead of failing open and handing the request to the app.
    app = App()
    http, _ = client(app)
    async with http:
        content = rb'{"sku": "\ud800", "quantity": 2}'
        response = await http.post("/v1/orders", headers={**KEY, "content-type": "application/json"}, content=content)
    assert response.status_code == 400
    assert response.json()["errors"][0]["location"] == "body#/sku"
    assert not app.calls


async def test_body_over_the_limit_by_content_length() -> None:
    app = App()
    http, _ = client(app, max_body_bytes=10)
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == 413
    assert not app.calls


async def test_body_over_the_limit_is_not_read_further() -> None:
    app = App()
    middleware = ContractValidationMiddleware(app, spec=pet_spec("3.1"), max_body_bytes=10, metrics=False)
    chunks = [b"0123456", b"789abc", b"never-read", b"never-read"]
    received: list[int] = []
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        return {"type": "http.request", "body": chunks[len(received) - 1], "more_body": len(received) < 4}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/orders",
        "query_string": b"",
        "headers": [(b"x-api-key", b"k"), (b"content-type", b"application/json")],
    }
    await middleware(scope, receive, send)
    assert sent[0]["status"] == 413
    assert len(received) == 2
    assert not app.calls


@pytest.mark.parametrize(
    ("option", "method", "path", "status"),
    [
        pytest.param("unknown_path", "GET", "/v1/nowhere", 201, id="unknown-path"),
        pytest.param("undeclared_method", "PUT", "/v1/orders", 201, id="undeclared-method"),
    ],
)
async def test_pass_options(option: str, method: str, path: str, status: int) -> None:
    app = App()
    http, _ = client(app, **{option: "pass"})
    async with http:
        response = await http.request(method, path)
    assert response.status_code == status
    assert app.calls[0]["state"] is None


async def test_secrets_are_never_echoed() -> None:
    http, _ = client(App())
    async with http:
        response = await http.get(
            "/v1/orders", headers={"authorization": "Bearer TOPSECRET", "cookie": "session=SECRETX"}
        )
    assert response.status_code == 400
    assert "TOPSECRET" not in response.text and "SECRETX" not in response.text


async def test_error_renderer_hook() -> None:
    def render(result: ValidationResult, path: str) -> ErrorResponse:
        return ErrorResponse(422, [("content-type", "text/plain")], f"{path}: {len(result.errors)}".encode())

    http, _ = client(App(), error_renderer=render)
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json={"sku": "a"})
    assert (response.status_code, response.text) == (422, "/v1/orders: 2")


@pytest.mark.parametrize(
    ("mode", "payload", "chunks", "status", "logged"),
    [
        pytest.param("report", {"sku": "abc"}, 1, 201, True, id="report-invalid"),
        pytest.param("report", {"sku": "abc"}, 2, 201, False, id="report-streaming-untouched"),
        pytest.param("enforce", {"sku": "abc"}, 1, 500, True, id="enforce-invalid"),
        pytest.param("enforce", {"sku": "abc"}, 2, 500, True, id="enforce-streaming"),
        pytest.param("enforce", None, 2, 201, False, id="enforce-valid"),
        pytest.param("off", {"sku": "abc"}, 1, 201, False, id="off"),
    ],
)
async def test_response_validation(
    mode: str, payload: Any, chunks: int, status: int, logged: bool, caplog: pytest.LogCaptureFixture
) -> None:
    http, _ = client(App(payload=payload, chunks=chunks), response_validation=mode)
    with caplog.at_level(logging.WARNING, logger="contractkit.runtime"):
        async with http:
            response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == status
    assert any("does not match the contract" in r.getMessage() for r in caplog.records) is logged
    if status == 500:
        assert response.json()["errors"][0]["location"].startswith("response.body")


async def test_metrics_and_structured_logs(caplog: pytest.LogCaptureFixture) -> None:
    registry = CollectorRegistry()
    http, _ = client(App(), metrics=registry)
    with caplog.at_level(logging.INFO, logger="contractkit.runtime"):
        async with http:
            await http.post(
                "/v1/orders",
                headers={**KEY, "x-request-id": "req-1", "traceparent": "00-abc-def-01"},
                json={"sku": "a", "items": [1]},
            )
            await http.post("/v1/orders", headers=KEY, json=GOOD)
    labels = {"contract": "shop", "operation": "POST /orders", "location": "body"}
    assert registry.get_sample_value("contractkit_requests_rejected_total", labels) == 1
    assert registry.get_sample_value("contractkit_validation_seconds_count", {"contract": "shop"}) == 2
    record = next(r for r in caplog.records if "rejected" in r.getMessage())
    assert (record.request_id, record.traceparent, record.status) == ("req-1", "00-abc-def-01", 400)  # type: ignore[attr-defined]


async def test_span_event_on_rejection() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    http, _ = client(App())
    async with http:
        with tracer.start_as_current_span("request"):
            await http.post("/v1/orders", headers=KEY, json={"sku": "a"})
    events = [e for span in exporter.get_finished_spans() for e in span.events]
    assert [e.name for e in events] == ["contractkit.request.rejected"]
    assert events[0].attributes is not None and events[0].attributes["http.response.status_code"] == 400


async def test_a_validator_bug_passes_the_request_through_only_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    app = App()
    registry = CollectorRegistry()
    http, middleware = client(app, on_error="pass", metrics=registry)

    def broken(*args: Any) -> Any:
        raise RuntimeError("bug")

    middleware.validator.inspect = broken
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == 201
    assert app.calls and json.loads(app.calls[0]["body"]) == GOOD
    (record,) = [r for r in caplog.records if "contractkit bug" in r.getMessage()]
    assert record.levelno == logging.WARNING and "UNVALIDATED" in record.getMessage()
    assert (
        registry.get_sample_value("contractkit_internal_errors_total", {"contract": "shop", "outcome": "passed"}) == 1
    )


async def test_a_validator_bug_is_a_500_by_default(caplog: pytest.LogCaptureFixture) -> None:
    app = App()
    http, middleware = client(app)
    middleware.validator.inspect = lambda *args: 1 / 0
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == 500
    assert not app.calls
    problem = response.json()
    assert problem["detail"].startswith("contractkit could not validate this request (an internal error")
    assert "response" not in problem["detail"]
    assert any(r.levelno == logging.ERROR and "contractkit bug" in r.getMessage() for r in caplog.records)


async def test_non_http_scopes_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    middleware = ContractValidationMiddleware(app, spec=pet_spec("3.1"), metrics=False)
    await middleware({"type": "lifespan"}, None, None)  # type: ignore[arg-type]
    assert seen == ["lifespan"]


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"unknown_path": "allow"}, id="unknown-path"),
        pytest.param({"response_validation": "on"}, id="response-validation"),
        pytest.param({"max_body_bytes": -1}, id="max-body"),
    ],
)
def test_bad_options_are_usage_errors(options: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        ContractValidationMiddleware(App(), spec=pet_spec("3.1"), **options)


async def test_under_starlette() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def create(request: Request) -> JSONResponse:
        contract = request.state.contract
        return JSONResponse({"op": contract.operation, "body": await request.json()}, status_code=201)

    app = Starlette(routes=[Route("/v1/orders", create, methods=["POST"])])
    http, _ = client(app)
    async with http:
        ok = await http.post("/v1/orders", headers=KEY, json=GOOD)
        bad = await http.post("/v1/orders", headers=KEY, json={})
    assert ok.json() == {"op": "POST /orders", "body": GOOD}
    assert bad.status_code == 400


async def test_a_failing_error_renderer_still_rejects(caplog: pytest.LogCaptureFixture) -> None:
    """A custom renderer that raises must not turn a rejection into a pass (even with on_error="pass")."""
    app = App()

    def broken(result: ValidationResult, path: str) -> ErrorResponse:
        raise RuntimeError("renderer bug")

    http, _ = client(app, on_error="pass", error_renderer=broken)
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json={"sku": "a"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert not app.calls
    assert any("error_renderer failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("mode", "status"), [("enforce", 500), ("report", 201)])
async def test_a_response_check_that_fails_inside_contractkit(mode: str, status: int) -> None:
    """Under enforce a response that could not be checked is not sent: it becomes a 500 problem (fail closed)."""
    http, middleware = client(App(), response_validation=mode)

    def broken(*args: Any) -> Any:
        raise RuntimeError("response-check bug")

    middleware.validator.validate_response = broken
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == status
    if status == 500:
        assert response.json()["errors"][0]["location"] == "response"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param("[" * 300 + "]" * 300, id="deep-response"),
        pytest.param('{"sku": "abc", "quantity": 1' + "0" * 298 + "e99}", id="number-beyond-float-range"),
    ],
)
async def test_an_unjudgeable_response_is_not_sent_under_enforce(payload: str) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": payload.encode()})

    http, _ = client(app, response_validation="enforce")
    async with http:
        response = await http.post("/v1/orders", headers=KEY, json=GOOD)
    assert response.status_code == 500
    assert payload.encode()[:20] not in response.content


def test_a_pattern_that_does_not_compile_is_a_contract_error_at_start_up() -> None:
    spec = pet_spec("3.1")
    spec["components"]["schemas"]["Order"]["properties"]["sku"]["pattern"] = "("
    with pytest.raises(ContractInvalid) as raised:
        ContractValidationMiddleware(App(), spec=spec, metrics=False)
    assert "cannot be compiled" in str(raised.value.detail)
