"""Differential cases: request bodies per content type (JSON, ``+json``, form, multipart), required bodies, 415.

Every case runs through openapi-core and contractkit, in an OpenAPI 3.0 and a 3.1 spec, and both must reach the
table's verdict. Body locations are JSON-pointer-like (``body/items/0/qty``); an error about the whole body or
about a missing required property is reported at the object that lacks it (``body``, ``body/customer``).
"""

from __future__ import annotations

from typing import Any

import pytest

from ._support import Req, req

VERSIONS = ("3.0.3", "3.1.0")
OK = {"200": {"description": "ok"}}

ORDER = {
    "type": "object",
    "required": ["sku", "qty"],
    "additionalProperties": False,
    "properties": {
        "sku": {"type": "string", "minLength": 1},
        "qty": {"type": "integer", "minimum": 1},
        "note": {"type": "string", "maxLength": 10},
        "customer": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
        },
        "items": {
            "type": "array",
            "items": {"type": "object", "properties": {"qty": {"type": "integer", "minimum": 1}}},
        },
    },
}
FORM = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "minLength": 1}, "age": {"type": "integer", "minimum": 0}},
}

UPLOAD = {
    "type": "object",
    "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
}
# A multipart body with a JSON part, a file part whose content type `encoding` restricts, a cast part, an array.
PARTS = {
    "type": "object",
    "required": ["meta", "file"],
    "properties": {
        "meta": {
            "type": "object",
            "required": ["sku"],
            "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}},
        },
        "file": {"type": "string", "format": "binary"},
        "count": {"type": "integer", "minimum": 1},
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
    },
}
PARTS_ENCODING = {"file": {"contentType": "model/stl, application/octet-stream"}}
BOUNDARY = "contractkit-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(*parts: tuple[str, str | None, str], content_types: dict[str, str] | None = None) -> bytes:
    """A multipart/form-data body of (field name, file name or None, content) parts.

    A file part says ``application/octet-stream`` unless ``content_types`` names its type (by field name); a part
    named there gets that ``Content-Type`` too.
    """
    chunks = []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        media = (content_types or {}).get(name, "application/octet-stream" if filename else None)
        kind = f"\r\nContent-Type: {media}" if media else ""
        chunks.append(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}{kind}\r\n\r\n{content}\r\n")
    return ("".join(chunks) + f"--{BOUNDARY}--\r\n").encode()


STL = {"file": "model/stl", "meta": "application/json"}
META = ("meta", None, '{"sku": "A"}')
FILE = ("file", "a.stl", "solid a")


def parts(*extra: tuple[str, str | None, str], meta: str = '{"sku": "A"}', file: bool = True) -> bytes:
    """A body for ``/parts``: the JSON ``meta`` part, the STL file part (unless ``file=False``), then ``extra``."""
    return multipart(("meta", None, meta), *([FILE] if file else []), *extra, content_types=STL)


