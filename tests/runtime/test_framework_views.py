"""What a real framework hands the app behind the middleware is the value that was validated.

Starlette (``await request.json()``, ``request.query_params``), Flask (``request.get_json()``, ``request.args``) and
pydantic (``model_validate_json`` on the raw body) each read the request their own way; for every request the
middleware lets through, that reading must equal the middleware's verdict (``state.contract``).
"""

from __future__ import annotations

import json
from typing import Any

import flask
import httpx
import pytest
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from contractkit.middleware import ContractValidationMiddleware, WSGIContractValidationMiddleware

from ._attacks import attack_spec

pytestmark = pytest.mark.anyio
AUTH = {"authorization": "Bearer t0ken"}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Order(BaseModel):
    sku: str
    quantity: int


def _starlette() -> Any:
    async def create(request: Request) -> JSONResponse:
        raw = await request.body()
        return JSONResponse(
            {
                "framework": await request.json(),
                "pydantic": Order.model_validate_json(raw).model_dump(),
                "validated": request.state.contract.body,
            }
        )

    async def search(request: Request) -> JSONResponse:
        return JSONResponse(
            {
                "framework": request.query_params.get("limit"),
                "validated": request.state.contract.params["query"].get("limit"),
                "cookies": {name: request.cookies.get(name) for name in ("session", "n")},
                "validated_cookies": request.state.contract.params["cookie"],
            }
        )

    app = Starlette(routes=[Route("/api/orders", create, methods=["POST"]), Route("/api/orders", search)])
    return ContractValidationMiddleware(app, spec=attack_spec(), metrics=False)


def _flask() -> Any:
    app = flask.Flask(__name__)

    @app.post("/api/orders")
    def create() -> Any:
        validated = flask.request.environ["contractkit.request"].body
        return {"framework": flask.request.get_json(), "validated": validated}

    @app.get("/api/orders")
    def search() -> Any:
        verdict = flask.request.environ["contractkit.request"]
        return {
            "framework": flask.request.args.get("limit"),
            "validated": verdict.params["query"].get("limit"),
            "cookies": {name: flask.request.cookies.get(name) for name in ("session", "n")},
            "validated_cookies": verdict.params["cookie"],
        }

    app.wsgi_app = WSGIContractValidationMiddleware(app.wsgi_app, spec=attack_spec(), metrics=False)  # type: ignore[method-assign]
    return app


BODIES = [
    pytest.param(b'{"sku": "abc", "quantity": 500, "quantity": 1}', 200, id="duplicate-key-last-wins"),
    pytest.param(b'{"sku": "abc", "quantity": 1, "quantity": 500}', 400, id="duplicate-key-last-refused"),
    pytest.param(b'{"sku": "abc", "sku": "xyz", "quantity": 2}', 200, id="duplicate-string-key"),
    pytest.param(b'{"sku": "abc", "quantity": 18446744073709551617}', 400, id="beyond-uint64"),
    pytest.param(b'{"sku": "abc", "quantity": 1.0}', 200, id="integral-float"),
]


@pytest.mark.parametrize(("body", "status"), BODIES)
async def test_starlette_and_pydantic_read_the_validated_body(body: bytes, status: int) -> None:
    transport = httpx.ASGITransport(app=_starlette())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.post("/api/orders", content=body, headers={**AUTH, "content-type": "application/json"})
    assert response.status_code == status
    if status == 200:
        seen = response.json()
        assert seen["framework"] == seen["validated"]
        assert {k: seen["validated"][k] for k in ("sku", "quantity")} == seen["pydantic"]


@pytest.mark.parametrize(("body", "status"), BODIES)
def test_flask_reads_the_validated_body(body: bytes, status: int) -> None:
    response = (
        _flask().test_client().post("/api/orders", data=body, headers={**AUTH, "content-type": "application/json"})
    )
    assert response.status_code == status
    if status == 200:
        seen = response.get_json()
        assert seen["framework"] == seen["validated"]


QUERIES = [
    pytest.param("limit=5", 200, id="once"),
    pytest.param("limit=5&limit=9999", 400, id="twice-would-differ-by-framework"),
    pytest.param("%6Cimit=7", 200, id="encoded-name"),
]


@pytest.mark.parametrize(("query", "status"), QUERIES)
async def test_starlette_query_is_the_validated_one(query: str, status: int) -> None:
    transport = httpx.ASGITransport(app=_starlette())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get(f"/api/orders?{query}", headers=AUTH)
    assert response.status_code == status
    if status == 200:
        seen = response.json()
        assert int(seen["framework"]) == seen["validated"]


@pytest.mark.parametrize(("query", "status"), QUERIES)
def test_flask_query_is_the_validated_one(query: str, status: int) -> None:
    response = _flask().test_client().get(f"/api/orders?{query}", headers=AUTH)
    assert response.status_code == status
    if status == 200:
        seen = response.get_json()
        assert int(seen["framework"]) == seen["validated"]


def test_the_problem_is_json() -> None:
    response = _flask().test_client().get("/api/orders?limit=5&limit=6", headers=AUTH)
    assert json.loads(response.data)["errors"][0]["location"] == "query.limit"


COOKIES = [
    pytest.param("session=abcd; n =5", 200, id="blank-before-equals"),
    pytest.param('session="ab\\063d"', 200, id="quoted-octal-escape"),
    pytest.param("session=abcd; session =x", 400, id="repeated-with-a-blank"),
    pytest.param("n=%31%32", 400, id="not-percent-decoded"),
]


def _same_cookies(seen: dict[str, Any]) -> None:
    assert seen["validated_cookies"], "no cookie reached the middleware"
    for name, value in seen["validated_cookies"].items():
        assert seen["cookies"][name] == (value if isinstance(value, str) else str(value)), name


@pytest.mark.parametrize(("cookie", "status"), COOKIES)
async def test_starlette_cookies_are_the_validated_ones(cookie: str, status: int) -> None:
    transport = httpx.ASGITransport(app=_starlette())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/api/orders", headers={**AUTH, "cookie": cookie})
    assert response.status_code == status
    if status == 200:
        _same_cookies(response.json())


@pytest.mark.parametrize(("cookie", "status"), COOKIES)
def test_flask_cookies_are_the_validated_ones(cookie: str, status: int) -> None:
    client = _flask().test_client(use_cookies=False)  # with its cookie jar it would drop the Cookie header
    response = client.get("/api/orders", headers={**AUTH, "cookie": cookie})
    assert response.status_code == status
    if status == 200:
        _same_cookies(response.get_json())
