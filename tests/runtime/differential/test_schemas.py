"""Differential cases: OpenAPI 3.0 vs 3.1 schema semantics in request bodies.

``nullable`` (3.0) vs type arrays (3.1), boolean vs numeric ``exclusiveMinimum``, oneOf/anyOf/allOf, a
discriminator with a mapping, readOnly and writeOnly properties, 3.1-only keywords (const, prefixItems,
dependentRequired). The same table runs against both versions where the meaning is the same; the
version-specific rows say which version they are for.
"""

from __future__ import annotations

from typing import Any

import pytest

from ._support import Req, req

OK = {"200": {"description": "ok"}}


def spec(version: str) -> dict[str, Any]:
    """One body schema written the way each version spells it."""
    v30 = version.startswith("3.0")
    nullable_string: dict[str, Any] = {"type": "string", "nullable": True} if v30 else {"type": ["string", "null"]}
    positive: dict[str, Any] = (
        {"type": "number", "minimum": 0, "exclusiveMinimum": True} if v30 else {"type": "number", "exclusiveMinimum": 0}
    )
    properties: dict[str, Any] = {
        "pet": {"$ref": "#/components/schemas/Pet"},
        "shape": {
            "oneOf": [
                {"type": "object", "required": ["radius"], "properties": {"radius": {"type": "number"}}},
                {"type": "object", "required": ["side"], "properties": {"side": {"type": "number"}}},
            ]
        },
        "person": {"$ref": "#/components/schemas/Person"},
        "contact": {"$ref": "#/components/schemas/Contact"},
        "nick": nullable_string,
        "name": {"type": "string"},
        "score": positive,
        "id": {"type": "string", "readOnly": True},
        "secret": {"type": "string", "writeOnly": True},
        "kind": {"type": "string", "enum": ["a", "b"]},
    }
    if not v30:
        properties["version"] = {"const": 2}
        properties["point"] = {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}]}
        properties["range"] = {
            "type": "object",
            "properties": {"low": {"type": "integer"}, "high": {"type": "integer"}},
            "dependentRequired": {"low": ["high"]},
        }
    return {
        "openapi": version,
        "info": {"title": "schemas", "version": "1.0.0"},
        "paths": {
            "/payloads": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Payload"}}},
                    },
                    "responses": OK,
                }
            }
        },
        "components": {
            "schemas": {
                "Payload": {"type": "object", "properties": properties},
                "Cat": {
                    "type": "object",
                    "required": ["petType", "meow"],
                    "properties": {"petType": {"type": "string"}, "meow": {"type": "boolean"}},
                },
                "Dog": {
                    "type": "object",
                    "required": ["petType", "bark"],
                    "properties": {"petType": {"type": "string"}, "bark": {"type": "integer"}},
                },
                "Pet": {
                    "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                    "discriminator": {
                        "propertyName": "petType",
                        "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
                    },
                },
                "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                "Aged": {
                    "type": "object",
                    "required": ["age"],
                    "properties": {"age": {"type": "integer", "minimum": 0}},
                },
                "Person": {"allOf": [{"$ref": "#/components/schemas/Named"}, {"$ref": "#/components/schemas/Aged"}]},
                "Contact": {
                    "anyOf": [
                        {
                            "type": "object",
                            "required": ["email"],
                            "properties": {"email": {"type": "string", "format": "email"}},
                        },
                        {"type": "object", "required": ["phone"], "properties": {"phone": {"type": "string"}}},
                    ]
                },
            }
        },
    }


def post(payload: Any) -> Req:
    return req("POST", "/payloads", json_body=payload)


BOTH = ("3.0.3", "3.1.0")
V30 = ("3.0.3",)
V31 = ("3.1.0",)

