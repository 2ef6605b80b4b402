"""Where openapi-core (0.23) is itself wrong, or where contractkit deliberately differs: each reason says which.

Each row records both verdicts and the reason. The test asserts both, so it fails when openapi-core fixes its
side (the row can then move to the ordinary tables) or when contractkit drifts. These are the rows of
docs/middleware.md's "what differs from openapi-core".
"""

from __future__ import annotations

from typing import Any

import pytest

from ._support import Differential, Req, expect, explain, req
from .test_bodies import FILE, GOOD, META, MULTIPART, multipart, parts
from .test_bodies import spec as bodies_spec
from .test_parameters import spec as parameters_spec
from .test_routing_security import routing_spec
from .test_schemas import spec as schemas_spec

OK = {"200": {"description": "ok"}}


def oauth_spec(version: str) -> dict[str, Any]:
    """An operation guarded by OAuth 2.0 and one by OpenID Connect (both carry a bearer token on the wire)."""
    flows = {"clientCredentials": {"tokenUrl": "https://auth.example.com/token", "scopes": {"orders:read": "read"}}}
    return {
        "openapi": version,
        "info": {"title": "oauth", "version": "1.0.0"},
        "components": {
            "securitySchemes": {
                "oauth": {"type": "oauth2", "flows": flows},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://auth.example.com/.well-known/openid"},
            }
        },
        "paths": {
            "/oauth": {"get": {"security": [{"oauth": ["orders:read"]}], "responses": OK}},
            "/oidc": {"get": {"security": [{"oidc": []}], "responses": OK}},
        },
    }


def uri_spec(version: str) -> dict[str, Any]:
    """`format: uri` in a query parameter and in a form body (as twilio's callback URLs)."""
    uri = {"type": "string", "format": "uri"}
    form = {"type": "object", "properties": {"StatusCallback": uri}}
    return {
        "openapi": version,
        "info": {"title": "uri", "version": "1.0.0"},
        "paths": {
            "/callbacks": {
                "get": {"parameters": [{"name": "callback", "in": "query", "schema": uri}], "responses": OK},
                "post": {
                    "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
                    "responses": OK,
                },
            }
        },
    }


