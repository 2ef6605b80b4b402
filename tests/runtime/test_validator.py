"""RequestValidator: one table of requests per feature, each run against the OAS 3.1 and 3.0 variants."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contractkit.errors import ContractInvalid, ContractNotFound, UsageError
from contractkit.runtime import RequestValidator

from ._specs import B2B, B2B_HEADERS, ORDER, ORDER_ID, pet_spec

VERSIONS = ("3.1", "3.0")
BEARER = ("authorization", "Bearer abc")
KEY = ("x-api-key", "k")
JSON = ("content-type", "application/json")
UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
GOOD = {"sku": "abc", "quantity": 2}


@pytest.fixture(scope="module", params=VERSIONS)
def validator(request: pytest.FixtureRequest) -> RequestValidator:
    return RequestValidator.from_spec(pet_spec(request.param))


def body(value: Any) -> bytes:
    return json.dumps(value).encode()


def verdict(v: RequestValidator, method: str, path: str, query: str = "", headers: Any = (), data: Any = None) -> str:
    result = v.validate_request(method=method, path=path, query=query, headers=list(headers), body=data)
    return " ".join([str(result.status), *sorted({e.location for e in result.errors})])


ROUTING = [
    pytest.param("GET", "/v1/orders", "200", id="static"),
    pytest.param("GET", "/v1/orders/mine", "200", id="static-beats-template"),
    pytest.param("GET", f"/v1/orders/{UUID}", "401 security", id="template"),
    pytest.param("GET", "/orders", "404 path", id="base-path-missing"),
    pytest.param("GET", "/v1/nothing", "404 path", id="unknown-path"),
    pytest.param("GET", "/v1/orders/", "404 path", id="trailing-slash"),
    pytest.param("PUT", "/v1/orders", "405 method", id="undeclared-method"),
    pytest.param("get", "/v1/orders", "200", id="method-case"),
]


@pytest.mark.parametrize(("method", "path", "expected"), ROUTING)
def test_routing(validator: RequestValidator, method: str, path: str, expected: str) -> None:
    assert verdict(validator, method, path, headers=[BEARER]) == expected


def test_405_lists_the_declared_methods(validator: RequestValidator) -> None:
    result = validator.validate_request(method="PATCH", path=f"/v1/orders/{UUID}")
    assert (result.status, result.allow) == (405, ("GET", "HEAD", "DELETE"))


PARAMS = [
    pytest.param("limit=10", "200", id="integer"),
    pytest.param("limit=0", "400 query.limit", id="integer-below-minimum"),
    pytest.param("limit=ten", "400 query.limit", id="integer-not-a-number"),
    pytest.param("limit=1.5", "400 query.limit", id="integer-fraction"),
    pytest.param("limit=", "400 query.limit", id="empty-value"),
    pytest.param("status=open,closed", "200", id="form-no-explode"),
    pytest.param("status=open,lost", "400 query.status", id="form-no-explode-enum"),
    pytest.param("tag=1&tag=2", "200", id="form-explode"),
    pytest.param("tag=1&tag=x", "400 query.tag", id="form-explode-item-type"),
    pytest.param("filter[min]=1.5&filter[max]=3", "200", id="deep-object"),
    pytest.param("filter[min]=low", "400 query.filter", id="deep-object-type"),
    pytest.param("flag=true", "200", id="boolean"),
    pytest.param("flag=yes", "400 query.flag", id="boolean-invalid"),
    pytest.param("since=2025-03-01T10:00:00Z", "200", id="date-time"),
    pytest.param("since=2025-03-01", "400 query.since", id="date-time-invalid"),
    pytest.param("limit=0&flag=yes&since=x", "400 query.flag query.limit query.since", id="every-error-listed"),
    pytest.param("unknown=1", "200", id="undeclared-query-ignored"),
    pytest.param("status=op%65n", "200", id="percent-decoded"),
]


@pytest.mark.parametrize(("query", "expected"), PARAMS)
def test_query_parameters(validator: RequestValidator, query: str, expected: str) -> None:
    assert verdict(validator, "GET", "/v1/orders", query, [BEARER]) == expected


def test_exclusive_maximum_3_0_boolean_form() -> None:
    assert (
        verdict(RequestValidator.from_spec(pet_spec("3.0")), "GET", "/v1/orders", "limit=50", [BEARER])
        == "400 query.limit"
    )
    assert verdict(RequestValidator.from_spec(pet_spec("3.1")), "GET", "/v1/orders", "limit=50", [BEARER]) == "200"


OTHER_PARAMS = [
    pytest.param("GET", "/v1/items/1,2,3", [("x-trace", "7")], "200", id="path-simple-array"),
    pytest.param("GET", "/v1/items/1,x", [("x-trace", "7")], "400 path.ids", id="path-array-item-type"),
    pytest.param("GET", "/v1/items/1", [], "400 header.x-trace", id="required-header-missing"),
    pytest.param("GET", "/v1/items/1", [("x-trace", "seven")], "400 header.x-trace", id="header-type"),
    pytest.param("GET", "/v1/label/.red.blue", [], "200", id="path-label"),
    pytest.param("GET", f"/v1/orders/{UUID}", [("cookie", "session=s3cr3t-value")], "200", id="cookie-credential"),
    pytest.param("GET", "/v1/orders/123", [("cookie", "session=x")], "400 path.order_id", id="path-uuid"),
    pytest.param("GET", "/v1/orders", [BEARER, ("x-request-id", "nope")], "400 header.x-request-id", id="header-uuid"),
    pytest.param("GET", "/v1/orders", [BEARER, ("cookie", "session=short")], "400 cookie.session", id="cookie-param"),
]


@pytest.mark.parametrize(("method", "path", "headers", "expected"), OTHER_PARAMS)
def test_path_header_cookie_parameters(
    validator: RequestValidator, method: str, path: str, headers: list[tuple[str, str]], expected: str
) -> None:
    assert verdict(validator, method, path, headers=headers) == expected


def test_typed_values(validator: RequestValidator) -> None:
    result = validator.validate_request(
        method="GET",
        path="/v1/orders",
        query="limit=5&status=open,closed&tag=1&tag=2&filter[min]=1.5&flag=false",
        headers=[BEARER],
    )
    assert result.ok
    assert result.operation == "GET /orders"
    assert result.params["query"] == {
        "limit": 5,
        "status": ["open", "closed"],
        "tag": [1, 2],
        "filter": {"min": 1.5},
        "flag": False,
    }
    items = validator.validate_request(method="GET", path="/v1/items/4,5", headers=[("x-trace", "9")])
    assert items.params == {"path": {"ids": [4, 5]}, "header": {"x-trace": 9}}


SECURITY = [
    pytest.param("GET", "/v1/orders", [], "401 security", id="bearer-missing"),
    pytest.param("GET", "/v1/orders", [("authorization", "Basic abc")], "401 security", id="bearer-wrong-scheme"),
    pytest.param("GET", "/v1/orders", [("authorization", "Bearer")], "401 security", id="bearer-empty"),
    pytest.param("GET", "/v1/orders", [("authorization", "bearer abc")], "200", id="bearer-scheme-case"),
    pytest.param("POST", "/v1/orders", [KEY], "400 body#", id="api-key-alternative"),
    pytest.param("POST", "/v1/orders", [("authorization", "Basic dTpw")], "401 security", id="and-needs-both"),
    pytest.param("GET", f"/v1/orders/{UUID}", [], "401 security", id="cookie-key-missing"),
    pytest.param("DELETE", f"/v1/orders/{UUID}", [], "204", id="optional-security"),
    pytest.param("GET", "/v1/orders/mine", [], "200", id="security-overridden-empty"),
]


@pytest.mark.parametrize(("method", "path", "headers", "expected"), SECURITY)
def test_security(
    validator: RequestValidator, method: str, path: str, headers: list[tuple[str, str]], expected: str
) -> None:
    got = verdict(validator, method, path, headers=headers)
    assert got == ("200" if expected == "204" else expected)


def test_security_and_within_requirement(validator: RequestValidator) -> None:
    headers = [("authorization", "Basic dTpw"), JSON]
    assert verdict(validator, "POST", "/v1/orders", "api_key=1", headers, body(GOOD)) == "200"


def test_401_carries_challenges(validator: RequestValidator) -> None:
    result = validator.validate_request(method="POST", path="/v1/orders", body=body(GOOD))
    assert result.status == 401
    assert result.challenges == ('APIKey in="header", name="x-api-key"', "Basic", 'APIKey in="query", name="api_key"')


BODIES = [
    pytest.param(JSON, body(GOOD), "200", id="json"),
    pytest.param(("content-type", "application/json; charset=utf-8"), body(GOOD), "200", id="json-charset"),
    pytest.param(("content-type", "application/merge-patch+json"), body(GOOD), "200", id="plus-json"),
    pytest.param(JSON, None, "400 body#", id="required-body-missing"),
    pytest.param(JSON, b"", "400 body#", id="required-body-empty"),
    pytest.param(JSON, b'{"sku": ', "400 body#", id="malformed-json"),
    pytest.param(JSON, b'{"sku": NaN}', "400 body#", id="nan-is-not-json"),
    pytest.param(JSON, b'{"sku": "\xff\xfe"}', "400 body#", id="not-utf8"),
    pytest.param(JSON, "\ufeff{}".encode("utf-16"), "400 body#", id="utf16"),
    pytest.param(JSON, rb'{"sku": "ab\ud800c", "quantity": 2}', "400 body#/sku", id="lone-surrogate"),
    pytest.param(JSON, rb'{"sku": "abc", "quantity": 2, "note": ["\uDC00"]}', "400 body#/note/0", id="lone-low-half"),
    pytest.param(JSON, rb'{"sku": "abc", "quantity": 2, "\ud800": 1}', "400 body#", id="lone-surrogate-key"),
    pytest.param(JSON, rb'{"sku": "abc", "quantity": 2, "note": "\ud83d\ude00"}', "200", id="surrogate-pair"),
    pytest.param(JSON, rb'{"sku": "abc", "quantity": 2, "note": "\\ud800"}', "200", id="escaped-backslash-u"),
    pytest.param(("content-type", "text/plain"), b"hello", "415 header.content-type", id="undeclared-type"),
    pytest.param(JSON, body({"sku": "ab", "quantity": 0}), "400 body#/quantity body#/sku", id="every-error"),
    pytest.param(JSON, body({**GOOD, "extra": 1}), "400 body#", id="additional-properties"),
    pytest.param(JSON, body({"sku": "abc"}), "400 body#", id="required-property"),
    pytest.param(JSON, body({**GOOD, "id": UUID}), "400 body#/id", id="read-only-refused"),
    pytest.param(JSON, body({**GOOD, "secret": "s"}), "200", id="write-only-accepted"),
    pytest.param(JSON, body({**GOOD, "note": None}), "200", id="nullable"),
    pytest.param(JSON, body({**GOOD, "email": "x"}), "400 body#/email", id="email-format"),
    pytest.param(JSON, body({**GOOD, "ship_on": "2025-02-30x"}), "400 body#/ship_on", id="date-format"),
    pytest.param(JSON, body({**GOOD, "payment": {"kind": "card", "number": "1234567812345678"}}), "200", id="disc-ok"),
    pytest.param(
        JSON, body({**GOOD, "payment": {"kind": "card", "number": "12"}}), "400 body#/payment/number", id="disc-branch"
    ),
    pytest.param(JSON, body({**GOOD, "payment": {"kind": "cash"}}), "400 body#/payment/kind", id="disc-unknown"),
    pytest.param(JSON, body({**GOOD, "payment": {"number": "1"}}), "400 body#/payment", id="disc-missing"),
    pytest.param(JSON, body({**GOOD, "size": "XL"}), "400 body#/size", id="any-of"),
    pytest.param(JSON, body({**GOOD, "size": 3}), "200", id="any-of-ok"),
    pytest.param(JSON, body({**GOOD, "window": {"from": 1}}), "400 body#/window", id="all-of"),
    pytest.param(
        ("content-type", "application/x-www-form-urlencoded"), b"sku=a&quantity=3&tags=x&tags=y", "200", id="form"
    ),
    pytest.param(
        ("content-type", "application/x-www-form-urlencoded"), b"quantity=30", "400 body# body#/quantity", id="form-bad"
    ),
    pytest.param(
        ("content-type", "multipart/form-data; boundary=x"),
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
        "200",
        id="multipart-one-part",
    ),
    pytest.param(
        ("content-type", "multipart/form-data; boundary=x"), b"--x\r\n--x--", "400 body#", id="multipart-nameless"
    ),
    pytest.param(("content-type", "multipart/form-data"), b"--x\r\n--x--", "400 body#", id="multipart-no-boundary"),
]


@pytest.mark.parametrize(("content_type", "data", "expected"), BODIES)
def test_bodies(validator: RequestValidator, content_type: tuple[str, str], data: bytes | None, expected: str) -> None:
    assert verdict(validator, "POST", "/v1/orders", headers=[KEY, content_type], data=data) == expected


def test_the_parsed_body_is_returned(validator: RequestValidator) -> None:
    result = validator.validate_request(method="POST", path="/v1/orders", headers=[KEY, JSON], body=body(GOOD))
    assert (result.ok, result.body) == (True, GOOD)
    form = validator.validate_request(
        method="POST",
        path="/v1/orders",
        headers=[KEY, ("content-type", "application/x-www-form-urlencoded")],
        body=b"sku=a+b&quantity=3&tags=x",
    )
    assert form.body == {"sku": "a b", "quantity": 3, "tags": ["x"]}


def test_type_arrays_3_1_only() -> None:
    v31 = RequestValidator.from_spec(pet_spec("3.1"))
    bad_tags = body({**GOOD, "tags": ["second"]})
    assert verdict(v31, "POST", "/v1/orders", headers=[KEY, JSON], data=bad_tags) == "400 body#/tags/0"


def test_secrets_are_not_echoed(validator: RequestValidator) -> None:
    result = validator.validate_request(
        method="GET", path="/v1/orders", headers=[("authorization", "Bearer TOPSECRET"), ("cookie", "session=SECRETX")]
    )
    assert result.status == 400
    assert "SECRETX" not in repr(result.errors)
    assert "TOPSECRET" not in repr(result.errors)


B2B_CASES = [
    pytest.param("POST", "/b2b/v1/orders", "", ORDER, "200", id="order"),
    pytest.param(
        "POST", "/b2b/v1/orders", "", {**ORDER, "currency": "euro"}, "400 body#/currency", id="order-currency"
    ),
    pytest.param(
        "POST",
        "/b2b/v1/orders",
        "",
        {**ORDER, "items": [{**ORDER["items"][0], "quantity": 0}]},
        "400 body#/items/0/quantity",
        id="order-quantity",
    ),
    pytest.param(
        "GET", "/b2b/v1/orders", "status=received,quoted&limit=20&sort=created_at_asc", None, "200", id="list"
    ),
    pytest.param("GET", "/b2b/v1/orders", "limit=500", None, "400 query.limit", id="list-limit"),
    pytest.param("GET", f"/b2b/v1/orders/{ORDER_ID}", "", None, "200", id="get"),
    pytest.param("GET", "/b2b/v1/orders/42", "", None, "400 path.order_id", id="get-bad-id"),
    pytest.param("POST", f"/b2b/v1/orders/{ORDER_ID}/cancel", "", {"reason": "other"}, "200", id="cancel"),
]


@pytest.mark.parametrize(("method", "path", "query", "data", "expected"), B2B_CASES)
def test_b2b_orders(method: str, path: str, query: str, data: Any, expected: str) -> None:
    v = RequestValidator.from_spec(B2B)
    raw = None if data is None else body(data)
    assert verdict(v, method, path, query, B2B_HEADERS, raw) == expected


def test_b2b_orders_by_catalog_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(B2B.parents[2])
    v = RequestValidator.from_spec("b2b-orders")
    assert v.name == "b2b-orders"
    assert verdict(v, "GET", "/b2b/v1/orders", "limit=0", B2B_HEADERS) == "400 query.limit"


class _Package:
    CONTRACT = str(B2B)


def test_generated_package_contract_attribute() -> None:
    assert verdict(RequestValidator.from_spec(_Package()), "GET", "/b2b/v1/orders", "", B2B_HEADERS) == "200"


BAD_SPECS = [
    pytest.param("no-such-contract", ContractNotFound, id="unknown-id"),
    pytest.param("does/not/exist.yaml", ContractNotFound, id="missing-file"),
    pytest.param({"swagger": "2.0"}, ContractInvalid, id="not-openapi"),
    pytest.param(42, UsageError, id="wrong-kind"),
]


@pytest.mark.parametrize(("spec", "error"), BAD_SPECS)
def test_bad_specs_are_clear_errors(spec: object, error: type[Exception], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(B2B.parents[2])
    with pytest.raises(error) as info:
        RequestValidator.from_spec(spec)
    assert getattr(info.value, "tip", None)


RESPONSES = [
    pytest.param("POST", 201, "application/json", {**GOOD, "id": UUID}, [], id="valid"),
    pytest.param(
        "POST", 201, "application/json", {**GOOD, "id": UUID, "secret": "x"}, ["response.body#/secret"], id="write-only"
    ),
    pytest.param(
        "POST", 201, "application/json", {"sku": "abc"}, ["response.body#", "response.body#"], id="missing-required"
    ),
    pytest.param("POST", 500, "application/json", {}, ["response.status"], id="undeclared-status"),
    pytest.param("POST", 201, "text/html", {}, ["response.header.content-type"], id="undeclared-type"),
]


@pytest.mark.parametrize(("method", "status", "content_type", "data", "expected"), RESPONSES)
def test_responses(
    validator: RequestValidator, method: str, status: int, content_type: str, data: Any, expected: list[str]
) -> None:
    errors = validator.validate_response(method, "/v1/orders", status, content_type, body(data))
    assert sorted(e.location for e in errors) == expected


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        pytest.param("/orders", True, id="outside-the-base-path-says-where-paths-are"),
        pytest.param("/b2b/v1/nothing", False, id="inside-the-base-path-no-hint"),
    ],
)
def test_unknown_path_names_the_base_path_when_it_is_missing(path: str, hint: bool) -> None:
    result = RequestValidator.from_spec(B2B).validate_request(method="GET", path=path, query="", headers=[], body=None)
    assert result.status == 404
    (error,) = result.errors
    assert ("under the server base path `/b2b/v1`" in error.message) is hint


class _CountingSchema:
    """Wraps a compiled schema and counts the errors the validator pulls from it, one by one or the first alone."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.pulled = 0
        self.firsts = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def is_valid(self, instance: Any) -> bool:
        return bool(self.inner.is_valid(instance))

    def errors(self, instance: Any) -> Any:
        for error in self.inner.errors(instance):
            self.pulled += 1
            yield error

    def first_error(self, instance: Any) -> Any:
        self.firsts += 1
        return self.inner.first_error(instance)


