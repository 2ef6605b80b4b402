"""The WSGI twin, called with a hand-built environ and under Flask."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from contractkit.middleware import ENVIRON_KEY, WSGIContractValidationMiddleware

from ._specs import pet_spec

GOOD = {"sku": "abc", "quantity": 2}


class App:
    def __init__(self, payload: Any = None, stream: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []
        self.payload, self.stream = payload, stream

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.calls.append({"body": environ["wsgi.input"].read(length), "state": environ.get(ENVIRON_KEY)})
        data = json.dumps(
            self.payload if self.payload is not None else {**GOOD, "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}
        )
        start_response("201 Created", [("Content-Type", "application/json")])
        if self.stream:
            return (chunk for chunk in [data.encode()])
        return [data.encode()]


def call(
    middleware: Any,
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)) if body else "",
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else f"HTTP_{key}"] = value
    captured: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"], captured["headers"] = status, dict(response_headers)

    chunks = b"".join(middleware(environ, start_response))
    return captured["status"], {k.lower(): v for k, v in captured["headers"].items()}, chunks


KEY = {"x-api-key": "k", "content-type": "application/json"}
CASES = [
    pytest.param("POST", "/v1/orders", KEY, json.dumps(GOOD).encode(), "201", True, id="valid"),
    pytest.param("POST", "/v1/orders", KEY, b'{"sku": "a"}', "400", False, id="invalid"),
    pytest.param("POST", "/v1/orders", KEY, b"\xff\xfe", "400", False, id="non-utf8"),
    pytest.param("POST", "/v1/orders", {"content-type": "application/json"}, b"{}", "401", False, id="no-credential"),
    pytest.param("GET", "/v1/none", {}, b"", "404", False, id="unknown-path"),
    pytest.param("PUT", "/v1/orders", KEY, b"{}", "405", False, id="undeclared-method"),
    pytest.param("POST", "/v1/orders", {**KEY, "content-type": "text/csv"}, b"a,b", "415", False, id="content-type"),
]


@pytest.mark.parametrize("version", ["3.1", "3.0"])
@pytest.mark.parametrize(("method", "path", "headers", "body", "status", "called"), CASES)
def test_verdicts(
    version: str, method: str, path: str, headers: dict[str, str], body: bytes, status: str, called: bool
) -> None:
    app = App()
    middleware = WSGIContractValidationMiddleware(app, spec=pet_spec(version), metrics=False)
    got, response_headers, data = call(middleware, method, path, headers=headers, body=body)
    assert got.split()[0] == status
    assert bool(app.calls) is called
    if not called:
        assert response_headers["content-type"] == "application/problem+json"
        assert json.loads(data)["status"] == int(status)
    if status == "405":
        assert response_headers["allow"] == "GET, HEAD, POST"


def test_body_replayed_and_typed_values() -> None:
    app = App()
    middleware = WSGIContractValidationMiddleware(app, spec=pet_spec("3.1"), metrics=False)
    call(middleware, "POST", "/v1/orders", headers=KEY, body=json.dumps(GOOD).encode())
    assert json.loads(app.calls[0]["body"]) == GOOD
    assert (app.calls[0]["state"].operation, app.calls[0]["state"].body) == ("POST /orders", GOOD)


def test_body_over_the_limit() -> None:
    app = App()
    middleware = WSGIContractValidationMiddleware(app, spec=pet_spec("3.1"), max_body_bytes=5, metrics=False)
    status, _, _ = call(middleware, "POST", "/v1/orders", headers=KEY, body=json.dumps(GOOD).encode())
    assert status.startswith("413") and not app.calls


@pytest.mark.parametrize(
    ("mode", "stream", "status"),
    [
        pytest.param("enforce", False, "500", id="enforce"),
        pytest.param("enforce", True, "500", id="enforce-streaming"),
        pytest.param("report", False, "201", id="report"),
        pytest.param("report", True, "201", id="report-streaming"),
    ],
)
def test_response_validation(mode: str, stream: bool, status: str) -> None:
    middleware = WSGIContractValidationMiddleware(
        App(payload={"sku": "abc"}, stream=stream), spec=pet_spec("3.1"), response_validation=mode, metrics=False
    )
    got, _, data = call(middleware, "POST", "/v1/orders", headers=KEY, body=json.dumps(GOOD).encode())
    assert got.split()[0] == status
    if status == "500":
        assert json.loads(data)["errors"][0]["location"] == "response.body#"


def test_under_flask() -> None:
    from flask import Flask, request

    app = Flask(__name__)

    @app.post("/v1/orders")
    def create() -> Any:
        contract = request.environ[ENVIRON_KEY]
        return {"op": contract.operation, "body": request.get_json()}, 201

    app.wsgi_app = WSGIContractValidationMiddleware(app.wsgi_app, spec=pet_spec("3.1"), metrics=False)  # type: ignore[method-assign]
    test = app.test_client()
    ok = test.post("/v1/orders", json=GOOD, headers={"x-api-key": "k"})
    bad = test.post("/v1/orders", json={"sku": 1}, headers={"x-api-key": "k"})
    assert (ok.status_code, ok.get_json()) == (201, {"op": "POST /orders", "body": GOOD})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