def styles_spec(version: str) -> dict[str, Any]:
    """Parameter styles openapi-core cannot read: label and matrix paths, exploded form objects, cookie arrays."""
    ints = {"type": "array", "items": {"type": "integer"}}
    point = {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}

    def op(name: str, where: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
        param = {"name": name, "in": where, "required": where == "path", "schema": schema, **extra}
        return {"get": {"parameters": [param], "responses": OK}}

    return {
        "openapi": version,
        "info": {"title": "styles", "version": "1.0.0"},
        "paths": {
            "/label/{id}": op("id", "path", {"type": "integer"}, style="label"),
            "/label-array/{ids}": op("ids", "path", ints, style="label", explode=True),
            "/matrix/{id}": op("id", "path", {"type": "integer"}, style="matrix"),
            "/matrix-array/{ids}": op("ids", "path", ints, style="matrix"),
            "/point": op("point", "query", point, style="form", explode=True),
            "/jar": op("ids", "cookie", ints),
        },
    }


MERGE_PATCH = "application/merge-patch+json"
VENDOR = "application/vnd.acme.order+json"
FORM = "application/x-www-form-urlencoded"

PLUS_JSON = (
    "openapi-core deserializes only `application/json` (and a few listed types) as JSON: a `+json` media type "
    "(RFC 6839 structured syntax suffix) such as `application/merge-patch+json` is validated as raw bytes, so "
    "every body is rejected as 'not of type object'. contractkit parses `+json` as JSON (issue 6)."
)
FORM_CAST = (
    "openapi-core casts form fields before validating and a failed cast is a body-level error with no path; "
    "contractkit reports the field (`body/age`), which is what a client needs to fix the request."
)
READ_ONLY_31 = (
    "openapi-core applies readOnly/writeOnly only to OpenAPI 3.0 (its 3.1 validators ignore them), so a 3.1 "
    "request may set a readOnly property. OAS 3.1 (4.8.24.4 `readOnly`) still says such a property SHOULD NOT be "
    "sent in a request; contractkit rejects it in both versions, as issue 6 asks."
)
OAUTH = (
    "openapi-core has no provider for oauth2 and openIdConnect schemes (it warns 'Unsupported scheme type' and "
    "accepts the request), so a request without any credential passes. Both schemes carry a bearer token in "
    "`Authorization`; contractkit requires its presence (401 otherwise)."
)
BOOLEAN = (
    "openapi-core casts y/yes/t/true/on/1 and n/no/f/false/off/0 to booleans (openapi_core.util.forcebool); "
    "OpenAPI serializes a boolean parameter as `true`/`false` (the JSON literals), and contractkit accepts only "
    "those. A judgement call: aligning with openapi-core is a one-line change in contractkit if services need it."
)
DISCRIMINATOR_LOCATION = (
    "Both reject a discriminator value that is neither in the mapping nor a schema name; openapi-core points at "
    "the object (its error is about an unresolvable `#/components/schemas/bird`), contractkit at the "
    "discriminating property itself."
)
EMPTY_SEGMENT = (
    "Both reject `/orders/` for the template `/orders/{order_id}`: openapi-core lets the template match an empty "
    "segment and fails the parameter (400), contractkit never matches a template segment to an empty one (404), "
    "as Starlette's own router does for the app behind the middleware."
)
URI_FORMAT = (
    "openapi-core checks `format: uri` only when the optional `rfc3987` package is installed (jsonschema's "
    "format checker); it is not a dependency of openapi-core, so `uri` goes unchecked. contractkit checks it."
)
MULTIPART_31_FILE = (
    "Under OpenAPI 3.1 openapi-core hands a file part to the schema as bytes, and `type: string` rejects bytes: "
    "no 3.1 multipart upload with a file is ever valid. contractkit judges a binary part as a string of as many "
    "characters as it has bytes, so the upload is valid."
)
MULTIPART_CRASH = (
    "openapi-core crashes (AssertionError in its multipart deserializer, a 500 from its middleware) on a body "
    "that is not multipart. contractkit answers 400 at `body`: no boundary parameter, or not valid multipart."
)
MULTIPART_TRUNCATED = (
    "A multipart body that ends before its closing boundary is incomplete (RFC 2046 section 5.1.1); openapi-core "
    "validates the parts it found, contractkit refuses the body (400 at `body`): a truncated upload must not "
    "reach the app as if it were whole."
)
MULTIPART_TEXT_CAST = (
    "A text part of an `integer` property (`count=3`) is cast before validation by contractkit, as openapi-core "
    "and contractkit both do for form-urlencoded fields; openapi-core validates the multipart part as the string "
    "'3' and refuses it, so no multipart body with a typed text part is ever valid there."
)
MULTIPART_JSON_LOCATION = (
    "Same verdict (400), but contractkit names the part that is not JSON (`body/meta`) where openapi-core says `body`."
)
MULTIPART_ENCODING = (
    "`encoding.file.contentType` restricts the file part to STL or octet-stream; openapi-core 0.23 does not check "
    "a part's content type under 3.0 (it does under 3.1), contractkit does under both."
)
REPEATED = (
    "A parameter that takes one value, given twice (`?limit=5&limit=500`, two `ids=` lists, a deepObject key or a "
    "content parameter twice): openapi-core validates the first value and passes, but frameworks disagree on "
    "which value the app sees (Starlette: the last, Flask: the first), so a value that was never checked could "
    "reach the app. contractkit refuses the repetition (400 at the parameter). Exploded arrays repeat by design "
    "and are validated whole."
)
OAS30_INTEGRAL_FLOAT = (
    "`2.0` for an `integer` in an OAS 3.0 contract: openapi-core judges it with JSON Schema draft 4 (an integer has no "
    "fraction part in its text); contractkit reads an OAS 3.0 `integer` as draft 6+ and OAS 3.1 do (a number with "
    "no fractional part), so a body means the same in a 3.0 and a 3.1 contract and the generated models (JsonInt) "
    "take what the middleware takes (tests/workflow/test_parts_agree.py)."
)
HEAD_AS_GET = (
    "RFC 9110 section 9.3.2: HEAD is GET without content, and servers (Starlette, Flask) answer HEAD on every GET "
    "route. openapi-core answers 405 to a HEAD the contract does not declare, which breaks health checks; "
    "contractkit validates it as the GET it mirrors."
)
STRICT_INTEGER = (
    "openapi-core casts a query integer with Python's int(), which reads `05`, ` 5` (`+5` decoded) and the "
    "full-width digit `\uff15` as 5; contractkit accepts only the canonical decimal form (what JSON Schema's integer "
    "means in JSON), so a value an app might read differently is refused."
)
FLOAT_RANGE = (
    "`1e400` is beyond the range of a 64-bit float: Python reads it as infinity, which openapi-core accepts for "
    "`minimum: 0`. contractkit refuses a number it cannot represent (400 at the parameter, as for JSON bodies), "
    "rather than validate infinity in its place."
)
DEEP_CONTENT = (
    "A `content`-encoded (JSON) parameter nested 50,000 levels deep: openapi-core crashes (RecursionError, a 500 "
    "from its middleware); contractkit answers 400 at the parameter."
)
LABEL_MATRIX = (
    "openapi-core cannot read `label` and `matrix` path parameters: every request, valid or not, fails with "
    "'Missing required path parameter'. contractkit deserializes both styles (explode true and false)."
)
FORM_OBJECT = (
    "An object query parameter with `style: form, explode: true` is sent as its properties (`?x=1&y=2`); "
    "openapi-core looks for a `point` key, finds none and skips the (optional) parameter, so nothing is validated. "
    "contractkit collects the properties and validates them."
)
COOKIE_ARRAY = (
    "Cookies are `form` style with `explode: true` by default, which for an array means repeated `ids=` pairs, "
    "something a Cookie header cannot carry; openapi-core reads `ids=1,2` as the single item `1,2` and rejects "
    "it, contractkit reads the comma-separated list (as `explode: false`). A judgement call in contractkit's favour "
    "of what clients actually send."
)
NON_UTF8 = (
    "Same verdict (400 at `body`), but openapi-core crashes turning the error into text: "
    "MediaTypeDeserializeError.__str__ decodes the raw body as UTF-8 and raises UnicodeDecodeError, which "
    "its Starlette middleware turns into a 500. contractkit answers a 400 problem."
)
LONE_SURROGATE = (
    "JSON lets a string escape half a UTF-16 surrogate pair (`\\ud800`); Python's json module parses it into a str "
    "that cannot be encoded as UTF-8. openapi-core validates that str and passes the request, so the app fails "
    "later (a UnicodeEncodeError when it stores or re-serialises the value). contractkit rejects it at the "
    "string's location, as RFC 8259 section 8.2 and I-JSON (RFC 7493) allow: it is not Unicode text."
)

# (spec name, spec, request, openapi-core's verdict, contractkit's verdict, reason)
KNOWN_DIFFERENCES = [
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("POST", "/orders", body=rb'{"sku": "ab\ud800", "qty": 1}', content_type="application/json"),
        "ok",
        "400 body#/sku",
        LONE_SURROGATE,
        id="lone-surrogate-in-a-string",
    ),
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("PATCH", "/orders/patch", json_body=GOOD, content_type=MERGE_PATCH),
        "400 body#",
        "ok",
        PLUS_JSON,
        id="plus-json-merge-patch-valid",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/vendor", json_body=GOOD, content_type=VENDOR),
        "400 body#",
        "ok",
        PLUS_JSON,
        id="plus-json-vendor-valid",
    ),
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("PATCH", "/orders/patch", json_body={"sku": 1, "qty": 1}, content_type=MERGE_PATCH),
        "400 body#",
        "400 body#/sku",
        PLUS_JSON,
        id="plus-json-invalid-located",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/forms", body="name=Ann&age=x", content_type=FORM),
        "400 body#",
        "400 body#/age",
        FORM_CAST,
        id="form-field-cast-located",
    ),
    pytest.param(
        "schemas-3.1.0",
        schemas_spec("3.1.0"),
        req("POST", "/payloads", json_body={"id": "x"}),
        "ok",
        "400 body#/id",
        READ_ONLY_31,
        id="read-only-in-3.1-request",
    ),
    pytest.param(
        "parameters-3.0.3",
        parameters_spec("3.0.3"),
        req("GET", "/v1/search", "active=yes"),
        "ok",
        "400 query.active",
        BOOLEAN,
        id="boolean-yes",
    ),
    pytest.param(
        "parameters-3.1.0",
        parameters_spec("3.1.0"),
        req("GET", "/v1/search", "active=0"),
        "ok",
        "400 query.active",
        BOOLEAN,
        id="boolean-zero",
    ),
    pytest.param(
        "schemas-3.0.3",
        schemas_spec("3.0.3"),
        req("POST", "/payloads", json_body={"pet": {"petType": "bird", "bark": 1}}),
        "400 body#/pet",
        "400 body#/pet/petType",
        DISCRIMINATOR_LOCATION,
        id="discriminator-unknown-value",
    ),
    pytest.param(
        "routing-3.1.0",
        routing_spec("3.1.0"),
        req("GET", "/v1/orders/"),
        "400 path.order_id",
        "404",
        EMPTY_SEGMENT,
        id="empty-template-segment",
    ),
    pytest.param(
        "uri-3.1.0",
        uri_spec("3.1.0"),
        req("GET", "/callbacks", "callback=not%20a%20uri"),
        "ok",
        "400 query.callback",
        URI_FORMAT,
        id="uri-format-query",
    ),
    pytest.param(
        "uri-3.0.3",
        uri_spec("3.0.3"),
        req("POST", "/callbacks", body="StatusCallback=", content_type=FORM),
        "ok",
        "400 body#/StatusCallback",
        URI_FORMAT,
        id="uri-format-empty-form-field",
    ),
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("POST", "/uploads", body=multipart(("file", "a.stl", "solid a")), content_type=MULTIPART),
        "400 body#/file",
        "ok",
        MULTIPART_31_FILE,
        id="multipart-file-31",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/uploads", body=b"garbage", content_type="multipart/form-data"),
        "500 crash:AssertionError",
        "400 body#",
        MULTIPART_CRASH,
        id="multipart-no-boundary",
    ),
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("POST", "/uploads", body=b"garbage", content_type=MULTIPART),
        "500 crash:AssertionError",
        "400 body#",
        MULTIPART_CRASH,
        id="multipart-not-multipart",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/parts", body=parts()[:-12], content_type=MULTIPART),
        "ok",
        "400 body#",
        MULTIPART_TRUNCATED,
        id="multipart-truncated",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/parts", body=parts(("count", None, "3")), content_type=MULTIPART),
        "400 body#/count",
        "ok",
        MULTIPART_TEXT_CAST,
        id="multipart-integer-part",
    ),
    pytest.param(
        "bodies-3.1.0",
        bodies_spec("3.1.0"),
        req("POST", "/parts", body=parts(meta='{"sku": '), content_type=MULTIPART),
        "400 body#",
        "400 body#/meta",
        MULTIPART_JSON_LOCATION,
        id="multipart-json-part-malformed",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req(
            "POST",
            "/parts",
            body=multipart(META, FILE, content_types={"meta": "application/json", "file": "text/html"}),
            content_type=MULTIPART,
        ),
        "ok",
        "400 body#/file",
        MULTIPART_ENCODING,
        id="multipart-part-content-type-30",
    ),
    *(
        pytest.param(
            f"parameters-{version}",
            parameters_spec(version),
            req("GET", "/v1/search", query) if path is None else req("GET", path, query),
            "ok",
            f"400 {location}",
            REPEATED,
            id=f"repeated-{name}-{version}",
        )
        for version in ("3.0.3", "3.1.0")
        for name, path, query, location in (
            ("scalar", None, "limit=5&limit=500", "query.limit"),
            ("csv-array", None, "ids=1,2&ids=3", "query.ids"),
            ("deep-object-key", None, "filter[size]=1&filter[size]=x", "query.filter"),
            ("content", "/v1/styles/1", "where=%7B%22x%22%3A1%7D&where=%7B%7D", "query.where"),
        )
    ),
    *(
        pytest.param(
            "parameters-3.1.0",
            parameters_spec("3.1.0"),
            req("GET", "/v1/search", f"limit={value}"),
            "ok",
            "400 query.limit",
            STRICT_INTEGER,
            id=f"strict-integer-{name}",
        )
        for name, value in (("leading-zero", "05"), ("plus", "+5"), ("full-width", "%EF%BC%95"))
    ),
    pytest.param(
        "parameters-3.0.3",
        parameters_spec("3.0.3"),
        req("GET", "/v1/search", "price=1e400"),
        "ok",
        "400 query.price",
        FLOAT_RANGE,
        id="number-beyond-float-range",
    ),
    pytest.param(
        "parameters-3.1.0",
        parameters_spec("3.1.0"),
        req("GET", "/v1/styles/1", "where=" + "%5B" * 50_000 + "%5D" * 50_000),
        "500 crash:RecursionError",
        "400 query.where",
        DEEP_CONTENT,
        id="content-parameter-nested-50000",
    ),
    pytest.param(
        "bodies-3.0.3",
        bodies_spec("3.0.3"),
        req("POST", "/orders", json_body={"sku": "A-1", "qty": 2.0}),
        "400 body#/qty",
        "ok",
        OAS30_INTEGRAL_FLOAT,
        id="oas30-integral-float",
    ),
    pytest.param(
        "routing-3.1.0",
        routing_spec("3.1.0"),
        req("HEAD", "/v1/orders"),
        "405",
        "ok",
        HEAD_AS_GET,
        id="head-as-get",
    ),
    pytest.param(
        "styles-3.0.3",
        styles_spec("3.0.3"),
        req("GET", "/label/.5"),
        "400 path.id",
        "ok",
        LABEL_MATRIX,
        id="label-valid",
    ),
    pytest.param(
        "styles-3.1.0",
        styles_spec("3.1.0"),
        req("GET", "/label-array/.1.2"),
        "400 path.ids",
        "ok",
        LABEL_MATRIX,
        id="label-array-explode-valid",
    ),
    pytest.param(
        "styles-3.0.3",
        styles_spec("3.0.3"),
        req("GET", "/matrix/;id=5"),
        "400 path.id",
        "ok",
        LABEL_MATRIX,
        id="matrix-valid",
    ),
    pytest.param(
        "styles-3.1.0",
        styles_spec("3.1.0"),
        req("GET", "/matrix-array/;ids=1,2"),
        "400 path.ids",
        "ok",
        LABEL_MATRIX,
        id="matrix-array-valid",
    ),
    pytest.param(
        "styles-3.0.3",
        styles_spec("3.0.3"),
        req("GET", "/point", "x=a&y=2"),
        "ok",
        "400 query.point",
        FORM_OBJECT,
        id="form-object-explode-invalid",
    ),
    pytest.param(
        "styles-3.1.0",
        styles_spec("3.1.0"),
        req("GET", "/jar", headers={"cookie": "ids=1,2"}),
        "400 cookie.ids",
        "ok",
        COOKIE_ARRAY,
        id="cookie-array-default-explode",
    ),
    pytest.param(
        "oauth-3.0.3", oauth_spec("3.0.3"), req("GET", "/oauth"), "ok", "401 security", OAUTH, id="oauth2-missing-30"
    ),
    pytest.param(
        "oauth-3.1.0", oauth_spec("3.1.0"), req("GET", "/oidc"), "ok", "401 security", OAUTH, id="oidc-missing-31"
    ),
]