@pytest.mark.parametrize(
    ("items", "expected", "listed"),
    [
        pytest.param(3, 3, True, id="few"),
        pytest.param(50, 50, True, id="at-the-cap"),
        pytest.param(1000, 50, True, id="flood-in-a-small-body"),
        pytest.param(5000, 1, False, id="flood-in-a-large-body"),
    ],
)
def test_at_most_50_errors_are_listed_and_a_large_body_gets_its_first(items: int, expected: int, listed: bool) -> None:
    """Listing errors costs per error (jsonschema-rs builds them all): a body over 8 KiB gets its first error."""
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "cap", "version": "1"},
        "paths": {
            "/numbers": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"type": "integer", "minimum": 1}}
                            }
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    validator = RequestValidator.from_spec(spec)
    operation = validator.operation("POST", "/numbers")
    assert operation is not None and operation.media is not None
    counting = _CountingSchema(operation.media["application/json"].validator)
    operation.media["application/json"].validator = counting
    result = validator.validate_request(
        method="POST", path="/numbers", headers=[JSON], body=json.dumps([0] * items).encode()
    )
    assert result.status == 400
    assert [e.location for e in result.errors] == [f"body#/{i}" for i in range(expected)]
    assert (counting.pulled, counting.firsts) == ((expected, 0) if listed else (0, 1))