CASES = [
    # nullable (3.0) and type arrays (3.1): the same meaning, spelled differently
    pytest.param(BOTH, post({"nick": None}), "ok", id="nullable-null"),
    pytest.param(BOTH, post({"nick": "x"}), "ok", id="nullable-string"),
    pytest.param(BOTH, post({"nick": 1}), "400 body#/nick", id="nullable-wrong-type"),
    pytest.param(BOTH, post({"name": None}), "400 body#/name", id="not-nullable-null"),
    pytest.param(BOTH, post({"kind": None}), "400 body#/kind", id="enum-null"),
    # exclusiveMinimum: boolean in 3.0, a number in 3.1
    pytest.param(BOTH, post({"score": 0.5}), "ok", id="exclusive-minimum-above"),
    pytest.param(BOTH, post({"score": 0}), "400 body#/score", id="exclusive-minimum-equal"),
    # oneOf with a discriminator
    pytest.param(BOTH, post({"pet": {"petType": "cat", "meow": True}}), "ok", id="one-of-cat"),
    pytest.param(BOTH, post({"pet": {"petType": "dog", "bark": 3}}), "ok", id="one-of-dog"),
    pytest.param(BOTH, post({"pet": {"petType": "dog"}}), "400 body#/pet", id="one-of-none"),
    pytest.param(BOTH, post({"pet": "cat"}), "400 body#/pet", id="one-of-not-an-object"),
    # the discriminator picks the schema: matching both alternatives is fine, matching the other one is not
    pytest.param(BOTH, post({"pet": {"petType": "dog", "bark": 1, "meow": True}}), "ok", id="discriminator-both"),
    pytest.param(BOTH, post({"pet": {"petType": "cat", "bark": 1}}), "400 body#/pet", id="discriminator-picks-cat"),
    pytest.param(BOTH, post({"pet": {"petType": "cat", "meow": "x"}}), "400 body#/pet/meow", id="discriminator-deep"),
    pytest.param(BOTH, post({"pet": {"petType": "Dog", "bark": 1}}), "ok", id="discriminator-implicit-name"),
    pytest.param(BOTH, post({"pet": {"bark": 1}}), "400 body#/pet", id="discriminator-missing"),
    # oneOf without a discriminator: exactly one alternative
    pytest.param(BOTH, post({"shape": {"radius": 1}}), "ok", id="one-of-plain-one"),
    pytest.param(BOTH, post({"shape": {"radius": 1, "side": 2}}), "400 body#/shape", id="one-of-plain-both"),
    pytest.param(BOTH, post({"shape": {}}), "400 body#/shape", id="one-of-plain-none"),
    # allOf
    pytest.param(BOTH, post({"person": {"name": "Ann", "age": 3}}), "ok", id="all-of-ok"),
    pytest.param(BOTH, post({"person": {"name": "Ann"}}), "400 body#/person", id="all-of-second-missing"),
    pytest.param(BOTH, post({"person": {"name": "Ann", "age": -1}}), "400 body#/person/age", id="all-of-bound"),
    # anyOf
    pytest.param(BOTH, post({"contact": {"email": "a@example.com"}}), "ok", id="any-of-first"),
    pytest.param(BOTH, post({"contact": {"phone": "+4971112"}}), "ok", id="any-of-second"),
    pytest.param(BOTH, post({"contact": {"email": "a@example.com", "phone": "1"}}), "ok", id="any-of-both"),
    pytest.param(BOTH, post({"contact": {"fax": "1"}}), "400 body#/contact", id="any-of-none"),
    # readOnly / writeOnly in a request (3.0; 3.1 is in KNOWN_DIFFERENCES)
    pytest.param(V30, post({"id": "x"}), "400 body#/id", id="read-only-sent"),
    pytest.param(BOTH, post({"secret": "s"}), "ok", id="write-only-sent"),
    # 3.1 only: JSON Schema 2020-12 keywords
    pytest.param(V31, post({"version": 2}), "ok", id="const-ok"),
    pytest.param(V31, post({"version": 3}), "400 body#/version", id="const-other"),
    pytest.param(V31, post({"point": [1.5, "a", True]}), "ok", id="prefix-items-ok"),
    pytest.param(V31, post({"point": ["a", "b"]}), "400 body#/point/0", id="prefix-items-first"),
    pytest.param(V31, post({"range": {"low": 1, "high": 2}}), "ok", id="dependent-required-ok"),
    pytest.param(V31, post({"range": {"low": 1}}), "400 body#/range", id="dependent-required-missing"),
]


@pytest.mark.parametrize(
    ("version", "request_", "expected"),
    [
        pytest.param(version, *case.values[1:], id=f"{case.id}-{version}")
        for case in CASES
        for version in case.values[0]
    ],
)
def test_schemas(check_case: Any, version: str, request_: Req, expected: str) -> None:
    check_case(f"schemas-{version}", spec(version), request_, expected)
