"""The normalised view of a schema: 3.0 and 3.1 spellings of the same meaning must give the same facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractkit.breaking.openapi.schema_view import Bound, SchemaView, accepts, overlap, view
from contractkit.breaking.openapi.variants import match_variants
from contractkit.loaders import Cursor, FileStore, open_document

V30, V31 = "3.0.3", "3.1.0"


def components(version: str, schemas: dict[str, object], tmp_path: Path) -> Cursor:
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    cursor = open_document(path, store=FileStore()).cursor().get("components")
    assert cursor is not None
    schemas_cursor = cursor.get("schemas")
    assert schemas_cursor is not None
    return schemas_cursor


def view_of(version: str, schema: object, tmp_path: Path, **others: object) -> SchemaView:
    cursor = components(version, {"S": schema, **others}, tmp_path).get("S")
    assert cursor is not None
    return view(cursor, openapi_30=version == V30)


@pytest.mark.parametrize(
    ("version", "schema", "types", "nullable"),
    [
        pytest.param(V30, {"type": "string", "nullable": True}, {"string"}, True, id="3.0-nullable"),
        pytest.param(V31, {"type": "string", "nullable": True}, {"string"}, False, id="3.1-ignores-nullable"),
        pytest.param(V31, {"type": ["string", "null"]}, {"string"}, True, id="3.1-type-array"),
        pytest.param(V31, {"type": "null"}, set(), True, id="3.1-only-null"),
        pytest.param(V31, {"oneOf": [{"type": "string"}, {"type": "null"}]}, {"string"}, True, id="3.1-oneof-null"),
        pytest.param(V30, {"type": "string", "enum": ["a", None]}, {"string"}, True, id="enum-with-null"),
        pytest.param(V30, {"allOf": [{"type": "string"}], "nullable": True}, {"string"}, True, id="3.0-allof-nullable"),
        pytest.param(V30, {"oneOf": [{"type": "integer"}]}, {"integer"}, False, id="single-member-oneof"),
        pytest.param(V31, {"properties": {"a": {"type": "string"}}}, {"object"}, False, id="properties-imply-object"),
        pytest.param(V31, {"items": {"type": "string"}}, {"array"}, False, id="items-imply-array"),
        pytest.param(V31, {"minLength": 1}, None, False, id="untyped-is-any"),
        pytest.param(
            V31,
            {"allOf": [{"type": ["integer", "string"]}, {"type": "integer"}]},
            {"integer"},
            False,
            id="allof-intersects",
        ),
    ],
)
def test_types_and_nullable(
    version: str, schema: object, types: set[str] | None, nullable: bool, tmp_path: Path
) -> None:
    result = view_of(version, schema, tmp_path)
    assert (set(result.types) if result.types is not None else None, result.nullable) == (types, nullable)


@pytest.mark.parametrize(
    ("version", "schema", "enum", "open_enum"),
    [
        pytest.param(V31, {"const": "a"}, ["a"], None, id="const"),
        pytest.param(V31, {"enum": ["a", "b"], "x-extensible-enum": True}, ["a", "b"], True, id="open"),
        pytest.param(V31, {"enum": ["a", "b"], "x-extensible-enum": False}, ["a", "b"], False, id="closed"),
        pytest.param(V30, {"type": "string", "x-extensible-enum": ["a", "b"]}, ["a", "b"], True, id="zalando-list"),
        pytest.param(V30, {"type": "string"}, None, None, id="no-enum"),
    ],
)
def test_enum(version: str, schema: object, enum: list[object] | None, open_enum: bool | None, tmp_path: Path) -> None:
    result = view_of(version, schema, tmp_path)
    assert (result.enum, result.open_enum) == (enum, open_enum)


@pytest.mark.parametrize(
    ("version", "schema", "bounds"),
    [
        pytest.param(V30, {"maximum": 10}, {"maximum": Bound(10)}, id="inclusive"),
        pytest.param(
            V30, {"maximum": 10, "exclusiveMaximum": True}, {"maximum": Bound(10, True)}, id="3.0-exclusive-flag"
        ),
        pytest.param(V30, {"minimum": 0, "exclusiveMinimum": False}, {"minimum": Bound(0)}, id="3.0-flag-false"),
        pytest.param(V31, {"exclusiveMaximum": 10}, {"maximum": Bound(10, True)}, id="3.1-exclusive-number"),
        pytest.param(V31, {"maximum": 10, "exclusiveMaximum": 11}, {"maximum": Bound(10)}, id="3.1-tighter-wins"),
        pytest.param(
            V31, {"maximum": 10, "exclusiveMaximum": 10}, {"maximum": Bound(10, True)}, id="3.1-equal-exclusive-wins"
        ),
        pytest.param(
            V31,
            {"allOf": [{"maxLength": 10, "minLength": 1}, {"maxLength": 5, "minLength": 0}]},
            {"maxLength": Bound(5), "minLength": Bound(1)},
            id="allof-tightest",
        ),
    ],
)
def test_bounds(version: str, schema: object, bounds: dict[str, Bound], tmp_path: Path) -> None:
    assert view_of(version, schema, tmp_path).bounds == bounds


def test_allof_merges_properties_required_and_flags(tmp_path: Path) -> None:
    result = view_of(
        V31,
        {
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"required": ["b"], "properties": {"b": {"type": "string"}}},
            ]
        },
        tmp_path,
        Base={"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}, "readOnly": True},
    )
    assert sorted(result.properties) == ["a", "b"]
    assert result.required == {"a", "b"}
    assert result.read_only and not result.write_only
    assert result.types == frozenset({"object"})


@pytest.mark.parametrize(("version", "flags"), [(V30, {}), (V31, {"id": {"readOnly"}})])
def test_ref_siblings_apply_in_31_only(version: str, flags: dict[str, set[str]], tmp_path: Path) -> None:
    result = view_of(
        version,
        {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Id", "readOnly": True}}},
        tmp_path,
        Id={"type": "string"},
    )
    assert result.ref_flags == flags
    assert result.sites["id"].location.pointer.endswith("/properties/id")  # the `$ref` itself, not `Id`


def test_discriminator_and_variants(tmp_path: Path) -> None:
    result = view_of(
        V30,
        {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}},
        },
        tmp_path,
        Cat={"type": "object"},
        Dog={"type": "object", "required": ["barks"]},
    )
    assert result.discriminator == "kind"
    assert result.mapping == {"cat": "#/components/schemas/Cat"}
    assert [v.key for v in result.variants] == ["Cat", "Dog"]
    assert result.variant_keyword == "oneOf"


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ({"number"}, {"integer"}, True),
        ({"integer"}, {"number"}, False),
        (None, {"string"}, True),
        ({"string"}, None, False),
        ({"string", "integer"}, {"string"}, True),
    ],
)
def test_accepts(outer: set[str] | None, inner: set[str] | None, expected: bool) -> None:
    wrap = lambda types: frozenset(types) if types is not None else None  # noqa: E731
    assert accepts(wrap(outer), wrap(inner)) is expected


def test_overlap() -> None:
    assert overlap(frozenset({"number"}), frozenset({"integer"}))
    assert not overlap(frozenset({"object"}), frozenset({"string"}))
    assert overlap(None, frozenset({"string"}))


@pytest.mark.parametrize(
    ("old", "new", "pairs", "removed", "added"),
    [
        pytest.param(["Cat", "Dog"], ["Dog", "Cat"], [(0, "Cat"), (1, "Dog")], [], [], id="reordered"),
        pytest.param(["Cat", "Dog"], ["Cat", "Bird"], [(0, "Cat")], [1], [1], id="components-never-paired-by-type"),
        pytest.param(["Cat", "Dog"], ["Cat", "Hound"], [(0, "Cat"), (1, "Hound")], [], [], id="renamed-same-shape"),
    ],
)
def test_match_variants(
    old: list[str],
    new: list[str],
    pairs: list[tuple[int, str]],
    removed: list[int],
    added: list[int],
    tmp_path: Path,
) -> None:
    shapes = {
        "Cat": {"type": "object", "properties": {"meows": {"type": "boolean"}}},
        "Dog": {"type": "object", "properties": {"barks": {"type": "boolean"}}},
        "Hound": {"type": "object", "properties": {"barks": {"type": "boolean"}}},
        "Bird": {"type": "object", "properties": {"sings": {"type": "boolean"}}},
    }
    schemas = components(V31, shapes, tmp_path)
    pick = lambda names: [c for n in names if (c := schemas.get(n)) is not None]  # noqa: E731
    got_pairs, got_removed, got_added = match_variants(pick(old), pick(new))
    assert [(i, after.key) for i, _, after in got_pairs] == pairs
    assert (got_removed, got_added) == (removed, added)


INT64 = (-(2**63), 2**63 - 1)


@pytest.mark.parametrize(
    ("version", "schema", "types", "bounds", "fmt"),
    [
        pytest.param(V31, {"type": "integer", "format": "int64"}, {"integer"}, INT64, None, id="int64"),
        pytest.param(V30, {"type": "integer", "format": "int32"}, {"integer"}, (-(2**31), 2**31 - 1), None, id="int32"),
        pytest.param(V31, {"type": "integer", "format": "uint8"}, {"integer"}, (0, 255), None, id="uint8"),
        pytest.param(
            V31, {"type": "integer", "format": "int32", "maximum": 10}, {"integer"}, (-(2**31), 10), None, id="tighter"
        ),
        pytest.param(V31, {"type": "number", "format": "double"}, {"number"}, None, None, id="double-bounds-nothing"),
        pytest.param(V31, {"type": "string", "format": "int64"}, {"string"}, None, "int64", id="int64-as-text"),
        pytest.param(V30, {"type": "int64"}, {"integer"}, INT64, None, id="repair-int64"),
        pytest.param(V31, {"type": "long"}, {"integer"}, INT64, None, id="repair-long"),
        pytest.param(V31, {"type": "double"}, {"number"}, None, None, id="repair-double"),
        pytest.param(V30, {"type": "int"}, {"integer"}, None, None, id="repair-int"),
        pytest.param(V31, {"enum": ["a", "b"]}, {"string"}, None, None, id="enum-of-strings-is-a-string"),
        pytest.param(V31, {"enum": [1, 2.5]}, {"integer", "number"}, None, None, id="enum-of-numbers"),
        pytest.param(V31, {"const": True}, {"boolean"}, None, None, id="const-boolean"),
    ],
)
def test_sizes_repairs_and_implied_types(
    version: str,
    schema: object,
    types: set[str],
    bounds: tuple[int, int] | None,
    fmt: str | None,
    tmp_path: Path,
) -> None:
    result = view_of(version, schema, tmp_path)
    found = (result.bounds["minimum"].value, result.bounds["maximum"].value) if "maximum" in result.bounds else None
    assert (set(result.types or ()), found, result.format) == (types, bounds, fmt)
    assert Bound(2**63 - 1, implied_by="int64") == Bound(2**63 - 1)  # the format a bound comes from is not its value


X = {"$ref": "#/components/schemas/X"}
OBJECT_X = {"type": "object", "properties": {"a": {"type": "string"}}}


@pytest.mark.parametrize(
    ("version", "schema", "nullable", "variants"),
    [
        pytest.param(V30, {"anyOf": [X, {"nullable": True}]}, True, 0, id="3.0-nullable-member"),
        pytest.param(V30, {"anyOf": [{"nullable": True, "description": "or null"}, X]}, True, 0, id="3.0-null-first"),
        pytest.param(V30, {"allOf": [X, {"nullable": True}]}, True, 0, id="3.0-allof-nullable-member"),
        pytest.param(
            V30,
            {"anyOf": [{"type": "object", "nullable": True, "title": "null"}, X]},
            True,
            0,
            id="3.0-null-idiom",
        ),
        pytest.param(V30, {"anyOf": [{"type": "string", "nullable": True}, X]}, False, 2, id="3.0-not-an-idiom"),
        pytest.param(V31, {"oneOf": [{"type": "null"}, X]}, True, 0, id="3.1-null-first"),
        pytest.param(V31, {"anyOf": [{"anyOf": [X, {"type": "string"}]}, {"type": "integer"}]}, False, 3, id="flat"),
        pytest.param(V31, {"anyOf": [{"oneOf": [X, {"type": "null"}]}, {"type": "string"}]}, True, 2, id="flat-null"),
        pytest.param(
            V31,
            {"anyOf": [{"oneOf": [X, {"type": "string"}], "minLength": 1}, {"type": "integer"}]},
            False,
            2,
            id="kept",
        ),
    ],
)
def test_null_members_and_nested_unions(
    version: str, schema: object, nullable: bool, variants: int, tmp_path: Path
) -> None:
    result = view_of(version, schema, tmp_path, X=OBJECT_X)
    assert (result.nullable, len(result.variants)) == (nullable, variants)


@pytest.mark.parametrize(("version", "nullable"), [(V30, {"x"}), (V31, set())])
def test_a_nullable_reference_is_nullable_where_it_is_used(version: str, nullable: set[str], tmp_path: Path) -> None:
    result = view_of(
        version, {"type": "object", "properties": {"x": {**X, "nullable": True}, "y": X}}, tmp_path, X=OBJECT_X
    )
    assert result.nullable_sites == nullable
    assert not result.nullable  # the object itself is not