def test_a_large_body_under_a_one_of_is_judged_without_listing_its_errors() -> None:
    """A oneOf's first error carries every branch's errors (exponential in a recursive schema): not computed."""
    from ._attacks import attack_spec

    validator = RequestValidator.from_spec(attack_spec())
    operation = validator.operation("POST", "/api/expr")
    assert operation is not None and operation.media is not None
    counting = _CountingSchema(operation.media["application/json"].validator)
    operation.media["application/json"].validator = counting
    text = '"x"'
    for _ in range(12):
        text = '{"and": [' + text + '], "or": [' + text + "]}"
    result = validator.validate_request(method="POST", path="/api/expr", headers=[JSON], body=text.encode())
    assert result.status == 400
    assert [e.location for e in result.errors] == ["body#"]
    assert "are not listed one by one" in result.errors[0].message
    assert (counting.pulled, counting.firsts) == (0, 0)


def test_an_error_two_all_of_parts_report_is_listed_once() -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "pages", "version": "1"},
        "paths": {
            "/pages": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        {"type": "object", "properties": {"items": {"type": "array"}}},
                                        {"properties": {"items": {"type": "array", "items": {"type": "integer"}}}},
                                    ]
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "allOf": [
                                            {"properties": {"items": {"type": "array"}}},
                                            {"properties": {"items": {"type": "array"}}},
                                        ]
                                    }
                                }
                            },
                        }
                    },
                }
            }
        },
    }
    validator = RequestValidator.from_spec(spec)
    result = validator.validate_request(method="POST", path="/pages", headers=[JSON], body=b'{"items": "nope"}')
    assert [e.location for e in result.errors] == ["body#/items"]
    response = validator.validate_response("POST", "/pages", 200, "application/json", b'{"items": "nope"}')
    assert [e.location for e in response] == ["response.body#/items"]
