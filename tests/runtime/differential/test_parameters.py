"""Differential cases: path, query, header and cookie parameters, their styles, types, formats, enums and bounds.

Every case runs through openapi-core and contractkit, in an OpenAPI 3.0 and a 3.1 spec, and both must reach the
table's verdict: valid, or the status and the exact set of failing locations.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._support import Req, req

VERSIONS = ("3.0.3", "3.1.0")


INTS = {"type": "array", "items": {"type": "integer"}}
POINT = {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}


def _param(name: str, where: str, schema: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, **({"schema": schema} if schema is not None else {}), **extra}


def _ok() -> dict[str, Any]:
    return {"200": {"description": "ok"}}


def spec(version: str) -> dict[str, Any]:
    """Parameters of every kind; identical in 3.0 and 3.1 (the schemas use no version-specific keyword)."""
    search = [
        _param("limit", "query", {"type": "integer", "minimum": 1, "maximum": 100}),
        _param("status", "query", {"type": "string", "enum": ["open", "closed"]}),
        _param("active", "query", {"type": "boolean"}),
        _param("price", "query", {"type": "number", "minimum": 0}),
        _param("since", "query", {"type": "string", "format": "date-time"}),
        _param("email", "query", {"type": "string", "format": "email"}),
        _param("ref", "query", {"type": "string", "format": "uuid"}),
        _param("day", "query", {"type": "string", "format": "date"}),
        _param("small", "query", {"type": "integer", "format": "int32"}),
        _param("big", "query", {"type": "integer", "format": "int64"}),
        _param("code", "query", {"type": "string", "minLength": 2, "maxLength": 4, "pattern": "^[A-Z]+$"}),
        _param("tag", "query", {"type": "array", "items": {"type": "string"}, "maxItems": 3}, explode=True),
        _param("ids", "query", {"type": "array", "items": {"type": "integer"}}, style="form", explode=False),
        _param(
            "filter",
            "query",
            {
                "type": "object",
                "properties": {"color": {"type": "string", "enum": ["red", "blue"]}, "size": {"type": "integer"}},
            },
            style="deepObject",
            explode=True,
        ),
    ]
    return {
        "openapi": version,
        "info": {"title": "parameters", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/items/{item_id}": {
                "parameters": [_param("item_id", "path", {"type": "integer", "minimum": 1}, required=True)],
                "get": {"responses": _ok()},
            },
            "/things/{thing_id}": {
                "get": {
                    "parameters": [_param("thing_id", "path", {"type": "string", "format": "uuid"}, required=True)],
                    "responses": _ok(),
                }
            },
            "/search": {"get": {"parameters": search, "responses": _ok()}},
            "/styles/{ids}": {
                "get": {
                    "parameters": [
                        _param("ids", "path", INTS, required=True),
                        _param("pipes", "query", INTS, style="pipeDelimited", explode=False),
                        _param("point", "query", POINT, style="form", explode=False),
                        _param("where", "query", None, content={"application/json": {"schema": POINT}}),
                        _param("page", "query", {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["all"]}]}),
                        _param("jar", "cookie", INTS, explode=False),
                    ],
                    "responses": _ok(),
                }
            },
            "/lookup": {
                "get": {
                    "parameters": [_param("q", "query", {"type": "string", "minLength": 2}, required=True)],
                    "responses": _ok(),
                }
            },
            "/headers": {
                "get": {
                    "parameters": [
                        _param("X-Request-Id", "header", {"type": "string", "format": "uuid"}, required=True),
                        _param("X-Count", "header", {"type": "integer", "maximum": 10}),
                        _param("X-Ids", "header", {"type": "array", "items": {"type": "integer"}}),
                    ],
                    "responses": _ok(),
                }
            },
            "/cookies": {
                "get": {
                    "parameters": [
                        _param("session", "cookie", {"type": "string", "minLength": 8}, required=True),
                        _param("pref", "cookie", {"type": "string", "enum": ["dark", "light"]}),
                    ],
                    "responses": _ok(),
                }
            },
        },
    }


UUID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
P = "/v1"

CASES = [
    # path parameters
    pytest.param(req("GET", f"{P}/items/42"), "ok", id="path-int-ok"),
    pytest.param(req("GET", f"{P}/items/0"), "400 path.item_id", id="path-int-below-minimum"),
    pytest.param(req("GET", f"{P}/items/abc"), "400 path.item_id", id="path-int-not-a-number"),
    pytest.param(req("GET", f"{P}/things/{UUID}"), "ok", id="path-uuid-ok"),
    pytest.param(req("GET", f"{P}/things/not-a-uuid"), "400 path.thing_id", id="path-uuid-bad"),
    # query: types, bounds, enums
    pytest.param(req("GET", f"{P}/search"), "ok", id="query-none"),
    pytest.param(req("GET", f"{P}/search", "limit=10&status=open&active=true&price=9.5"), "ok", id="query-four-ok"),
    pytest.param(req("GET", f"{P}/search", "limit=101"), "400 query.limit", id="query-above-maximum"),
    pytest.param(req("GET", f"{P}/search", "limit=0"), "400 query.limit", id="query-below-minimum"),
    pytest.param(req("GET", f"{P}/search", "limit=ten"), "400 query.limit", id="query-int-not-a-number"),
    pytest.param(req("GET", f"{P}/search", "limit=1.5"), "400 query.limit", id="query-int-fraction"),
    pytest.param(req("GET", f"{P}/search", "limit=1e2"), "400 query.limit", id="query-int-exponent"),
    pytest.param(req("GET", f"{P}/search", "limit="), "400 query.limit", id="query-int-empty"),
    pytest.param(req("GET", f"{P}/search", "code="), "400 query.code", id="query-string-empty"),
    pytest.param(req("GET", f"{P}/search", "status=pending"), "400 query.status", id="query-enum-unknown"),
    pytest.param(req("GET", f"{P}/search", "active=false"), "ok", id="query-bool-false"),
    pytest.param(req("GET", f"{P}/search", "active=maybe"), "400 query.active", id="query-bool-bad"),
    pytest.param(req("GET", f"{P}/search", "price=-1"), "400 query.price", id="query-number-below-minimum"),
    pytest.param(req("GET", f"{P}/search", "price=abc"), "400 query.price", id="query-number-bad"),
    pytest.param(
        req("GET", f"{P}/search", "limit=0&status=x&active=maybe"),
        "400 query.limit query.status query.active",
        id="query-three-errors-all-listed",
    ),
    # query: edge encodings (a name or value percent-encoded, `+`, `;` is no separator) and numbers out of range
    pytest.param(req("GET", f"{P}/search", "%6Cimit=5"), "ok", id="query-name-percent-encoded"),
    pytest.param(req("GET", f"{P}/search", "%6Cimit=500"), "400 query.limit", id="query-name-percent-encoded-bad"),
    pytest.param(req("GET", f"{P}/search", "limit=%35"), "ok", id="query-value-percent-encoded"),
    pytest.param(req("GET", f"{P}/search", "limit=5;limit=6"), "400 query.limit", id="query-semicolon-no-separator"),
    pytest.param(req("GET", f"{P}/search", "code=A+B"), "400 query.code", id="query-plus-is-space"),
    pytest.param(req("GET", f"{P}/search", "code=%41%42"), "ok", id="query-value-all-encoded"),
    pytest.param(req("GET", f"{P}/search", "limit=" + "9" * 5000), "400 query.limit", id="query-int-5000-digits"),
    pytest.param(req("GET", f"{P}/search", "price=-1e400"), "400 query.price", id="query-number-below-float-range"),
    # query: formats and string constraints
    pytest.param(req("GET", f"{P}/search", "since=2025-03-14T09:30:00Z"), "ok", id="format-date-time-ok"),
    pytest.param(
        req("GET", f"{P}/search", "since=2025-03-14T09%3A30%3A00%2B02%3A00"), "ok", id="format-date-time-offset"
    ),
    pytest.param(req("GET", f"{P}/search", "since=yesterday"), "400 query.since", id="format-date-time-bad"),
    pytest.param(req("GET", f"{P}/search", "since=2025-03-14"), "400 query.since", id="format-date-time-date-only"),
    pytest.param(req("GET", f"{P}/search", "email=ops%40example.com"), "ok", id="format-email-ok"),
    pytest.param(req("GET", f"{P}/search", "email=not-an-email"), "400 query.email", id="format-email-bad"),
    pytest.param(req("GET", f"{P}/search", f"ref={UUID}"), "ok", id="format-uuid-ok"),
    pytest.param(req("GET", f"{P}/search", "ref=1234"), "400 query.ref", id="format-uuid-bad"),
    pytest.param(req("GET", f"{P}/search", "day=2025-04-30"), "ok", id="format-date-ok"),
    pytest.param(req("GET", f"{P}/search", "day=2025-13-01"), "400 query.day", id="format-date-bad-month"),
    pytest.param(req("GET", f"{P}/search", "day=30.04.2025"), "400 query.day", id="format-date-bad"),
    pytest.param(req("GET", f"{P}/search", "small=2147483647"), "ok", id="format-int32-max"),
    pytest.param(
        req("GET", f"{P}/search", "small=2147483648"),
        "400 query.small",
        id="format-int32-overflow",
    ),
    pytest.param(
        req("GET", f"{P}/search", "small=-2147483649"),
        "400 query.small",
        id="format-int32-underflow",
    ),
    pytest.param(req("GET", f"{P}/search", "big=9223372036854775807"), "ok", id="format-int64-max"),
    pytest.param(
        req("GET", f"{P}/search", "big=9223372036854775808"),
        "400 query.big",
        id="format-int64-overflow",
    ),
    pytest.param(req("GET", f"{P}/search", "code=AB"), "ok", id="string-ok"),
    pytest.param(req("GET", f"{P}/search", "code=A"), "400 query.code", id="string-too-short"),
    pytest.param(req("GET", f"{P}/search", "code=ABCDE"), "400 query.code", id="string-too-long"),
    pytest.param(req("GET", f"{P}/search", "code=ab"), "400 query.code", id="string-pattern"),
    # query: form arrays (explode true and false) and deepObject
    pytest.param(req("GET", f"{P}/search", "tag=a&tag=b"), "ok", id="form-explode-repeated"),
    pytest.param(req("GET", f"{P}/search", "tag=a"), "ok", id="form-explode-single"),
    pytest.param(req("GET", f"{P}/search", "tag=a&tag=b&tag=c&tag=d"), "400 query.tag", id="form-explode-max-items"),
    pytest.param(req("GET", f"{P}/search", "ids=1,2,3"), "ok", id="form-no-explode-csv"),
    pytest.param(req("GET", f"{P}/search", "ids=1,x,3"), "400 query.ids", id="form-no-explode-bad-item"),
    pytest.param(req("GET", f"{P}/search", "filter[color]=red&filter[size]=2"), "ok", id="deep-object-ok"),
    pytest.param(req("GET", f"{P}/search", "filter%5Bcolor%5D=blue"), "ok", id="deep-object-percent-encoded-brackets"),
    pytest.param(req("GET", f"{P}/search", "filter[color]=green"), "400 query.filter", id="deep-object-enum"),
    pytest.param(req("GET", f"{P}/search", "filter[size]=big"), "400 query.filter", id="deep-object-int"),
    # more styles: simple path arrays, pipeDelimited, form objects (explode false), content (JSON), oneOf
    pytest.param(req("GET", f"{P}/styles/1,2"), "ok", id="path-simple-array"),
    pytest.param(req("GET", f"{P}/styles/1,x"), "400 path.ids", id="path-simple-array-bad-item"),
    pytest.param(req("GET", f"{P}/styles/1", "pipes=1|2"), "ok", id="pipe-delimited"),
    pytest.param(req("GET", f"{P}/styles/1", "pipes=1|x"), "400 query.pipes", id="pipe-delimited-bad-item"),
    pytest.param(req("GET", f"{P}/styles/1", "point=x,1,y,2"), "ok", id="form-object-no-explode"),
    pytest.param(req("GET", f"{P}/styles/1", "point=x,a"), "400 query.point", id="form-object-no-explode-bad"),
    pytest.param(req("GET", f"{P}/styles/1", "point=y,1"), "400 query.point", id="form-object-no-explode-required"),
    pytest.param(req("GET", f"{P}/styles/1", "where=%7B%22x%22%3A1%7D"), "ok", id="content-json"),
    pytest.param(
        req("GET", f"{P}/styles/1", "where=%7B%22x%22%3A" + "9" * 5000 + "%7D"),
        "400 query.where",
        id="content-json-int-5000-digits",
    ),
    pytest.param(
        req("GET", f"{P}/styles/1", "where=%7B%22x%22%3A%22a%22%7D"), "400 query.where", id="content-json-bad"
    ),
    pytest.param(req("GET", f"{P}/styles/1", "where=notjson"), "400 query.where", id="content-json-malformed"),
    pytest.param(req("GET", f"{P}/styles/1", "page=5"), "ok", id="one-of-param-integer"),
    pytest.param(req("GET", f"{P}/styles/1", "page=all"), "ok", id="one-of-param-enum"),
    pytest.param(req("GET", f"{P}/styles/1", "page=some"), "400 query.page", id="one-of-param-neither"),
    pytest.param(req("GET", f"{P}/styles/1", headers={"cookie": "jar=1,2"}), "ok", id="cookie-array-no-explode"),
    pytest.param(
        req("GET", f"{P}/styles/1", headers={"cookie": "jar=1,x"}), "400 cookie.jar", id="cookie-array-bad-item"
    ),
    # query: required
    pytest.param(req("GET", f"{P}/lookup", "q=ab"), "ok", id="required-present"),
    pytest.param(req("GET", f"{P}/lookup"), "400 query.q", id="required-missing"),
    pytest.param(req("GET", f"{P}/lookup", "other=1"), "400 query.q", id="required-missing-other-given"),
    pytest.param(req("GET", f"{P}/lookup", "q=a"), "400 query.q", id="required-too-short"),
    # headers (case-insensitive names)
    pytest.param(req("GET", f"{P}/headers", headers={"x-request-id": UUID}), "ok", id="header-ok"),
    pytest.param(req("GET", f"{P}/headers", headers={"X-Request-ID": UUID}), "ok", id="header-name-case"),
    pytest.param(req("GET", f"{P}/headers"), "400 header.x-request-id", id="header-required-missing"),
    pytest.param(
        req("GET", f"{P}/headers", headers={"x-request-id": "nope"}), "400 header.x-request-id", id="header-format"
    ),
    pytest.param(
        req("GET", f"{P}/headers", headers={"x-request-id": UUID, "x-count": "11"}),
        "400 header.x-count",
        id="header-int-above-maximum",
    ),
    pytest.param(req("GET", f"{P}/headers", headers={"x-request-id": UUID, "x-count": "7"}), "ok", id="header-int-ok"),
    pytest.param(
        req("GET", f"{P}/headers", headers={"x-request-id": UUID, "x-ids": "1,2,3"}), "ok", id="header-simple-array"
    ),
    pytest.param(
        req("GET", f"{P}/headers", headers={"x-request-id": UUID, "x-ids": "1,x"}),
        "400 header.x-ids",
        id="header-simple-array-bad-item",
    ),
    # cookies
    pytest.param(req("GET", f"{P}/cookies", headers={"cookie": "session=abcdefgh"}), "ok", id="cookie-ok"),
    pytest.param(req("GET", f"{P}/cookies", headers={"cookie": "session=abcdefgh; pref=dark"}), "ok", id="cookie-two"),
    pytest.param(req("GET", f"{P}/cookies"), "400 cookie.session", id="cookie-required-missing"),
    pytest.param(
        req("GET", f"{P}/cookies", headers={"cookie": "session=short"}), "400 cookie.session", id="cookie-too-short"
    ),
    pytest.param(
        req("GET", f"{P}/cookies", headers={"cookie": "session=abcdefgh; pref=blue"}),
        "400 cookie.pref",
        id="cookie-enum",
    ),
    # a cookie sent twice: contractkit refuses the repetition, openapi-core judges the last value (too short here)
    pytest.param(
        req("GET", f"{P}/cookies", headers={"cookie": "session=abcdefghij; session=x"}),
        "400 cookie.session",
        id="cookie-repeated",
    ),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("request_", "expected"), CASES)
def test_parameters(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"parameters-{version}", spec(version), request_, expected)