def spec(version: str) -> dict[str, Any]:
    """Bodies of several content types; the same schemas in 3.0 and 3.1."""

    def body(content: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
        return {"requestBody": {"required": required, "content": content}, "responses": OK}

    return {
        "openapi": version,
        "info": {"title": "bodies", "version": "1.0.0"},
        "paths": {
            "/orders": {"post": body({"application/json": {"schema": ORDER}})},
            "/orders/patch": {"patch": body({"application/merge-patch+json": {"schema": ORDER}})},
            "/vendor": {"post": body({"application/vnd.acme.order+json": {"schema": ORDER}})},
            "/notes": {"post": body({"application/json": {"schema": ORDER}}, required=False)},
            "/forms": {"post": body({"application/x-www-form-urlencoded": {"schema": FORM}})},
            "/uploads": {"post": body({"multipart/form-data": {"schema": UPLOAD}})},
            "/parts": {"post": body({"multipart/form-data": {"schema": PARTS, "encoding": PARTS_ENCODING}})},
            "/either": {
                "post": body(
                    {
                        "application/json": {"schema": ORDER},
                        "application/x-www-form-urlencoded": {"schema": FORM},
                    }
                )
            },
        },
    }


GOOD = {"sku": "A-1", "qty": 2}
JSON = "application/json"
FORM_CT = "application/x-www-form-urlencoded"

CASES = [
    # JSON
    pytest.param(req("POST", "/orders", json_body=GOOD), "ok", id="json-ok"),
    pytest.param(
        req("POST", "/orders", json_body=GOOD, content_type="application/json; charset=utf-8"),
        "ok",
        id="json-charset-parameter",
    ),
    pytest.param(req("POST", "/orders", json_body={"sku": "A-1"}), "400 body#", id="json-required-property-missing"),
    pytest.param(req("POST", "/orders", json_body={"sku": "A-1", "qty": "2"}), "400 body#/qty", id="json-wrong-type"),
    pytest.param(req("POST", "/orders", json_body={"sku": "A-1", "qty": 0}), "400 body#/qty", id="json-below-minimum"),
    pytest.param(req("POST", "/orders", json_body={**GOOD, "extra": 1}), "400 body#", id="json-additional-property"),
    pytest.param(
        req("POST", "/orders", json_body={**GOOD, "customer": {"email": "x@example.com"}}),
        "400 body#/customer",
        id="json-nested-required",
    ),
    pytest.param(
        req("POST", "/orders", json_body={**GOOD, "customer": {"name": "A", "email": "nope"}}),
        "400 body#/customer/email",
        id="json-nested-format",
    ),
    pytest.param(
        req("POST", "/orders", json_body={**GOOD, "items": [{"qty": 1}, {"qty": 0}]}),
        "400 body#/items/1/qty",
        id="json-array-index",
    ),
    pytest.param(req("POST", "/orders", json_body=[GOOD]), "400 body#", id="json-array-for-object"),
    pytest.param(req("POST", "/orders", body="null", content_type=JSON), "400 body#", id="json-null"),
    pytest.param(req("POST", "/orders", body='{"sku": "A-1", ', content_type=JSON), "400 body#", id="json-malformed"),
    pytest.param(req("POST", "/orders", body="", content_type=JSON), "400 body#", id="json-empty-required"),
    pytest.param(req("POST", "/orders"), "400 body#", id="json-absent-required"),
    # optional body
    pytest.param(req("POST", "/notes"), "ok", id="optional-absent"),
    pytest.param(req("POST", "/notes", json_body=GOOD), "ok", id="optional-present"),
    pytest.param(req("POST", "/notes", json_body={"qty": 1}), "400 body#", id="optional-present-invalid"),
    # form-urlencoded
    pytest.param(req("POST", "/forms", body="name=Ann&age=3", content_type=FORM_CT), "ok", id="form-ok"),
    pytest.param(req("POST", "/forms", body="name=Ann", content_type=FORM_CT), "ok", id="form-optional-field"),
    pytest.param(req("POST", "/forms", body="name=Ann&age=-1", content_type=FORM_CT), "400 body#/age", id="form-bound"),
    pytest.param(req("POST", "/forms", body="age=3", content_type=FORM_CT), "400 body#", id="form-required-missing"),
    # multipart (a file part in 3.1 is in KNOWN_DIFFERENCES)
    pytest.param(req("POST", "/uploads", content_type=MULTIPART), "400 body#", id="multipart-absent-required"),
    pytest.param(req("POST", "/parts", body=parts(file=False), content_type=MULTIPART), "400 body#", id="part-missing"),
    # content negotiation
    pytest.param(req("POST", "/orders", body="<order/>", content_type="application/xml"), "415", id="undeclared-xml"),
    pytest.param(req("POST", "/forms", json_body={"name": "Ann"}), "415", id="json-to-form-only"),
    pytest.param(req("POST", "/either", json_body=GOOD), "ok", id="two-types-json"),
    pytest.param(req("POST", "/either", body="name=Ann", content_type=FORM_CT), "ok", id="two-types-form"),
    pytest.param(req("POST", "/either", body="age=1", content_type=FORM_CT), "400 body#", id="two-types-form-invalid"),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("request_", "expected"), CASES)
def test_bodies(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"bodies-{version}", spec(version), request_, expected)


# OpenAPI 3.0 only: openapi-core cannot validate a binary file part under 3.1 (see KNOWN_DIFFERENCES)
CASES_30 = [
    pytest.param(
        req("POST", "/uploads", body=multipart(("file", "a.stl", "solid a")), content_type=MULTIPART),
        "ok",
        id="multipart-file",
    ),
    pytest.param(
        req(
            "POST",
            "/uploads",
            body=multipart(("file", "a.stl", "solid a"), ("note", None, "hi")),
            content_type=MULTIPART,
        ),
        "ok",
        id="multipart-file-and-field",
    ),
    pytest.param(
        req("POST", "/uploads", body=multipart(("note", None, "hi")), content_type=MULTIPART),
        "400 body#",
        id="multipart-required-part-missing",
    ),
    pytest.param(req("POST", "/parts", body=parts(), content_type=MULTIPART), "ok", id="parts-ok"),
    pytest.param(
        req("POST", "/parts", body=parts(meta='{"qty": 0}'), content_type=MULTIPART),
        "400 body#/meta body#/meta/qty",
        id="parts-json-part-invalid",
    ),
    pytest.param(
        req("POST", "/parts", body=parts(("count", None, "zero")), content_type=MULTIPART),
        "400 body#/count",
        id="parts-text-part-not-an-integer",
    ),
    pytest.param(
        req("POST", "/parts", body=parts(("tags", None, "ab"), ("tags", None, "abcd")), content_type=MULTIPART),
        "400 body#/tags/1",
        id="parts-array-item-too-long",
    ),
    pytest.param(
        req("POST", "/parts", body=parts(("count", None, "3"), ("count", None, "4")), content_type=MULTIPART),
        "400 body#/count",
        id="parts-repeated-part",
    ),
]


@pytest.mark.parametrize(("request_", "expected"), CASES_30)
def test_bodies_30(check_case: Any, request_: Req, expected: str) -> None:
    check_case("bodies-3.0.3", spec("3.0.3"), request_, expected)