@pytest.mark.parametrize(("name", "spec", "request_", "reference", "ours", "reason"), KNOWN_DIFFERENCES)
def test_known_difference(
    differential: Differential, name: str, spec: Any, request_: Req, reference: str, ours: str, reason: str
) -> None:
    assert reason
    ref = differential.reference(name, spec).verdict(request_)
    assert ref == expect(reference), (
        f"openapi-core changed: move the case to a table?{explain(request_, ref, expect(reference), 'recorded')}"
    )
    ck = differential.contractkit(name, spec).verdict(request_)
    assert ck == expect(ours), f"contractkit changed{explain(request_, ref, ck)}"


NON_UTF8_BODIES = [
    pytest.param(b"\xff\xfe{}", id="invalid-start-byte"),
    pytest.param(b'{"sku": "\xc3\x28", "qty": 1}', id="invalid-continuation-in-string"),
]


@pytest.mark.parametrize("body", NON_UTF8_BODIES)
def test_non_utf8_body(differential: Differential, body: bytes) -> None:
    assert NON_UTF8
    request_ = req("POST", "/orders", body=body, content_type="application/json")
    ref = differential.reference("bodies-3.1.0", bodies_spec("3.1.0")).verdict(request_)
    assert ref == expect("400 body#"), explain(request_, ref, expect("400 body#"), "recorded")
    assert "raised UnicodeDecodeError" in ref.detail, f"openapi-core now formats the error: {ref.detail}"
    ck = differential.contractkit("bodies-3.1.0", bodies_spec("3.1.0")).verdict(request_)
    assert ck == expect("400 body#"), explain(request_, ref, ck)
