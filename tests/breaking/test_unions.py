"""What one schema of a union certainly accepts of another's values: the ground of the union rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from contractkit.breaking.openapi.schema_view import SchemaView, view
from contractkit.breaking.openapi.unions import covers, union_covers
from contractkit.loaders import FileStore, open_document


def views(tmp_path: Path, *schemas: object) -> list[SchemaView]:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {f"S{i}": s for i, s in enumerate(schemas)}},
    }
    (tmp_path / "openapi.yaml").write_text(yaml.safe_dump(document))
    cursor = open_document(tmp_path / "openapi.yaml", store=FileStore()).cursor()
    found = [cursor.get("components").get("schemas").get(f"S{i}") for i in range(len(schemas))]  # type: ignore[union-attr]
    return [view(c, openapi_30=False) for c in found if c is not None]


STRING = {"type": "string"}


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        pytest.param(STRING, {"type": "string", "enum": ["a"]}, True, id="catch-all-covers-an-enum"),
        pytest.param(STRING, {"type": "string", "format": "date"}, True, id="catch-all-covers-a-format"),
        pytest.param({"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["a"]}, True, id="enum-subset"),
        pytest.param({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}, False, id="superset"),
        pytest.param({"type": "string", "enum": ["a"]}, STRING, False, id="enum-does-not-cover-any-string"),
        pytest.param({"type": "number"}, {"type": "integer", "maximum": 3}, True, id="number-covers-integer"),
        pytest.param({"type": "integer", "maximum": 5}, {"type": "integer", "maximum": 3}, True, id="wider-bound"),
        pytest.param({"type": "integer", "maximum": 3}, {"type": "integer", "maximum": 5}, False, id="tighter-bound"),
        pytest.param({"type": "string", "pattern": "^a"}, STRING, False, id="pattern"),
        pytest.param({"type": "object"}, {"type": "object", "required": ["a"]}, True, id="any-object"),
        pytest.param(
            {"type": "object", "properties": {"a": STRING}}, {"type": "object"}, False, id="object-with-content"
        ),
        pytest.param({}, {"type": "array", "items": STRING}, True, id="anything"),
        pytest.param(STRING, {"type": "integer"}, False, id="other-type"),
    ],
)
def test_covers(outer: object, inner: object, expected: bool, tmp_path: Path) -> None:
    left, right = views(tmp_path, outer, inner)
    assert covers(left, right) is expected


@pytest.mark.parametrize(
    ("outers", "inner", "expected"),
    [
        pytest.param(
            [{"type": "string", "enum": ["small"]}, {"type": "string", "enum": ["large"]}],
            {"type": "string", "enum": ["small", "large"]},
            True,
            id="merged-enum-branches",
        ),
        pytest.param(
            [{"type": "string", "maxLength": 3}, {"type": "integer"}],
            {"enum": ["abc", 7]},
            True,
            id="each-value-somewhere",
        ),
        pytest.param(
            [{"type": "string", "maxLength": 2}, {"type": "integer", "maximum": 5}],
            {"enum": ["abc", 7]},
            False,
            id="values-outside-the-bounds",
        ),
        pytest.param([{"type": "string", "format": "date"}], {"enum": ["2024-01-01"]}, False, id="format-unknown"),
        pytest.param([{"type": "integer"}], {"type": "integer", "minimum": 0}, True, id="one-covers"),
    ],
)
def test_union_covers(outers: list[object], inner: object, expected: bool, tmp_path: Path) -> None:
    *left, right = views(tmp_path, *outers, inner)
    assert union_covers(left, right) is expected
