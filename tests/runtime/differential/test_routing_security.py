"""Differential cases: server base path, path templates, unknown paths and methods, security requirement presence.

Every case runs through openapi-core and contractkit, in an OpenAPI 3.0 and a 3.1 spec, and both must reach the
table's verdict. Security is about presence only: checking the credential stays the application's job.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._support import Req, req

VERSIONS = ("3.0.3", "3.1.0")
OK = {"200": {"description": "ok"}}


def routing_spec(version: str) -> dict[str, Any]:
    """A base path, a static path beside a template of the same shape, several methods per path."""
    order_id = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9]+$"}}
    q = {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": version,
        "info": {"title": "routing", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/orders": {"get": {"responses": OK}, "post": {"responses": OK}},
            "/orders/search": {"get": {"parameters": [q], "responses": OK}},
            "/orders/{order_id}": {
                "parameters": [order_id],
                "get": {"responses": OK},
                "delete": {"responses": OK},
            },
            "/orders/{order_id}/items/{line}": {
                "parameters": [
                    order_id,
                    {"name": "line", "in": "path", "required": True, "schema": {"type": "integer"}},
                ],
                "get": {"responses": OK},
            },
        },
    }


P = "/v1"
ROUTING = [
    pytest.param(req("GET", f"{P}/orders"), "ok", id="base-path-static"),
    pytest.param(req("GET", "/orders"), "404", id="base-path-missing"),
    pytest.param(req("GET", "/v2/orders"), "404", id="base-path-other"),
    pytest.param(req("GET", f"{P}/orders/123"), "ok", id="template"),
    pytest.param(req("GET", f"{P}/orders/12a"), "400 path.order_id", id="template-param-pattern"),
    pytest.param(req("GET", f"{P}/orders/search", "q=x"), "ok", id="static-beats-template"),
    pytest.param(req("GET", f"{P}/orders/search"), "400 query.q", id="static-beats-template-param-checked"),
    pytest.param(req("GET", f"{P}/orders/7/items/2"), "ok", id="two-templates"),
    pytest.param(req("GET", f"{P}/orders/7/items/two"), "400 path.line", id="two-templates-second-bad"),
    pytest.param(req("GET", f"{P}/orders/7/extra"), "404", id="unknown-tail"),
    pytest.param(req("GET", f"{P}/unknown"), "404", id="unknown-path"),
    pytest.param(req("PUT", f"{P}/orders"), "405", id="undeclared-method"),
    pytest.param(req("PATCH", f"{P}/orders/123"), "405", id="undeclared-method-template"),
    pytest.param(req("DELETE", f"{P}/orders/123"), "ok", id="second-method-template"),
    pytest.param(req("GET", f"{P}/Orders"), "404", id="case-sensitive"),
    pytest.param(req("GET", f"{P}/orders/123/items/4/"), "404", id="trailing-slash-template"),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("request_", "expected"), ROUTING)
def test_routing(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"routing-{version}", routing_spec(version), request_, expected)


def security_spec(version: str) -> dict[str, Any]:
    """Every scheme kind whose presence can be checked, alternatives (OR) and combinations (AND)."""

    def op(*requirements: dict[str, list[str]]) -> dict[str, Any]:
        return {"get": {"security": list(requirements), "responses": OK}}

    return {
        "openapi": version,
        "info": {"title": "security", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "basic": {"type": "http", "scheme": "basic"},
                "keyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
                "keyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
                "keyCookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
            }
        },
        "paths": {
            "/default": {"get": {"responses": OK}},
            "/public": op(),
            "/basic": op({"basic": []}),
            "/key-header": op({"keyHeader": []}),
            "/key-query": op({"keyQuery": []}),
            "/key-cookie": op({"keyCookie": []}),
            "/either": op({"bearer": []}, {"keyHeader": []}),
            "/both": op({"bearer": [], "keyQuery": []}),
            "/optional": op({}, {"bearer": []}),
        },
    }


BEARER = {"authorization": "Bearer abc.def"}
SECURITY = [
    pytest.param(req("GET", f"{P}/default", headers=BEARER), "ok", id="global-bearer-present"),
    pytest.param(req("GET", f"{P}/default"), "401 security", id="global-bearer-missing"),
    pytest.param(
        req("GET", f"{P}/default", headers={"authorization": "Basic dTpw"}), "401 security", id="wrong-scheme"
    ),
    pytest.param(
        req("GET", f"{P}/default", headers={"authorization": "bearer abc"}), "ok", id="scheme-case-insensitive"
    ),
    pytest.param(req("GET", f"{P}/public"), "ok", id="operation-overrides-with-empty"),
    pytest.param(req("GET", f"{P}/basic", headers={"authorization": "Basic dTpw"}), "ok", id="basic-present"),
    pytest.param(req("GET", f"{P}/basic", headers=BEARER), "401 security", id="basic-given-bearer"),
    pytest.param(req("GET", f"{P}/key-header", headers={"x-api-key": "k"}), "ok", id="api-key-header"),
    pytest.param(req("GET", f"{P}/key-header", headers={"X-Api-Key": "k"}), "ok", id="api-key-header-case"),
    pytest.param(req("GET", f"{P}/key-header"), "401 security", id="api-key-header-missing"),
    pytest.param(req("GET", f"{P}/key-header", "X-API-Key=k"), "401 security", id="api-key-header-sent-in-query"),
    pytest.param(req("GET", f"{P}/key-query", "api_key=k"), "ok", id="api-key-query"),
    pytest.param(req("GET", f"{P}/key-query"), "401 security", id="api-key-query-missing"),
    pytest.param(req("GET", f"{P}/key-cookie", headers={"cookie": "sid=k"}), "ok", id="api-key-cookie"),
    pytest.param(
        req("GET", f"{P}/key-cookie", headers={"cookie": "other=k"}), "401 security", id="api-key-cookie-other"
    ),
    pytest.param(req("GET", f"{P}/either", headers=BEARER), "ok", id="or-first"),
    pytest.param(req("GET", f"{P}/either", headers={"x-api-key": "k"}), "ok", id="or-second"),
    pytest.param(req("GET", f"{P}/either"), "401 security", id="or-none"),
    pytest.param(req("GET", f"{P}/both", "api_key=k", headers=BEARER), "ok", id="and-both"),
    pytest.param(req("GET", f"{P}/both", headers=BEARER), "401 security", id="and-one-missing"),
    pytest.param(req("GET", f"{P}/both", "api_key=k"), "401 security", id="and-other-missing"),
    pytest.param(req("GET", f"{P}/optional"), "ok", id="optional-absent"),
    pytest.param(req("GET", f"{P}/optional", headers=BEARER), "ok", id="optional-present"),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("request_", "expected"), SECURITY)
def test_security(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"security-{version}", security_spec(version), request_, expected)


def servers_spec(version: str) -> dict[str, Any]:
    """Two servers with different base paths (production and a sandbox), as b2b-orders has."""
    return {
        "openapi": version,
        "info": {"title": "servers", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/b2b/v1"}, {"url": "https://sandbox.example.com/sandbox/v1"}],
        "paths": {"/orders": {"get": {"responses": OK}}},
    }


SERVERS = [
    pytest.param(req("GET", "/b2b/v1/orders"), "ok", id="first-server"),
    pytest.param(req("GET", "/b2b/v2/orders"), "404", id="no-server"),
    pytest.param(req("GET", "/orders"), "404", id="no-base-path"),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("request_", "expected"), SERVERS)
def test_servers(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"servers-{version}", servers_spec(version), request_, expected)
