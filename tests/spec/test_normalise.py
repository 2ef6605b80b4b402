"""The one schema normaliser: OAS 3.0/3.1 and AsyncAPI (draft-07) fragments -> JSON Schema 2020-12, as a table."""

from __future__ import annotations

from typing import Any

import pytest

from contractkit.spec.normalise import SchemaConverter

_HIDE = {"type": "object", "properties": {"id": {"type": "string", "readOnly": True}}, "required": ["id"]}
_PET = {
    "components": {
        "schemas": {
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
        }
    }
}
_CAT, _DOG = {"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}

CASES = [
    pytest.param("oas3.0", "plain", {"type": "string", "nullable": True}, {"type": ["string", "null"]},
                 id="30-nullable"),
    pytest.param(
        "oas3.0", "plain", {"enum": ["a"], "type": "string", "nullable": True},
        {"enum": ["a", None], "type": ["string", "null"]}, id="30-nullable-enum",
    ),
    pytest.param(
        "oas3.0", "plain", {"nullable": True, "minLength": 1},
        {"anyOf": [{"type": "null"}, {"minLength": 1}]}, id="30-nullable-untyped",
    ),
    pytest.param("oas3.1", "plain", {"type": "string", "nullable": True}, {"type": "string", "nullable": True},
                 id="31-nullable-is-no-keyword"),
    pytest.param(
        "oas3.0", "request", {"nullable": True, "properties": {"id": {"type": "string", "readOnly": True}}},
        {"anyOf": [{"type": "null"}, {"properties": {"id": False}}]}, id="30-nullable-untyped-wraps-last",
    ),
    pytest.param("oas3.0", "plain", {"nullable": True, "format": "int32"},
                 {"anyOf": [{"type": "null"}, {"format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}]},
                 id="30-nullable-untyped-int32"),
    pytest.param("oas3.0", "plain", {"type": ["string", "integer"], "nullable": True},
                 {"type": ["string", "integer", "null"]}, id="30-nullable-type-list"),
    pytest.param(
        "oas3.0", "plain", {"type": "number", "minimum": 0, "exclusiveMinimum": True, "exclusiveMaximum": False},
        {"type": "number", "exclusiveMinimum": 0}, id="30-exclusive-booleans",
    ),
    pytest.param("oas3.1", "plain", {"type": "number", "exclusiveMinimum": 0},
                 {"type": "number", "exclusiveMinimum": 0}, id="31-exclusive-number"),
    pytest.param(
        "oas3.1", "plain", {"type": "string", "example": "x", "examples": ["y"], "description": "d", "x-a": 1,
                            "$comment": "c", "$id": "urn:x", "title": "t", "deprecated": True},
        {"type": "string"}, id="annotations-dropped",
    ),
    pytest.param(
        "oas3.0", "plain", {"type": "integer", "format": "int32"},
        {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}, id="int32-bounds",
    ),
    pytest.param("oas3.1", "plain", {"type": "string", "format": "date-time"},
                 {"type": "string", "format": "date-time"}, id="other-formats-kept"),
    pytest.param("oas3.1", "request", _HIDE, {"type": "object", "properties": {"id": False}, "required": []},
                 id="read-only-in-request"),
    pytest.param("oas3.1", "response", _HIDE, _HIDE, id="read-only-in-response"),
    pytest.param("oas3.1", "plain", _HIDE, _HIDE, id="read-only-plain"),
    pytest.param("oas3.0", "plain", {"$ref": "#/components/schemas/Cat", "nullable": True}, _CAT,
                 id="30-ref-siblings-dropped"),
    pytest.param(
        "oas3.1", "plain", {"$ref": "#/components/schemas/Cat", "required": ["kind"]},
        {"allOf": [_CAT, {"required": ["kind"]}]}, id="31-ref-siblings-apply",
    ),
    pytest.param("draft-07", "plain", {"$ref": "#/components/schemas/Cat", "required": ["kind"]}, _CAT,
                 id="draft7-ref-siblings-dropped"),
    pytest.param(
        "draft-07", "plain", {"type": "array", "items": [{"type": "string"}], "additionalItems": False},
        {"type": "array", "prefixItems": [{"type": "string"}], "items": False}, id="draft7-tuple",
    ),
    pytest.param(
        "draft-07", "plain", {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}},
        {"dependentRequired": {"a": ["b"]}, "dependentSchemas": {"c": {"required": ["d"]}}}, id="draft7-dependencies",
    ),
    pytest.param(
        "oas3.1", "plain",
        {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
         "discriminator": {"propertyName": "kind"}},
        {"discriminator": {"propertyName": "kind"}, "type": "object", "allOf": [
            {"required": ["kind"], "properties": {"kind": {"enum": ["Cat", "Dog"], "$comment": "discriminator"}},
             "$comment": "discriminator"},
            {"if": {"properties": {"kind": {"const": "Cat"}}, "required": ["kind"]}, "then": _CAT},
            {"if": {"properties": {"kind": {"const": "Dog"}}, "required": ["kind"]}, "then": _DOG},
        ]},
        id="discriminator-implicit-mapping",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("dialect", "direction", "schema", "expected"), CASES)
def test_a_fragment_normalises_to_json_schema_2020_12(
    dialect: Any, direction: Any, schema: dict[str, Any], expected: dict[str, Any]
) -> None:
    converter = SchemaConverter(_PET, dialect=dialect, direction=direction)
    assert converter.convert(schema) == expected


def test_recursion_becomes_a_defs_pointer_and_a_broken_ref_is_recorded() -> None:
    root = {
        "components": {
            "schemas": {"Node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}}
        }
    }
    converter = SchemaConverter(root, dialect="oas3.1", direction="plain")
    schema = converter.root_schema({"$ref": "#/components/schemas/Node"})
    assert schema["$defs"]["Node"]["properties"]["next"] == {"$ref": "#/$defs/Node"}
    assert not converter.broken
    converter.root_schema({"$ref": "#/components/schemas/Missing"})
    converter.root_schema({"$ref": "other.yaml#/Thing"})
    assert converter.broken == {"Missing", "Thing"}
